// How a run ended. pass; safety (an always-invariant broke); liveness (an eventually-property did
// not hold by its deadline in the heal phase); crash (a protocol handler threw or broke the
// protocol contract); guard (the event budget or the virtual-time limit stopped the run).
import type { NodeId } from './types.ts';

export type Verdict =
  | { kind: 'pass' }
  | { kind: 'safety' | 'liveness'; checker: string; message: string; atUs: number }
  /** stack: where the handler threw (not in the trace: it names files on this machine). */
  | { kind: 'crash'; node: NodeId; message: string; atUs: number; stack?: string }
  | { kind: 'guard'; reason: 'event-budget' | 'time-limit'; message: string; atUs: number };

export type VerdictKind = Verdict['kind'];

export function describeVerdict(v: Verdict): string {
  switch (v.kind) {
    case 'pass':
      return 'pass';
    case 'safety':
    case 'liveness':
      return `${v.kind} violation: ${v.checker}: ${v.message}`;
    case 'crash':
      return `crash: n${v.node}: ${v.message}`;
    case 'guard':
      return `guard (${v.reason}): ${v.message}`;
  }
}
