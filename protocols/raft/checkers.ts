// Raft's safety and liveness checkers, built from notes and boots only (never node state beyond
// the boot record, which carries the log a node restarted with):
//  - election-safety (always): at most one leader per term;
//  - log-matching (always): two entries with the same index and term have the same prefix hash,
//    so the logs are identical up to there;
//  - leader-completeness (always): a new leader's log holds every entry committed before it;
//  - state-machine-safety (always): no two nodes apply different entries at one index;
//  - leader-and-progress (eventually): after the heal phase, a leader exists and client
//    operations complete (no operation invoked after the cluster had time to settle ends
//    without an answer).
// Raft's guarantees assume crash faults and stable storage. A byzantine sender that corrupts
// message fields (`wrong`) or a corrupted disk (the node comes back with nothing, and may vote
// twice in a term) are outside them, so from such a fault on the safety checks stand down and
// say why (n/a); a violation seen before it still counts.
// Linearizability of the client history is a final check, in linearizability.ts.
import type { AlwaysChecker, Checker, CheckerView, EventuallyChecker } from '../../sim/checker.ts';
import { humanDuration } from '../../sim/duration.ts';
import type { RunOptions } from '../../sim/runOptions.ts';
import type { ObservedEvent } from '../../sim/traceEvents.ts';
import type { NodeId } from '../../sim/types.ts';
import type { RaftConfig } from './config.ts';
import { outsideFaultModel } from './faultModel.ts';
import { EMPTY_LOG, logEntries } from './log.ts';

export { outsideFaultModel };
import { linearizability } from './linearizability.ts';
import type { Entry, RaftState } from './types.ts';

type NoteEvent = Extract<ObservedEvent, { kind: 'note' }>;
type Note = NoteEvent & { data: Record<string, number> };
const EMPTY: Record<string, number> = Object.freeze({});
/** The event if it is the named note (data defaults to {}); no copy, checkers see every event. */
function noteNamed(e: ObservedEvent, name: string): Note | undefined {
  if (e.kind !== 'note' || e.name !== name) return undefined;
  return (e.data === undefined ? { ...e, data: EMPTY } : e) as Note;
}

/** An always-check reading `reads` (and faults, to stand down outside Raft's fault model). */
function always(name: string, description: string, reads: readonly string[], check: (e: ObservedEvent, view: CheckerView) => string | undefined): AlwaysChecker {
  let violation: string | undefined;
  let standDown: string | undefined;
  return {
    name, kind: 'always', description, reads: ['fault', ...reads],
    observe(e, view) {
      standDown ??= outsideFaultModel(e);
      if (standDown === undefined) violation ??= check(e, view);
    },
    broken: () => violation,
    inapplicable: () => (violation === undefined && standDown !== undefined ? `checked until ${standDown}` : undefined),
  };
}

export function electionSafety(): AlwaysChecker {
  const leaders = new Map<number, NodeId>();
  return always('election-safety', 'at most one leader is elected in any term', ['note:leader'], (e) => {
    const n = noteNamed(e, 'leader');
    if (!n) return undefined;
    const term = n.data.term as number;
    const other = leaders.get(term);
    if (other !== undefined && other !== n.node) return `n${other} and n${n.node} were both leader in term ${term}`;
    leaders.set(term, n.node);
    return undefined;
  });
}

export function logMatching(): AlwaysChecker {
  // The first entry seen at each index, by index (almost every index only ever has one term), and
  // the first entry of any other term at an index, by "index:term".
  const first = new FirstSeen();
  const others = new Map<string, { h: number; node: NodeId }>();
  return always('log-matching', 'entries with the same index and term have identical logs up to them', ['note:entry'], (e) => {
    const n = noteNamed(e, 'entry');
    if (!n) return undefined;
    const { index, term, h } = n.data as { index: number; term: number; h: number };
    let seen: { h: number; node: NodeId } | undefined;
    if (!first.has(index)) first.set(index, term, h, n.node);
    else if (first.term[index] === term) seen = { h: first.h[index] as number, node: first.node[index] as NodeId };
    else {
      const key = `${index}:${term}`;
      seen = others.get(key);
      if (!seen) others.set(key, { h, node: n.node });
    }
    if (seen && seen.h !== h) return `n${seen.node} and n${n.node} hold entries at index ${index} in term ${term} whose logs differ before them`;
    return undefined;
  });
}

/** The first (term, prefix hash, node) noted at each log index, in flat arrays indexed by it. */
class FirstSeen {
  readonly term: number[] = [];
  readonly h: number[] = [];
  readonly node: number[] = [];
  has(index: number): boolean {
    return (this.term[index] ?? -1) !== -1;
  }
  set(index: number, term: number, h: number, node: NodeId): void {
    for (let i = this.term.length; i < index; i++) this.term.push(-1), this.h.push(0), this.node.push(0);
    this.term[index] = term;
    this.h[index] = h;
    this.node[index] = node;
  }
}

/** Each node's log as a list of prefix hashes, rebuilt from boots and entry/truncate notes. */
class LogMirror {
  private readonly logs = new Map<NodeId, number[]>();
  observe(e: ObservedEvent): void {
    if (e.kind === 'boot') this.logs.set(e.node, logEntries((e.state as RaftState | undefined)?.log ?? EMPTY_LOG).map((x: Entry) => x.h));
    if (e.kind !== 'note' || (e.name !== 'truncate' && e.name !== 'entry')) return;
    const data = e.data as Record<string, number>;
    let log = this.logs.get(e.node);
    if (!log) this.logs.set(e.node, (log = []));
    if (e.name === 'truncate') log.length = Math.min(log.length, (data.from as number) - 1);
    else log[(data.index as number) - 1] = data.h as number;
  }
  hashAt(node: NodeId, index: number): number | undefined {
    return this.logs.get(node)?.[index - 1];
  }
}

/**
 * Leader completeness as the paper states it: an entry committed in term T is in the log of every
 * leader of a term above T. The term an entry was committed in is the committing leader's term
 * (from its "leader" note), not the entry's own: a candidate of an old term may still win it late
 * (its vote grants held up by a pause or a slow network) after a later term committed entries,
 * which is legal, and such a leader owes nothing committed in its own term or after. Holding the
 * highest such entry is enough: equal prefix hashes mean equal logs up to it.
 */
export function leaderCompleteness(): AlwaysChecker {
  const mirror = new LogMirror();
  const leads = new Map<NodeId, number>();
  /** The highest entry committed in each term. */
  const committedIn = new Map<number, { index: number; h: number; term: number }>();
  return always('leader-completeness', 'every leader\'s log holds all entries committed before its term', ['boot', 'note:entry', 'note:truncate', 'note:commit', 'note:leader'], (e) => {
    mirror.observe(e);
    const c = noteNamed(e, 'commit');
    if (c) {
      const inTerm = leads.get(c.node) ?? (c.data.term as number);
      const best = committedIn.get(inTerm);
      if ((c.data.index as number) > (best?.index ?? 0)) committedIn.set(inTerm, { index: c.data.index as number, h: c.data.h as number, term: c.data.term as number });
    }
    const n = noteNamed(e, 'leader');
    if (!n) return undefined;
    const term = n.data.term as number;
    leads.set(n.node, term);
    let owed: { index: number; h: number; term: number } | undefined;
    for (const [inTerm, entry] of committedIn) if (inTerm < term && entry.index > (owed?.index ?? 0)) owed = entry;
    if (owed === undefined || mirror.hashAt(n.node, owed.index) === owed.h) return undefined;
    return `n${n.node} became leader of term ${term} without committed entry ${owed.index} (term ${owed.term})`;
  });
}

export function stateMachineSafety(): AlwaysChecker {
  const applied = new FirstSeen();
  return always('state-machine-safety', 'no two nodes apply different entries at the same index', ['note:apply'], (e) => {
    const n = noteNamed(e, 'apply');
    if (!n) return undefined;
    const index = n.data.index as number;
    if (!applied.has(index)) applied.set(index, 0, n.data.h as number, n.node);
    else if (applied.h[index] !== n.data.h) return `n${applied.node[index]} and n${n.node} applied different entries at index ${index}`;
    return undefined;
  });
}

/** How long after the heal phase begins a leader must exist and operations complete. */
export function progressBoundUs(config: RaftConfig, options: RunOptions): number {
  return 20 * config.electionMax + 3 * options.clients.timeoutUs;
}

/**
 * Why progress is not owed in this run, if it is not: Raft needs the round trip well below the
 * election timeout (the paper: broadcastTime << electionTimeout), here at most a third of it.
 */
function timingRequirement(config: RaftConfig, options: RunOptions): string | undefined {
  const maxLatency = Math.max(options.network.latency.maxUs, ...options.network.links.map((l) => l.latency?.maxUs ?? 0));
  if (3 * 2 * maxLatency <= config.electionMin) return undefined;
  return `a round trip can take ${humanDuration(2 * maxLatency)}, not well below the ${humanDuration(config.electionMin)} election timeout (Raft's timing requirement); raise electionMin and electionMax`;
}

export function leaderAndProgress(config: RaftConfig, options: RunOptions): EventuallyChecker {
  const roles = new Map<NodeId, string>();
  const invoked = new Map<number, number>();
  const unanswered: { req: number; t: number }[] = [];
  const settleUs = 10 * config.electionMax;
  const timing = timingRequirement(config, options);
  let leaderSinceHeal = false;
  let notOwed: string | undefined;
  return {
    name: 'leader-and-progress',
    kind: 'eventually',
    description: 'after the heal phase a leader is elected (or stays) and client operations get answers',
    reads: ['boot', 'fault', 'phase', 'note:role', 'note:leader', 'invoke', 'complete'],
    deadlineUs: progressBoundUs(config, options),
    observe(e: ObservedEvent, view: CheckerView) {
      const outside = outsideFaultModel(e);
      if (outside !== undefined) notOwed ??= `not owed after ${outside}`;
      if (e.kind === 'boot') roles.set(e.node, 'follower');
      if (e.kind === 'fault' && e.phase === 'start' && e.fault.type === 'crash') roles.delete(e.fault.node);
      if (e.kind === 'phase') leaderSinceHeal = [...roles.values()].includes('leader');
      if (e.kind === 'note' && e.name === 'role') roles.set(e.node, String((e.data as { role: string }).role));
      if (e.kind === 'note' && e.name === 'leader' && view.phase === 'heal') leaderSinceHeal = true;
      if (e.kind === 'invoke') invoked.set(e.req, e.t);
      if (e.kind === 'complete' && e.outcome === 'info' && view.phase === 'heal' && (invoked.get(e.req) ?? 0) >= view.healStartUs + settleUs) unanswered.push({ req: e.req, t: e.t });
    },
    inapplicable: () => notOwed,
    unmet(view: CheckerView) {
      const live = view.nodes.filter((id) => view.isUp(id));
      if (live.length < Math.floor(view.nodes.length / 2) + 1) notOwed = `only ${live.length} of ${view.nodes.length} nodes are up after the heal phase: no majority, so no progress is owed`;
      notOwed ??= timing;
      if (notOwed !== undefined) return undefined;
      if (!leaderSinceHeal) return 'no leader since the heal phase began';
      const first = unanswered[0];
      if (first) return `client request ${first.req} got no answer by ${humanDuration(first.t)}, ${humanDuration(settleUs)} after the heal phase began`;
      return undefined;
    },
  };
}

export function raftCheckers(config: RaftConfig, options: RunOptions): Checker[] {
  return [electionSafety(), logMatching(), leaderCompleteness(), stateMachineSafety(), linearizability(), leaderAndProgress(config, options)];
}
