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
