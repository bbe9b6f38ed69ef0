// The protocol registry: the one place that names every protocol. A new protocol is a new folder
// plus one line here. sim/ never imports this file; callers (CLI, tests, viewer) pass a spec in.
import type { AnySpec } from '../sim/protocolSpec.ts';
import { heartbeatSpec } from './heartbeat/spec.ts';
import { raftSpec } from './raft/spec.ts';
import { sagaSpec } from './saga/spec.ts';
import { swimSpec } from './swim/spec.ts';
import { twoPhaseCommitSpec } from './twoPhaseCommit/spec.ts';

export const PROTOCOLS: Readonly<Record<string, AnySpec>> = {
  heartbeat: heartbeatSpec,
  raft: raftSpec,
  saga: sagaSpec,
  swim: swimSpec,
  '2pc': twoPhaseCommitSpec,
};

export function protocolNames(): string[] {
  return Object.keys(PROTOCOLS).sort();
}
