// The leader-chase pattern (leader-based protocols): a chain of 2 or 3 partitions, each cutting
// off the newest leader from everyone else, built on event-triggered faults (faultTriggers.ts):
//  - step i starts a delay of 0 to 16 ms (log scale; about one slow message latency or less)
//    after the i-th election note counted from the pattern's start; the last step waits instead
//    for the first commit note after that election, if the protocol notes commits (the moment a
//    new leader's decisions become durable, which the Raft paper's figure 8 turns on);
//  - it cuts off the node that made the note ("noted"), alone, or in a quarter of the chains with
//    1 or 2 random companions, from all the others ("others");
//  - it lasts until the next step starts; the last one lasts until the next election note plus
//    its own delay (or the heal phase, if no other leader is ever elected).
// So a leader is cut off before its first AppendEntries lands, the majority elects another, that
// one is cut off too, and so on: figure 8 on three nodes is "election, election, first commit".
// It shrinks to fewer steps, shorter delays, no companions and an earlier start.
// Leaves out: crashing the leader (flapping and crash storms do that) and companions chosen by
// role (they are node ids, drawn like any other).
import fc from 'fast-check';
import type { PlanFault } from '../faultPlan.ts';
import type { Trigger } from '../faultTriggers.ts';
import type { LeaderNotes } from '../protocolSpec.ts';
import { logDurationUs } from './faultArbitrary.ts';

/** Steps per chain, the longest delay after a note (ms), companions per step. */
export const CHASE_STEPS: readonly [number, number] = [2, 3];
export const MAX_CHASE_DELAY_MS = 16;
export const MAX_COMPANIONS = 2;

interface Chain {
  atUs: number;
  delays: number[];
  endDelayUs: number;
  crowd: boolean;
  companions: number[][];
}

const delayUs = logDurationUs(MAX_CHASE_DELAY_MS + 1).map((us) => us - 1_000);

export function leaderChase(notes: LeaderNotes, maxNodes: number, faultPhaseUs: number, start: fc.Arbitrary<number>): fc.Arbitrary<PlanFault[]> {
  const companions = fc.uniqueArray(fc.integer({ min: 1, max: maxNodes }), { minLength: 1, maxLength: MAX_COMPANIONS });
  return fc.record({
    atUs: start,
    delays: fc.array(delayUs, { minLength: CHASE_STEPS[0], maxLength: CHASE_STEPS[1], size: 'max' }),
    endDelayUs: delayUs,
    crowd: fc.constantFrom(false, false, false, true),
    companions: fc.array(companions, { minLength: CHASE_STEPS[1], maxLength: CHASE_STEPS[1] }),
  }).map((chain) => chainFaults(chain, notes, faultPhaseUs));
}

function chainFaults(c: Chain, notes: LeaderNotes, faultPhaseUs: number): PlanFault[] {
  if (c.atUs >= faultPhaseUs) return [];
  const last = c.delays.length - 1;
  const trigger = (i: number, delay: number): Trigger => {
    const elected = { note: notes.elected, nth: i + 1 };
    return i === last && notes.commit !== undefined ? { note: notes.commit, nth: 1, delay, since: elected } : { ...elected, delay };
  };
  return c.delays.map((delay, i): PlanFault => {
    const side = ['noted' as const, ...(c.crowd ? [...(c.companions[i] ?? [])].sort((a, b) => a - b) : [])];
    const until = i < last ? trigger(i + 1, c.delays[i + 1] as number) : { note: notes.elected, nth: i + 2, delay: c.endDelayUs };
    return { type: 'partition', at: c.atUs, groups: [side, ['others']], after: trigger(i, delay), until };
  });
}
