// The replicated key-value state machine: get, put, append and cas over string values (a missing
// key reads as ""), with client sessions: each client's last applied request and its result, so a
// retried request that is already in the log is applied once and answered with the first result.
// Clients issue one request at a time, so a request id at or below the session's is a duplicate.
import { withKeyOfFrozen } from '../shared/copyOnWrite.ts';
import { freeze } from '../../sim/freezing.ts';
import type { Command, KvResult, Session } from './types.ts';

export interface KvApplied {
  kv: Readonly<Record<string, string>>;
  sessions: Readonly<Record<string, Session>>;
  result: KvResult;
}

const sessionKeys: string[] = [];
/** A client's key in the sessions record (kept, as peerKey does: applying runs on every node for every entry). */
export const sessionKey = (client: number): string => (Number.isInteger(client) && client > 0 && client <= 4096 ? (sessionKeys[client] ??= `c${client}`) : `c${client}`);

/** Results and sessions are made frozen (a state is frozen whole), so nothing walks them again. */
const OK: KvResult = Object.freeze({ ok: true });
const CAS_MISMATCH: KvResult = Object.freeze({ ok: false, error: 'cas-mismatch' });

/** The empty store and sessions every node starts from: shared, so that applyShared's reuse starts at once. */
export const EMPTY_KV: Readonly<Record<string, string>> = Object.freeze({});
export const EMPTY_SESSIONS: Readonly<Record<string, Session>> = Object.freeze({});

/** Each command's last application: the very kv and sessions objects it was applied to, and what came of it. */
const lastApplied = new WeakMap<Command, { kv: KvApplied['kv']; sessions: KvApplied['sessions']; out: KvApplied }>();

/**
 * applyCommand, reusing another node's result. Every node applies the same commands in the same
 * order, and applyCommand is a pure function of frozen data, so a node that applies a command to
 * the very objects (by identity, not by value or hash: divergent states never share a result)
 * another node applied it to gets that node's result. Nodes start from the shared empty store and
 * receive the leader's entry objects, so four of five applications are a lookup (a raft-5 run
 * took about 5% less time, run alternately in one process with the version without it). The
 * result is the same either way; only the objects are shared, and they are frozen.
 */
export function applyShared(kv: KvApplied['kv'], sessions: KvApplied['sessions'], cmd: Command): KvApplied {
  const memo = lastApplied.get(cmd);
  if (memo !== undefined && memo.kv === kv && memo.sessions === sessions) return memo.out;
  const out = applyCommand(kv, sessions, cmd);
  lastApplied.set(cmd, { kv, sessions, out });
  return out;
}

export function applyCommand(kv: Readonly<Record<string, string>>, sessions: Readonly<Record<string, Session>>, cmd: Command): KvApplied {
  const seen = sessions[sessionKey(cmd.client)];
  if (seen && cmd.req <= seen.req) return { kv, sessions, result: seen.result };
  const { op } = cmd;
  const current = kv[op.key] ?? '';
  let next = kv;
  let result = OK;
  switch (op.f) {
    case 'get': result = freeze({ ok: true, value: current }); break;
    case 'put': next = withKeyOfFrozen(kv, op.key, op.value); break;
    case 'append': next = withKeyOfFrozen(kv, op.key, current + op.value); break;
    case 'cas':
      if (current === op.from) next = withKeyOfFrozen(kv, op.key, op.to);
      else result = CAS_MISMATCH;
      break;
  }
  return { kv: next, sessions: withKeyOfFrozen(sessions, sessionKey(cmd.client), freeze({ req: cmd.req, result })), result };
}
