// Per-attempt deadlines on a node's local virtual clock (the design notes' per-attempt timeout,
// 002 §4.3). A deadline is an absolute time in microseconds; a caller arms a timer for it and, when
// the timer fires or a late reply comes in, asks whether it has expired. Leaves out: cancelling the
// work itself. A timed-out attempt may still run, and have effects, on the server, so only
// idempotent operations should be retried after a timeout.

function assertTime(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${field}: expected a non-negative whole number of microseconds; got ${value}`);
  }
}

/** The absolute time at which an attempt started at `nowUs` times out. */
export function deadlineFor(nowUs: number, timeoutUs: number): number {
  assertTime(nowUs, 'nowUs');
  assertTime(timeoutUs, 'timeoutUs');
  return nowUs + timeoutUs;
}

/** True once `nowUs` has reached the deadline (a deadline is exclusive: at it, time is up). */
export function expired(nowUs: number, deadlineUs: number): boolean {
  return nowUs >= deadlineUs;
}

/** Time left before the deadline, never negative (what to arm a timer with). */
export function remainingUs(nowUs: number, deadlineUs: number): number {
  return Math.max(0, deadlineUs - nowUs);
}
