// Whether protocol states and stored data are frozen. Freezing is a check, as Immer's auto-freeze
// and Redux's immutability check are: an accidental write to an earlier state, or to what a disk
// holds, throws instead of silently changing the past. It changes no result of a protocol that
// never writes to what it made, and it costs: a frozen raft-5 run takes 1.2 to 1.3 times as long
// (the freezes, and V8's slower paths on frozen objects). So it is on by default (the library,
// every test, a user's protocol) and the CLI turns it off only while it runs faultlab's own
// protocols, which the tests run frozen; freezing.test.ts checks that a run gives the same trace
// either way. One switch per process (each worker thread has its own): faultlab's copy-on-write
// helpers, its protocols, the disk's deep freeze, the tracer's message cache and Immer's
// auto-freeze follow it.
import { setAutoFreeze } from 'immer';

let freezing = true;

/** Turns freezing on or off for every protocol in this process (or worker). */
export function setFreezing(on: boolean): void {
  freezing = on;
  setAutoFreeze(on);
}

export const isFreezing = (): boolean => freezing;

/** Object.freeze when freezing is on; else the value as it is. */
export function freeze<T>(value: T): Readonly<T> {
  return freezing ? Object.freeze(value) : value;
}

/**
 * Whether a value needs no freezing: it is frozen already, or freezing is off. Helpers ask this
 * where they would freeze a copy of frozen data, or stop a deep freeze.
 */
export function settled(value: object): boolean {
  return !freezing || Object.isFrozen(value);
}
