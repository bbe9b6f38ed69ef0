// Registry entry for Raft: config, bugs, checkers, heal-phase length, the client workload.
import type { ProtocolSpec } from '../../sim/protocolSpec.ts';
import { progressBoundUs, raftCheckers } from './checkers.ts';
import { raftConfigSchema, type RaftConfig } from './config.ts';
import { createRaft } from './raft.ts';
import type { RaftBug } from './types.ts';
import { raftWorkload } from './workload.ts';

export const raftSpec: ProtocolSpec<RaftConfig> = {
  name: 'raft',
  summary: 'Raft consensus with a replicated key-value store, client sessions and read-index reads',
  configSchema: raftConfigSchema,
  settings: {
    electionMin: { unit: 'duration', doc: 'shortest randomized election timeout' },
    electionMax: { unit: 'duration', doc: 'longest randomized election timeout' },
    heartbeat: { unit: 'duration', doc: 'leader heartbeat (empty AppendEntries) interval' },
    preVote: { unit: 'number', doc: 'ask for pre-votes before raising the term (true/false)' },
    checkQuorum: { unit: 'number', doc: 'a leader that has not heard from a majority for electionMax steps down (true/false)' },
    reads: { unit: 'number', doc: 'read-index (confirmed by a quorum) or log (reads go through the log)' },
    maxBatch: { unit: 'number', doc: 'most entries in one AppendEntries' },
  },
  bugs: {
    'vote-without-log-check': 'votes are granted without the up-to-date log check',
    'commit-old-terms': 'a leader commits entries of earlier terms by counting replicas (figure 8)',
    'truncate-on-append': 'a follower truncates its log after prevIndex on every AppendEntries',
    'stale-read': 'the leader answers reads from its own state without confirming it is still leader',
    'forget-vote': 'votedFor is not persisted, so a restarted node can vote twice in a term',
  },
  create: (config, bug) => createRaft(config, bug as RaftBug),
  checkers: (config, options) => raftCheckers(config, options),
  healUs: (config, options) => progressBoundUs(config, options) + config.electionMax,
  workload: raftWorkload,
  // Clients retry through elections (a few hundred ms) and crashed nodes, so an operation gets 3 s.
  clientDefaults: { count: 5, timeoutUs: 3_000_000 },
  leaderNotes: { elected: 'leader', commit: 'commit' },
  // Small batches make a new leader catch followers up over several round trips, the window in
  // which figure 8 (commit-old-terms) commits an earlier term's entry. Not 1: with 20% loss a
  // one-entry catch-up can outlast the progress bound.
  knobs: { maxBatch: [64, 2, 4] },
};
