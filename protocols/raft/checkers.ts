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

export { outsideFaultModel };
import { linearizability } from './linearizability.ts';
import type { Entry, RaftState } from './types.ts';

type Note = { node: NodeId; name: string; data: Record<string, number> };
const asNote = (e: ObservedEvent): Note | undefined => (e.kind === 'note' ? { node: e.node, name: e.name, data: (e.data ?? {}) as Record<string, number> } : undefined);

function always(name: string, description: string, check: (e: ObservedEvent, view: CheckerView) => string | undefined): AlwaysChecker {
  let violation: string | undefined;
  let standDown: string | undefined;
  return {
    name, kind: 'always', description,
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
  return always('election-safety', 'at most one leader is elected in any term', (e) => {
    const n = asNote(e);
    if (n?.name !== 'leader') return undefined;
    const term = n.data.term as number;
    const other = leaders.get(term);
    if (other !== undefined && other !== n.node) return `n${other} and n${n.node} were both leader in term ${term}`;
    leaders.set(term, n.node);
    return undefined;
  });
}

export function logMatching(): AlwaysChecker {
  const seen = new Map<string, { h: number; node: NodeId }>();
  return always('log-matching', 'entries with the same index and term have identical logs up to them', (e) => {
    const n = asNote(e);
    if (n?.name !== 'entry') return undefined;
    const key = `${n.data.index}:${n.data.term}`;
    const first = seen.get(key);
    if (first && first.h !== n.data.h) return `n${first.node} and n${n.node} hold entries at index ${n.data.index} in term ${n.data.term} whose logs differ before them`;
    if (!first) seen.set(key, { h: n.data.h as number, node: n.node });
    return undefined;
  });
}

/** Each node's log as a list of prefix hashes, rebuilt from boots and entry/truncate notes. */
class LogMirror {
  private readonly logs = new Map<NodeId, number[]>();
  observe(e: ObservedEvent): void {
    if (e.kind === 'boot') this.logs.set(e.node, ((e.state as RaftState | undefined)?.log ?? []).map((x: Entry) => x.h));
    const n = asNote(e);
    if (!n) return;
    const log = this.logs.get(n.node) ?? [];
    if (n.name === 'truncate') log.length = Math.min(log.length, (n.data.from as number) - 1);
    if (n.name === 'entry') log[(n.data.index as number) - 1] = n.data.h as number;
    this.logs.set(n.node, log);
  }
  hashAt(node: NodeId, index: number): number | undefined {
    return this.logs.get(node)?.[index - 1];
  }
}

export function leaderCompleteness(): AlwaysChecker {
  const mirror = new LogMirror();
  let committed: { index: number; h: number; term: number } | undefined;
  return always('leader-completeness', 'every leader\'s log holds all entries committed before its term', (e) => {
    mirror.observe(e);
    const n = asNote(e);
    if (n?.name === 'commit' && (n.data.index as number) > (committed?.index ?? 0)) committed = { index: n.data.index as number, h: n.data.h as number, term: n.data.term as number };
    if (n?.name !== 'leader' || !committed) return undefined;
    const h = mirror.hashAt(n.node, committed.index);
    if (h !== committed.h) return `n${n.node} became leader of term ${n.data.term} without committed entry ${committed.index} (term ${committed.term})`;
    return undefined;
  });
}

export function stateMachineSafety(): AlwaysChecker {
  const applied = new Map<number, { h: number; node: NodeId }>();
  return always('state-machine-safety', 'no two nodes apply different entries at the same index', (e) => {
    const n = asNote(e);
    if (n?.name !== 'apply') return undefined;
    const index = n.data.index as number;
    const first = applied.get(index);
    if (first && first.h !== n.data.h) return `n${first.node} and n${n.node} applied different entries at index ${index}`;
    if (!first) applied.set(index, { h: n.data.h as number, node: n.node });
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
    deadlineUs: progressBoundUs(config, options),
    observe(e: ObservedEvent, view: CheckerView) {
      const outside = outsideFaultModel(e);
      if (outside !== undefined) notOwed ??= `not owed after ${outside}`;
      if (e.kind === 'boot') roles.set(e.node, 'follower');
      if (e.kind === 'fault' && e.phase === 'start' && e.fault.type === 'crash') roles.delete(e.fault.node);
      if (e.kind === 'phase') leaderSinceHeal = [...roles.values()].includes('leader');
      const n = asNote(e);
      if (n?.name === 'role') roles.set(n.node, String((e as { data: { role: string } }).data.role));
      if (n?.name === 'leader' && view.phase === 'heal') leaderSinceHeal = true;
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
