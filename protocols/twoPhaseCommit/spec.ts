// Registry entry for two-phase commit: config, bugs, checkers, heal-phase length, the client
// workload and the blocking metrics.
import type { ProtocolSpec } from '../../sim/protocolSpec.ts';
import { tpcCheckers } from './checkers.ts';
import { tpcConfigSchema, type TpcConfig } from './config.ts';
import { blockingMetrics } from './metrics.ts';
import { terminationDeadlineUs } from './termination.ts';
import { createTwoPhaseCommit } from './twoPhaseCommit.ts';
import type { TpcBug } from './types.ts';
import { tpcWorkload } from './workload.ts';

export const twoPhaseCommitSpec: ProtocolSpec<TpcConfig> = {
  name: '2pc',
  summary: 'two-phase commit with presumed abort, durable logs, recovery and cooperative termination, over a sharded key-value store',
  configSchema: tpcConfigSchema,
  settings: {
    coordinator: { unit: 'number', doc: 'the coordinator node (n1 or 1); every other node is a participant' },
    prepareTimeout: { unit: 'duration', doc: 'the coordinator aborts (and sends GlobalAbort) if a vote is missing this long after Prepare' },
    resend: { unit: 'duration', doc: 'first resend of Prepare to non-voters and GlobalCommit to non-ackers (doubling up to 4x)' },
    askAfter: { unit: 'duration', doc: 'an uncertain participant asks for the outcome this long after voting yes (backoff up to 4x)' },
    termination: { unit: 'number', doc: 'cooperative termination: uncertain participants also ask each other (true/false)' },
    refuse: { unit: 'number', doc: 'probability a participant votes no for a business reason' },
  },
  bugs: {
    'commit-on-timeout': 'the coordinator commits when a vote is missing at the prepare timeout, instead of aborting',
    'forget-prepared': 'a participant does not read its prepared records back when it restarts, so it forgets it voted yes',
    'ack-before-durable': 'a participant acknowledges a commit at once and writes it lazily, so a crash can lose a commit the coordinator has already forgotten',
    'forget-before-acks': 'the coordinator forgets a commit as soon as it is sent, without waiting for acks, and later presumes it aborted',
    'never-ask': 'an uncertain participant never asks for the outcome (no recovery or termination: a lost GlobalAbort blocks it forever)',
    'ignore-early-abort': 'a GlobalAbort that overtakes its Prepare is dropped (nothing to roll back), so the late Prepare is voted yes: the participant prepares a transaction that is already over',
  },
  create: (config, bug) => createTwoPhaseCommit(config, bug as TpcBug),
  checkers: (config, options, plan) => tpcCheckers(config, options, plan),
  healUs: (config, options, plan) => terminationDeadlineUs(config, options, plan) + config.askAfter,
  workload: tpcWorkload,
  // A transaction may wait the whole prepare timeout (5 s) before it aborts: clients wait 10 s.
  clientDefaults: { count: 3, timeoutUs: 10_000_000 },
  metrics: (config) => blockingMetrics(config.coordinator, config.askAfter),
  validate(config, nodes) {
    if (nodes < 2) return `coordinator: n${config.coordinator} would have no participant; 2pc needs --nodes 2 or more`;
    if (config.coordinator > nodes) return `coordinator: n${config.coordinator} does not exist (the cluster has n1..n${nodes})`;
    return undefined;
  },
};
