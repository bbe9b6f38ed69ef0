// Step-level tests of the saga orchestrator (n1): the log is written before every call it leads
// to, steps run forward one at a time, a refusal or a used-up retry budget compensates in reverse
// order (including the given-up step), retries back off with seeded jitter under a per-attempt
// timeout, each service's breaker opens and rejects, its bulkhead rejects or queues, and a
// restarted orchestrator resumes from its log.
import { describe, expect, it } from 'vitest';
import type { OrchestratorState, SagaState } from '../../../protocols/saga/types.ts';
import { constRng } from '../../helpers.ts';
import { configOf, ctxOf, effectsOf, msg, noteNames, notesNamed, order, orchestration, persisted, persists, protocolOf, sentMsgs, stepDurably, timer, timers, type SagaStep } from './sagaFixtures.ts';

const protocol = protocolOf();
const ctx = ctxOf(1);
const boot = (): SagaState => protocol.init(ctx, undefined).state;
const applied = (saga: number, step: number) => msg(step + 2, { type: 'StepReply', saga, step, result: 'applied' });
const undone = (saga: number, step: number) => msg(step + 2, { type: 'CompensationReply', saga, step });

/** Runs inputs through the orchestrator, completing every write; returns every step. */
function run(inputs: Parameters<typeof protocol.step>[1][], state = boot(), p = protocol, c = ctx): SagaStep[] {
  const steps: SagaStep[] = [];
  for (const input of inputs) steps.push(stepDurably(p, steps.at(-1)?.state ?? state, input, c));
  return steps;
}

const orch = (s: SagaState): OrchestratorState => s as OrchestratorState;

describe('the saga orchestrator', () => {
  it('starts a saga on an order: the log is written first, then the order step is called with a per-attempt timeout', () => {
    const step = protocol.step(boot(), order(11), ctx);
    expect(step.effects[0]).toMatchObject({ kind: 'persist', data: { active: [{ saga: 11, phase: 'forward', step: 0 }] } });
    expect(sentMsgs(step)).toEqual([{ to: 2, type: 'StepRequest', saga: 11, step: 0 }]);
    expect(timers(step)).toEqual([{ kind: 'setTimer', timer: 'c11', afterUs: 100_000 }]);
    expect(noteNames(step)).toEqual([]); // saga-start waits for the write
    expect(noteNames(protocol.step(step.state, persisted(persists(step)[0]!.token), ctx))).toEqual(['saga-start']);
  });

  it('runs the steps forward one at a time and answers the client when the saga completes', () => {
    const steps = run([order(11), applied(11, 0), applied(11, 1), applied(11, 2), applied(11, 3)]);
    expect(steps.slice(1, 4).map((s) => sentMsgs(s))).toEqual([3, 4, 5].map((to) => [{ to, type: 'StepRequest', saga: 11, step: to - 2 }]));
    const last = steps.at(-1)!;
    expect(effectsOf(last, 'reply')).toEqual([{ kind: 'reply', requestId: 11, result: { ok: true, saga: 11, outcome: 'completed' } }]);
    expect(last.effects[0]?.kind).toBe('persist'); // the answer leaves with the write that ends the saga
    expect(notesNamed(last, 'saga-end')).toEqual([{ saga: 11, outcome: 'completed' }]);
    expect(orch(last.state).active).toEqual([]);
  });

  it('a refused step compensates the steps before it, in reverse order, one at a time', () => {
    const steps = run([order(11), applied(11, 0), applied(11, 1), msg(4, { type: 'StepReply', saga: 11, step: 2, result: 'refused' }), undone(11, 1), undone(11, 0)]);
    expect(sentMsgs(steps[3]!)).toEqual([{ to: 3, type: 'CompensationRequest', saga: 11, step: 1 }]);
    expect(sentMsgs(steps[4]!)).toEqual([{ to: 2, type: 'CompensationRequest', saga: 11, step: 0 }]);
    expect(effectsOf(steps[5]!, 'reply')[0]?.result).toEqual({ ok: true, saga: 11, outcome: 'compensated', why: 'out of stock' });
  });

  it('under forward-order-compensation it undoes the steps in the order they ran', () => {
    const buggy = protocolOf(orchestration, 'forward-order-compensation');
    const steps = run([order(11), applied(11, 0), applied(11, 1), msg(4, { type: 'StepReply', saga: 11, step: 2, result: 'refused' })], buggy.init(ctx, undefined).state, buggy);
    expect(sentMsgs(steps.at(-1)!)).toEqual([{ to: 2, type: 'CompensationRequest', saga: 11, step: 0 }]);
  });

  it('retries a step whose reply is overdue after a jittered exponential backoff, and gives it up after stepAttempts', () => {
    const steps = run([order(11), applied(11, 0)]);
    let state = steps.at(-1)!.state;
    const backoffs: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const timeout = stepDurably(protocol, state, timer('c11'), ctx);
      if (attempt < 4) {
        expect(notesNamed(timeout, 'retry')).toEqual([{ saga: 11, step: 'payment', action: 'do', attempt: attempt + 1, reason: 'timed out' }]);
        backoffs.push(timers(timeout)[0]!.afterUs);
        const resend = stepDurably(protocol, timeout.state, timer('c11'), ctx);
        expect(sentMsgs(resend)).toEqual([{ to: 3, type: 'StepRequest', saga: 11, step: 1 }]);
        state = resend.state;
      } else {
        // The budget is used up: payment may have taken effect, so it is compensated first, then order.
        expect(notesNamed(timeout, 'give-up')).toEqual([{ saga: 11, step: 'payment', attempts: 4, reason: 'timed out' }]);
        expect(sentMsgs(timeout)).toEqual([{ to: 3, type: 'CompensationRequest', saga: 11, step: 1 }]);
        expect(orch(timeout.state).active[0]).toMatchObject({ phase: 'compensating', undo: [1, 0], why: 'payment did not answer' });
      }
    }
    // Full jitter with a draw of 0.5: half of 10 ms, 20 ms, 40 ms.
    expect(backoffs).toEqual([5_000, 10_000, 20_000]);
  });

  it('a compensation is retried forever', () => {
    const steps = run([order(11), applied(11, 0), msg(3, { type: 'StepReply', saga: 11, step: 1, result: 'refused' })]);
    let state = steps.at(-1)!.state;
    for (let i = 0; i < 30; i++) {
      const timeout = stepDurably(protocol, state, timer('c11'), ctx);
      expect(notesNamed(timeout, 'give-up')).toEqual([]);
      state = stepDurably(protocol, timeout.state, timer('c11'), ctx).state;
    }
    expect(orch(state).active[0]).toMatchObject({ phase: 'compensating', step: 0 });
  });

  it('accepts a late reply from an earlier attempt while it backs off', () => {
    const steps = run([order(11), timer('c11'), applied(11, 0)]);
    expect(sentMsgs(steps.at(-1)!)).toEqual([{ to: 3, type: 'StepRequest', saga: 11, step: 1 }]);
    // ... and ignores a reply about a step it is no longer running.
    expect(run([applied(11, 0)], steps.at(-1)!.state)[0]!.effects).toEqual([]);
  });

  it('opens a service\'s breaker after consecutive failures, then rejects calls without sending them', () => {
    const cfg = configOf({ breakerFailures: 2, breakerRate: 0 });
    const p = protocolOf(cfg);
    const c = ctxOf(1, cfg);
    const steps = run([order(11), order(12), timer('c11'), timer('c12')], p.init(c, undefined).state, p, c);
    expect(notesNamed(steps[3]!, 'breaker')).toEqual([{ service: 'order', from: 'closed', to: 'open', reason: 'consecutive-failures' }]);
    const retry = run([timer('c11')], steps.at(-1)!.state, p, c)[0]!;
    expect(sentMsgs(retry)).toEqual([]);
    expect(notesNamed(retry, 'rejected')).toEqual([{ saga: 11, service: 'order', by: 'breaker' }]);
  });

  it('lets a half-open trial through after the open period; a failed trial reopens, a good one closes', () => {
    const cfg = configOf({ breakerFailures: 1, breakerRate: 0, breakerOpenFor: '1s' });
    const p = protocolOf(cfg);
    const at = (us: number) => ctxOf(1, cfg, us);
    let s = stepDurably(p, p.init(at(0), undefined).state, order(11), at(0)).state;
    s = stepDurably(p, s, timer('c11'), at(100_000)).state; // fails: open until 1.1 s
    const trial = stepDurably(p, s, timer('c11'), at(1_200_000));
    expect(notesNamed(trial, 'breaker')).toEqual([{ service: 'order', from: 'open', to: 'half-open', reason: 'open-period-over' }]);
    expect(sentMsgs(trial)).toHaveLength(1);
    expect(notesNamed(stepDurably(p, trial.state, timer('c11'), at(1_300_000)), 'breaker')).toEqual([{ service: 'order', from: 'half-open', to: 'open', reason: 'trial-failed' }]);
    expect(notesNamed(stepDurably(p, trial.state, applied(11, 0), at(1_250_000)), 'breaker')).toEqual([{ service: 'order', from: 'half-open', to: 'closed', reason: 'trials-succeeded' }]);
  });

  it('the bulkhead admits `bulkhead` concurrent calls to a service and rejects the next (no queue)', () => {
    const steps = run([order(11), order(12), order(13), order(14)]);
    expect(steps.slice(0, 3).map((s) => sentMsgs(s).length)).toEqual([1, 1, 1]);
    expect(sentMsgs(steps[3]!)).toEqual([]);
    expect(notesNamed(steps[3]!, 'rejected')).toEqual([{ saga: 14, service: 'order', by: 'bulkhead' }]);
  });

  it('with a queue, the call over the limit waits and goes out when a slot frees', () => {
    const cfg = configOf({ bulkhead: 1, bulkheadQueue: 1 });
    const p = protocolOf(cfg);
    const c = ctxOf(1, cfg);
    const steps = run([order(11), order(12), applied(11, 0)], p.init(c, undefined).state, p, c);
    expect(sentMsgs(steps[1]!)).toEqual([]);
    expect(noteNames(steps[1]!)).not.toContain('rejected');
    // The freed slot goes to the queued call at once; then saga 11 moves on.
    expect(sentMsgs(steps[2]!)).toEqual([{ to: 2, type: 'StepRequest', saga: 12, step: 0 }, { to: 3, type: 'StepRequest', saga: 11, step: 1 }]);
  });

  it('a repeated order while the saga runs starts nothing; after it ends the outcome is answered at once', () => {
    const steps = run([order(11), order(11)]);
    expect(steps[1]!.effects).toEqual([]);
    const done = run([applied(11, 0), applied(11, 1), applied(11, 2), applied(11, 3), order(11)], steps[1]!.state);
    expect(done.at(-1)!.effects).toEqual([{ kind: 'reply', requestId: 11, result: { ok: true, saga: 11, outcome: 'completed' } }]);
  });

  it('resumes from its log after a restart: the current step (or compensation) is sent again', () => {
    const steps = run([order(11), applied(11, 0), order(12), msg(2, { type: 'StepReply', saga: 12, step: 0, result: 'applied' }), msg(3, { type: 'StepReply', saga: 12, step: 1, result: 'refused' })]);
    const disk = persists(protocol.step(steps.at(-1)!.state, order(13), ctx))[0]!.data as { active: unknown[] };
    const restarted = protocol.init(ctx, { ...disk, active: disk.active.slice(0, 2) });
    expect(notesNamed(restarted, 'resume')).toEqual([{ sagas: 2 }]);
    expect(sentMsgs(restarted)).toEqual([{ to: 3, type: 'StepRequest', saga: 11, step: 1 }, { to: 2, type: 'CompensationRequest', saga: 12, step: 0 }]);
    // The volatile-saga-log bug forgets them.
    expect(sentMsgs(protocolOf(orchestration, 'volatile-saga-log').init(ctx, disk))).toEqual([]);
  });

  it('does not act on a log change that is not on disk: a retry after a failed write writes again', () => {
    const first = protocol.step(boot(), order(11), ctx);
    const failed = protocol.step(first.state, persisted(persists(first)[0]!.token, false), ctx);
    const timeout = protocol.step(failed.state, timer('c11'), ctx);
    const resend = protocol.step(timeout.state, timer('c11'), ctx);
    expect(sentMsgs(resend)).toHaveLength(1);
    expect(resend.effects[0]?.kind).toBe('persist');
  });

  it('draws its jitter from its own stream: another draw gives another backoff', () => {
    const c = ctxOf(1, orchestration, 0, constRng(0.25));
    const s = stepDurably(protocol, protocol.init(c, undefined).state, order(11), c);
    expect(timers(stepDurably(protocol, s.state, timer('c11'), c))[0]!.afterUs).toBe(2_500);
  });
});
