import { describe, expect, it } from 'vitest';
import { Disk } from '../../sim/disk.ts';
import { SeedRng } from '../../sim/rng.ts';
import { notes, ofKind, simulate, testProtocol, testSpec, type TestEffect } from '../helpers.ts';

describe('Disk', () => {
  it('is fresh until a write commits; then reads back the data, frozen, so no alias can change it', () => {
    const disk = new Disk(100);
    expect(disk.read()).toEqual({ durable: undefined, status: 'fresh' });
    const data = { log: [1, 2], term: 3 };
    expect(disk.commit(data)).toBe(true);
    expect(() => data.log.push(99)).toThrow(TypeError);
    const first = disk.read();
    expect(first).toEqual({ durable: { log: [1, 2], term: 3 }, status: 'ok' });
    expect(Object.isFrozen(first.durable)).toBe(true);
    expect(() => ((first.durable as { term: number }).term = 4)).toThrow(TypeError);
  });

  it('completes writes in issue order, each taking the latency', () => {
    const disk = new Disk(100);
    expect(disk.scheduleWrite(0)).toBe(100);
    expect(disk.scheduleWrite(10)).toBe(200);
    expect(disk.scheduleWrite(500)).toBe(600);
    disk.slowLatencyUs = 1_000;
    expect(disk.scheduleWrite(600)).toBe(1_600);
  });

  it('a crash abandons queued writes: the next write starts at once', () => {
    const disk = new Disk(100);
    disk.scheduleWrite(0);
    disk.scheduleWrite(0);
    disk.crash(50);
    expect(disk.scheduleWrite(50)).toBe(150);
  });

  it('a full disk fails writes and keeps the old data', () => {
    const disk = new Disk(100);
    disk.commit({ v: 1 });
    disk.full = true;
    expect(disk.commit({ v: 2 })).toBe(false);
    expect(disk.read().durable).toEqual({ v: 1 });
  });

  it('corruption is caught by the checksum on read', () => {
    const disk = new Disk(100);
    expect(disk.corrupt(SeedRng.fromSeed(1))).toBe(false); // nothing to corrupt
    disk.commit({ v: 1, name: 'abc' });
    expect(disk.corrupt(SeedRng.fromSeed(1))).toBe(true);
    expect(disk.read()).toEqual({ durable: undefined, status: 'corrupt' });
  });
});

interface StoreState {
  v: number;
}

/**
 * n1 writes {v} every 100 ms (v counts up from its durable value) and, in the same step, sends
 * Stored{v} to n2. The send is listed before the persist: the engine must still hold it.
 * Every node notes what init got, and every persisted input.
 */
const store = testProtocol<StoreState>('store', {
  init: (ctx, durable) => {
    const d = durable as StoreState | undefined;
    const effects: TestEffect[] = [{ kind: 'note', name: 'init', data: d ?? 'none' }];
    if (ctx.id === 1) effects.push({ kind: 'setTimer', timer: 'write', afterUs: 100_000 });
    return { state: { v: d?.v ?? 0 }, effects };
  },
  step: (state, input) => {
    if (input.kind === 'timer') {
      const v = state.v + 1;
      return {
        state: { v },
        effects: [
          { kind: 'send', to: 2, msg: { type: 'Stored', v } },
          { kind: 'persist', token: v, data: { v } },
          { kind: 'setTimer', timer: 'write', afterUs: 100_000 },
        ],
      };
    }
    if (input.kind === 'persisted') return { state, effects: [{ kind: 'note', name: 'persisted', data: { token: input.token, ok: input.ok } }] };
    return { state, effects: [] };
  },
});

const storeRun = (latencyUs: number, faults: unknown[] = [], faultPhaseUs = 1_000_000) => simulate(testSpec(store), { storage: { latencyUs }, faultPhaseUs }, faults);

describe('persistence through the engine', () => {
  it('a persist effect is answered by a persisted input (ok) after the storage latency', () => {
    const run = storeRun(5_000);
    const persisted = notes(run.events, 'persisted', 1);
    expect(persisted.slice(0, 3).map((n) => [n.t, n.data])).toEqual([
      [105_000, { token: 1, ok: true }],
      [205_000, { token: 2, ok: true }],
      [305_000, { token: 3, ok: true }],
    ]);
    expect(ofKind(run.events, 'persist')[0]).toEqual({ t: 105_000, kind: 'persist', node: 1, token: 1, ok: true });
  });

  it('sends of the same step leave only once the write is durable; timers are not held', () => {
    const run = storeRun(5_000);
    const persists = ofKind(run.events, 'persist');
    const sends = ofKind(run.events, 'send');
    expect(sends.length).toBeGreaterThanOrEqual(9);
    sends.forEach((send, i) => {
      const done = persists[i];
      expect(done?.token).toBe((send.msg as { v: number }).v);
      expect(send.t).toBeGreaterThanOrEqual(done?.t as number);
      expect(run.lines.indexOf(JSON.stringify(send))).toBeGreaterThan(run.lines.indexOf(JSON.stringify(done)));
    });
    expect(ofKind(run.events, 'timer').slice(0, 3).map((e) => e.t)).toEqual([100_000, 200_000, 300_000]);
  });

  it('a full disk fails the write (persisted ok: false) and drops its held sends as persist-failed', () => {
    const run = storeRun(5_000, [{ at: '150ms', for: '100ms', type: 'disk-full', node: 'n1' }]);
    expect(notes(run.events, 'persisted', 1).slice(0, 3).map((n) => n.data)).toEqual([
      { token: 1, ok: true },
      { token: 2, ok: false },
      { token: 3, ok: true },
    ]);
    const drops = ofKind(run.events, 'drop');
    expect(drops.map((d) => [d.t, d.reason])).toEqual([[205_000, 'persist-failed']]);
    const dropped = ofKind(run.events, 'send').find((s) => s.id === drops[0]?.id);
    expect(dropped?.msg).toEqual({ type: 'Stored', v: 2 });
  });

  it('a paused node sends nothing: sends held by a write that completes during a pause leave on resume (regression)', () => {
    const run = storeRun(5_000, [{ at: '101ms', for: '100ms', type: 'pause', node: 'n1' }]);
    expect(ofKind(run.events, 'persist')[0]).toMatchObject({ t: 105_000, token: 1, ok: true }); // the disk does not pause
    const first = ofKind(run.events, 'send')[0];
    expect(first).toMatchObject({ t: 201_000, msg: { type: 'Stored', v: 1 } });
    expect(notes(run.events, 'persisted', 1)[0]).toMatchObject({ t: 201_000, data: { token: 1, ok: true } });
  });

  it('a crash after the write completed but before a paused node ran again keeps the data and drops the sends', () => {
    const run = storeRun(5_000, [
      { at: '101ms', for: '100ms', type: 'pause', node: 'n1' },
      { at: '150ms', for: '50ms', type: 'crash', node: 'n1' },
    ]);
    expect(notes(run.events, 'init', 1).map((n) => [n.t, n.data])).toEqual([[0, 'none'], [200_000, { v: 1 }]]);
    const lost = ofKind(run.events, 'drop').filter((d) => d.from === 1);
    expect(lost.map((d) => [d.t, d.reason])).toEqual([[150_000, 'crash-before-persist']]);
    expect(notes(run.events, 'persisted', 1).filter((n) => n.t < 200_000)).toEqual([]);
  });

  it('a slow disk stretches the write latency while it lasts', () => {
    const run = storeRun(5_000, [{ at: '150ms', for: '100ms', type: 'disk-slow', node: 'n1', latency: '40ms' }]);
    expect(ofKind(run.events, 'persist').slice(0, 3).map((p) => p.t)).toEqual([105_000, 240_000, 305_000]);
  });

  it('a crash before the write completes loses it: the restart reads the older durable state', () => {
    // Writes at 100 ms (done at 150 ms) and 200 ms (would be done at 250 ms); crash at 220 ms.
    const run = storeRun(50_000, [{ at: '220ms', for: '100ms', type: 'crash', node: 'n1' }]);
    expect(notes(run.events, 'init', 1).map((n) => [n.t, n.data])).toEqual([
      [0, 'none'],
      [320_000, { v: 1 }],
    ]);
    const beforeRestart = notes(run.events, 'persisted', 1).filter((n) => n.t < 320_000);
    expect(beforeRestart.map((n) => n.data)).toEqual([{ token: 1, ok: true }]);
    expect(ofKind(run.events, 'persist').some((p) => p.t === 250_000)).toBe(false);
    const drops = ofKind(run.events, 'drop');
    expect(drops.filter((d) => d.reason === 'crash-before-persist').map((d) => d.t)).toEqual([220_000]);
    const lost = ofKind(run.events, 'send').find((s) => s.id === drops[0]?.id);
    expect(lost?.msg).toEqual({ type: 'Stored', v: 2 });
    // After the restart n1 counts on from its durable v=1, so it writes v=2 again.
    const after = ofKind(run.events, 'persist').filter((p) => p.t > 320_000);
    expect(after[0]).toMatchObject({ token: 2, ok: true, t: 470_000 });
  });

  it('corruption is detected at restart: boot shows disk "corrupt" and init gets undefined', () => {
    const faults = [{ at: '160ms', for: '40ms', type: 'crash', node: 'n1' }];
    const clean = storeRun(5_000, faults);
    const cleanBoots = ofKind(clean.events, 'boot').filter((b) => b.node === 1);
    expect(cleanBoots.map((b) => b.disk)).toEqual(['fresh', 'ok']);
    expect(notes(clean.events, 'init', 1).map((n) => n.data)).toEqual(['none', { v: 1 }]);

    const corrupted = storeRun(5_000, [{ at: '150ms', type: 'disk-corrupt', node: 'n1' }, ...faults]);
    const boots = ofKind(corrupted.events, 'boot').filter((b) => b.node === 1);
    expect(boots.map((b) => [b.t, b.disk])).toEqual([[0, 'fresh'], [200_000, 'corrupt']]);
    expect(notes(corrupted.events, 'init', 1).map((n) => n.data)).toEqual(['none', 'none']);
  });
});
