// Log replication (Raft section 5.3): the leader sends AppendEntries with the prevIndex/prevTerm
// check, in batches, on every heartbeat and as soon as there is something new; a follower
// truncates only a conflicting suffix and answers with a conflict term and index so the leader
// backs up a whole term at a time. The leader commits an entry of its own term once a majority
// holds it (5.4.2: never an earlier term's by counting replicas); every node applies committed
// entries in order. Heartbeat rounds also confirm read indexes (reads.ts).
import type { NodeId } from '../../sim/types.ts';
import { appended, withKeyOfFrozen } from '../shared/copyOnWrite.ts';
import { appendToLog, entriesBetween, entryAt, firstIndexOfTerm, lastIndex, newEntry, termAt, truncateLog } from './log.ts';
import { applyCommitted, checkReads } from './apply.ts';
import { armElection, becomeFollower, majority, note, send, setRole, writesThisStep, type Turn } from './turn.ts';
import { peerKey, type Entry, type RaftMessage } from './types.ts';

type AppendEntries = Extract<RaftMessage, { type: 'AppendEntries' }>;
type AppendEntriesReply = Extract<RaftMessage, { type: 'AppendEntriesReply' }>;

export function becomeLeader(t: Turn): void {
  setRole(t, 'leader');
  t.s.leader = t.ctx.id;
  t.s.votes = [];
  note(t, 'leader', { term: t.s.term });
  t.effects.push({ kind: 'cancelTimer', timer: 'election' });
  const next: Record<string, number> = {};
  const match: Record<string, number> = {};
  for (const p of t.ctx.peers) {
    next[peerKey(p)] = lastIndex(t.s.log) + 1;
    match[peerKey(p)] = 0;
  }
  t.s.next = next;
  t.s.match = match;
  t.s.acked = {};
  t.s.heard = [];
  t.s.termStart = lastIndex(t.s.log) + 1;
  appendLocal(t, [newEntry(t.s.log, t.s.term, null)]); // the no-op that lets earlier entries commit
  if (t.cfg.checkQuorum) t.effects.push({ kind: 'setTimer', timer: 'quorum', afterUs: t.cfg.electionMax });
  onHeartbeat(t);
}

/** Appends entries to this node's log, noting each for the checkers. */
export function appendLocal(t: Turn, entries: readonly Entry[]): void {
  const start = t.s.log.length;
  t.s.log = appendToLog(t.s.log, entries); // frozen, so the end-of-step freeze stops at it
  entries.forEach((e, k) => note(t, 'entry', { index: start + k + 1, term: e.term, h: e.h }));
  if (t.s.role === 'leader' && t.ctx.peers.length === 0) advanceCommit(t);
}

export function onHeartbeat(t: Turn): void {
  if (t.s.role !== 'leader') return;
  t.s.round += 1;
  for (const p of t.ctx.peers) sendAppend(t, p);
  t.effects.push({ kind: 'setTimer', timer: 'heartbeat', afterUs: t.cfg.heartbeat });
}

export function sendAppend(t: Turn, to: NodeId): void {
  const next = t.s.next[peerKey(to)] ?? lastIndex(t.s.log) + 1;
  const prevIndex = next - 1;
  const entries = entriesBetween(t.s.log, next, prevIndex + t.cfg.maxBatch);
  send(t, to, { type: 'AppendEntries', term: t.s.term, prevIndex, prevTerm: termAt(t.s.log, prevIndex), entries, commit: t.s.commit, round: t.s.round });
}

/**
 * New entries at the leader go out at once to every peer that is caught up. When that is every
 * peer, the heartbeat waits a full interval again: Figure 2 repeats heartbeats only during idle
 * periods, and an AppendEntries to every peer keeps every follower's election timer back as well.
 */
export function replicateNow(t: Turn): void {
  let sent = 0;
  for (const p of t.ctx.peers) {
    if ((t.s.next[peerKey(p)] ?? 0) !== t.s.log.length) continue;
    sendAppend(t, p);
    sent++;
  }
  if (sent > 0 && sent === t.ctx.peers.length) t.effects.push({ kind: 'setTimer', timer: 'heartbeat', afterUs: t.cfg.heartbeat });
}

function replyAppend(t: Turn, to: NodeId, msg: AppendEntries, success: boolean, matchIndex: number, conflictTerm = 0, conflictIndex = 0): void {
  send(t, to, { type: 'AppendEntriesReply', term: t.s.term, success, match: matchIndex, conflictTerm, conflictIndex, round: msg.round });
}

export function onAppendEntries(t: Turn, from: NodeId, msg: AppendEntries): void {
  if (msg.term < t.s.term) return replyAppend(t, from, msg, false, 0);
  if (msg.term > t.s.term || t.s.role !== 'follower' || t.s.leader !== from) becomeFollower(t, msg.term, from);
  else armElection(t);
  t.s.leaderSeenUs = t.ctx.nowUs;
  if (msg.prevIndex > lastIndex(t.s.log)) return replyAppend(t, from, msg, false, 0, 0, lastIndex(t.s.log) + 1);
  const localPrevTerm = termAt(t.s.log, msg.prevIndex);
  if (localPrevTerm !== msg.prevTerm) return replyAppend(t, from, msg, false, 0, localPrevTerm, firstIndexOfTerm(t.s.log, localPrevTerm, msg.prevIndex));
  mergeEntries(t, msg.prevIndex, msg.entries);
  const lastNew = msg.prevIndex + msg.entries.length;
  if (msg.commit > t.s.commit) t.s.commit = Math.max(t.s.commit, Math.min(msg.commit, lastNew));
  applyCommitted(t);
  // Acknowledge only what is on disk: what this step writes (its reply waits for the write, and
  // is dropped if the write fails) or what earlier writes completed. A step that writes nothing
  // sends at once, and must not acknowledge entries still in flight to the disk.
  replyAppend(t, from, msg, true, writesThisStep(t) ? lastNew : Math.min(lastNew, t.s.durable));
}

/** Keeps entries that match; from the first conflict on, the leader's entries replace ours. */
function mergeEntries(t: Turn, prevIndex: number, entries: readonly Entry[]): void {
  let k = 0;
  if (t.bug !== 'truncate-on-append') {
    while (k < entries.length && termAt(t.s.log, prevIndex + k + 1) === (entries[k] as Entry).term) k++;
  }
  if (k === entries.length && t.bug !== 'truncate-on-append') return;
  const cut = prevIndex + k;
  if (cut < t.s.log.length) {
    note(t, 'truncate', { from: cut + 1 });
    t.s.durable = Math.min(t.s.durable, cut);
    t.s.writes = t.s.writes.map((w) => (w.held > cut ? { token: w.token, held: cut } : w));
    t.s.log = truncateLog(t.s.log, cut);
  }
  appendLocal(t, k === 0 ? entries : entries.slice(k));
}

export function onAppendEntriesReply(t: Turn, from: NodeId, msg: AppendEntriesReply): void {
  if (msg.term > t.s.term) return becomeFollower(t, msg.term, null);
  if (t.s.role !== 'leader' || msg.term !== t.s.term) return;
  const key = peerKey(from);
  if (!t.s.heard.includes(from)) t.s.heard = appended(t.s.heard, from);
  // A round above ours was never sent in this life: a reply to the leader's previous life.
  if (msg.round > t.s.round) return;
  // Acknowledged rounds only confirm waiting reads (checkReads). A read sends a round of its own
  // when it starts, so every acknowledgement that can confirm it arrives while it waits: with no
  // read waiting there is nothing to record (this skips a copy of acked on most replies).
  if (t.s.reads.length > 0 && msg.round > (t.s.acked[key] ?? 0)) t.s.acked = withKeyOfFrozen(t.s.acked, key, msg.round);
  // Only a reply that moves the peer forward (or back) sends more at once: a duplicated or stale
  // reply must not start a second chain of AppendEntries, or duplication multiplies them.
  if (msg.success && msg.match > (t.s.match[key] ?? 0)) {
    t.s.match = withKeyOfFrozen(t.s.match, key, msg.match);
    t.s.next = withKeyOfFrozen(t.s.next, key, Math.max(t.s.next[key] ?? 1, msg.match + 1));
    advanceCommit(t);
    if ((t.s.next[key] ?? 0) <= lastIndex(t.s.log)) sendAppend(t, from);
  } else if (!msg.success && (msg.conflictIndex > 0 || msg.conflictTerm > 0)) {
    const next = Math.max(backtrack(t, msg), (t.s.match[key] ?? 0) + 1);
    if (next < (t.s.next[key] ?? 1)) {
      t.s.next = withKeyOfFrozen(t.s.next, key, next);
      sendAppend(t, from);
    }
  }
  checkReads(t);
}

/** Fast backtracking: skip the follower's whole conflicting term, or to its log's end. */
function backtrack(t: Turn, msg: AppendEntriesReply): number {
  if (msg.conflictTerm > 0) {
    for (let i = lastIndex(t.s.log); i >= 1; i--) if (termAt(t.s.log, i) === msg.conflictTerm) return i + 1;
  }
  return Math.max(1, msg.conflictIndex);
}

/** The highest index of the current term held by a majority becomes committed (5.4.2). */
export function advanceCommit(t: Turn): void {
  const need = majority(t);
  for (let n = lastIndex(t.s.log); n > t.s.commit; n--) {
    if (t.bug !== 'commit-old-terms' && termAt(t.s.log, n) !== t.s.term) break;
    let count = t.s.durable >= n ? 1 : 0; // the leader counts itself only once the entry is on its disk
    for (const p of t.ctx.peers) if ((t.s.match[peerKey(p)] ?? 0) >= n) count++;
    if (count >= need) {
      t.s.commit = n;
      const e = entryAt(t.s.log, n) as Entry;
      note(t, 'commit', { index: n, term: e.term, h: e.h });
      break;
    }
  }
  applyCommitted(t);
}

export function onQuorumCheck(t: Turn): void {
  if (t.s.role !== 'leader') return;
  if (t.s.heard.length + 1 < majority(t)) return becomeFollower(t, t.s.term, null);
  t.s.heard = [];
  t.effects.push({ kind: 'setTimer', timer: 'quorum', afterUs: t.cfg.electionMax });
}
