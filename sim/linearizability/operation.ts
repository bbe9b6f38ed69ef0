// One operation of a client history, as the linearizability checker sees it: what was asked
// (input), what came back (output, or UNKNOWN), and the real-time window it occupied. An operation
// of unknown outcome (never returned, timed out, `info`) has returnUs = +Infinity and an UNKNOWN
// output: it may have taken effect at any moment after its call, or never.
// Leaves out: any notion of process identity beyond a label (`client`); the checker needs none.

/** The output of an operation whose outcome is not known. */
export const UNKNOWN: unique symbol = Symbol('unknown outcome');
export type Unknown = typeof UNKNOWN;

export interface Operation<I, O> {
  /** Unique within a history; reported back in results. */
  readonly id: number;
  /** Who issued it (process, client); only for reports. */
  readonly client: number;
  readonly input: I;
  readonly output: O | Unknown;
  /** When it was called. Any clock that only moves forward: microseconds, line numbers. */
  readonly callUs: number;
  /** When it returned; +Infinity when the outcome is unknown. */
  readonly returnUs: number;
}

export function isUnknown<O>(output: O | Unknown): output is Unknown {
  return output === UNKNOWN;
}
