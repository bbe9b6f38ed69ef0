// The G-Counter's spec: what `faultlab explore examples/gcounter/spec.ts`, `faultlab replay
// repro.json --spec examples/gcounter/spec.ts` and the property-test helper need (settings schema,
// bugs, checkers, heal-phase length). Not in faultlab's registry: it stands for your own protocol.
import { z } from 'zod';
import type { ProtocolSpec } from '../../sim/protocolSpec.ts';
import { durationUs } from '../../sim/schemaHelpers.ts';
import { convergenceBoundUs, gcounterCheckers } from './checkers.ts';
import { createGCounter, type GCounterBug, type GCounterConfig } from './gcounter.ts';

const configSchema = z.object({
  tick: durationUs.default(100_000),
  gossip: durationUs.default(100_000),
  limit: z.number().int().positive().default(10),
}).strict().refine((c) => c.tick > 0 && c.gossip > 0, { message: 'expected tick and gossip above 0' });

export const spec: ProtocolSpec<GCounterConfig> = {
  name: 'gcounter',
  summary: 'grow-only counter CRDT (an example of a user protocol)',
  configSchema,
  settings: {
    tick: { unit: 'duration', doc: 'time between a node\'s increments' },
    gossip: { unit: 'duration', doc: 'time between a node\'s gossip rounds (to every peer)' },
    limit: { unit: 'number', doc: 'increments per node' },
  },
  bugs: {
    'sum-merge': 'merging adds the counts instead of taking the maximum',
    'overwrite-merge': 'merging lets the last message received win for other nodes\' counts',
  },
  create: (config, bug) => createGCounter(config, bug as GCounterBug),
  checkers: (config, options, plan) => gcounterCheckers(config, options, plan),
  healUs: (config, options, plan) => convergenceBoundUs(config, options, plan) + config.gossip,
};
