// Registry entry for SWIM: config, bugs, checkers, heal-phase length and detector metrics.
import type { ProtocolSpec } from '../../sim/protocolSpec.ts';
import { detectorMetrics } from '../shared/detectorMetrics.ts';
import { swimHealUs } from './bounds.ts';
import { swimCheckers } from './checkers.ts';
import { seedsOf, swimConfigSchema, type SwimConfig } from './config.ts';
import { createSwim } from './swim.ts';
import type { SwimBug } from './types.ts';

export const swimSpec: ProtocolSpec<SwimConfig> = {
  name: 'swim',
  summary: 'SWIM membership: randomized probing, indirect probes, suspicion with refutation, piggybacked gossip',
  configSchema: swimConfigSchema,
  settings: {
    period: { unit: 'duration', doc: 'protocol period T: each member probes one member per period' },
    pingTimeout: { unit: 'duration', doc: 'wait for a direct Ack before asking k members to probe' },
    k: { unit: 'number', doc: 'members asked to probe indirectly (PingReq)' },
    suspicionMult: { unit: 'number', doc: 'suspicion timeout = suspicionMult x max(1, log10 n) x period' },
    lambda: { unit: 'number', doc: 'each update is piggybacked lambda x ceil(log10(n + 1)) times' },
    piggyback: { unit: 'number', doc: 'most updates carried by one message' },
    sync: { unit: 'duration', doc: 'push-pull and reconnect interval (scaled up above 32 members)' },
    seeds: { unit: 'nodes', doc: 'members a new node joins through (default n1..n3)' },
  },
  bugs: {
    'no-refute': 'a suspected member never raises its incarnation to refute the suspicion',
    'no-indirect-probe': 'a failed direct ping makes the target Suspect without asking k members to probe it',
    'forget-tombstones': 'Dead members are deleted instead of kept, so stale gossip brings them back',
    'bump-suspect-incarnation': 'the prober raises the suspected member\'s incarnation (the design notes\' defect)',
  },
  create: (config, bug) => createSwim(config, bug as SwimBug),
  checkers: (config, options, plan) => swimCheckers(config, options, plan),
  healUs: (config, options, plan) => swimHealUs(config, options, plan),
  metrics: (config) => detectorMetrics(config.period, (to) => (to === 'Dead' ? 'down' : to === 'Suspect' ? 'suspect' : 'ok')),
  validate(config, nodes) {
    const missing = (config.seeds ?? []).find((id) => id > nodes);
    if (missing !== undefined) return `seeds: n${missing} does not exist (the cluster has n1..n${nodes})`;
    return seedsOf(config, nodes).length === 0 ? 'seeds: expected at least one seed member' : undefined;
  },
};
