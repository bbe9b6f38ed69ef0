// Registry entry for the heartbeat detector: config, bugs, checkers, heal-phase length, metrics.
import type { ProtocolSpec } from '../../sim/protocolSpec.ts';
import { detectorMetrics } from '../shared/detectorMetrics.ts';
import { completenessBoundUs, heartbeatCheckers } from './checkers.ts';
import { heartbeatConfigSchema, type HeartbeatConfig } from './config.ts';
import { createHeartbeat, type HeartbeatBug } from './heartbeat.ts';

export const heartbeatSpec: ProtocolSpec<HeartbeatConfig> = {
  name: 'heartbeat',
  summary: 'all-to-all heartbeat failure detector (Healthy / Suspect / Failed)',
  configSchema: heartbeatConfigSchema,
  settings: {
    interval: { unit: 'duration', doc: 'how often every node sends a Heartbeat to every peer' },
    timeout: { unit: 'duration', doc: 'silence after which a peer is Failed (Suspect after half of it)' },
  },
  bugs: {
    'never-fail': 'a silent peer becomes Suspect but is never declared Failed',
    'early-fail': 'a peer is declared Failed after timeout/4 of silence, before the timeout',
  },
  create: (config, bug) => createHeartbeat(config, bug as HeartbeatBug),
  checkers: (config, options, plan) => heartbeatCheckers(config, options, plan),
  healUs: (config, options, plan) => completenessBoundUs(config, options, plan) + config.timeout,
  metrics: (config) => detectorMetrics(config.interval, (to) => (to === 'Failed' ? 'down' : to === 'Suspect' ? 'suspect' : 'ok')),
};
