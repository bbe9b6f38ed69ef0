// The ShiViz export of a Raft run under a partition (every protocol: everyProtocol.test.ts): the
// file's layout, messages cut by the partition as sends with no receive, a receive's clock as the
// exact join; several traces as labelled executions; --until. The validator (which parses a log
// as ShiViz does and checks ShiViz's clock rules) rejects each kind of broken log.
import { describe, expect, it } from 'vitest';
import { exportShiviz, SHIVIZ_DELIMITER, SHIVIZ_REGEX } from '../../sim/export/shiviz.ts';
import { protocolRun } from './exportFixtures.ts';
import { validateShiviz } from './shivizValidator.ts';

describe('a Raft run under a partition', () => {
  const { input } = protocolRun('raft');
  const text = exportShiviz([input]);
  const [execution] = validateShiviz(text);

  it('starts with the parser expression and the delimiter, then one line per event', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe(SHIVIZ_REGEX);
    expect(lines[1]).toBe(SHIVIZ_DELIMITER);
    expect(lines[2]).toBe('=== raft seed 1 ===');
    expect(lines[3]).toMatch(/^n1 \{"n1":1\} 0\.000000s boot \(disk fresh\)$/);
  });

  it('messages cut by the partition are sends that name the drop and have no receive', () => {
    const partitionDrops = input.events.filter((e) => e.kind === 'drop' && e.reason === 'partition');
    expect(partitionDrops.length).toBeGreaterThan(0);
    for (const drop of partitionDrops.slice(0, 20)) {
      if (drop.kind !== 'drop') continue;
      const send = execution?.events.find((e) => new RegExp(` #${drop.id} to n${drop.to}\\b`).test(e.event));
      expect(send?.event).toMatch(/\(dropped: partition\)/);
      expect(execution?.unreceived).toContain(drop.id);
    }
    expect(execution?.events.some((e) => e.event.startsWith('fault begins: partition {n1,n2} | {n3,n4,n5}'))).toBe(true);
  });

  it('a receive carries the join of the send\'s clock and the receiver\'s previous clock, plus one', () => {
    const receive = execution?.events.find((e) => e.event.startsWith('receive ') && Object.keys(e.clock).length >= 3);
    const id = Number(/#(\d+)/.exec(receive?.event ?? '')?.[1]);
    const send = execution?.events.find((e) => new RegExp(`^send \\S+.* #${id} to`).test(e.event));
    const previous = [...(execution?.events ?? [])].reverse().find((e) => e.host === receive?.host && e.line < (receive?.line ?? 0));
    const expected: Record<string, number> = { ...previous?.clock };
    for (const [h, v] of Object.entries(send?.clock ?? {})) expected[h] = Math.max(expected[h] ?? 0, v);
    expected[receive?.host ?? ''] = (previous?.clock[receive?.host ?? ''] ?? 0) + 1;
    expect(receive?.clock).toEqual(expected);
  });
});

describe('several traces, one file', () => {
  it('each trace is an execution with its own label; repeated labels are made unique', () => {
    const a = protocolRun('heartbeat', 1).input;
    const b = protocolRun('heartbeat', 2).input;
    const executions = validateShiviz(exportShiviz([a, b, a]));
    expect(executions.map((e) => e.label)).toEqual(['heartbeat seed 1', 'heartbeat seed 2', 'heartbeat seed 1 (2)']);
    expect(executions[0]?.events.length).toBe(executions[2]?.events.length);
    expect(executions[0]?.events.length).not.toBe(executions[1]?.events.length);
  });

  it('--until leaves out later events; a message delivered after the cut is a send with no receive', () => {
    const { input } = protocolRun('heartbeat');
    const sendAt = new Map(input.events.flatMap((e) => (e.kind === 'send' ? [[e.id, e.t] as const] : [])));
    const late = input.events.find((e) => e.kind === 'deliver' && e.t > 500_000 && e.t > (sendAt.get(e.id) ?? e.t));
    if (late?.kind !== 'deliver') throw new Error('no delivery to cut');
    const untilUs = sendAt.get(late.id) as number;
    const [cut] = validateShiviz(exportShiviz([input], { untilUs }));
    expect(cut?.events.every((e) => Number(e.time.slice(0, -1)) * 1e6 <= untilUs + 0.5)).toBe(true);
    expect(cut?.events.length).toBeLessThan(validateShiviz(exportShiviz([input]))[0]?.events.length ?? 0);
    expect(cut?.unreceived).toContain(late.id);
  });
});

describe('the validator rejects logs that break ShiViz\'s rules', () => {
  const text = exportShiviz([protocolRun('heartbeat').input]);
  const lines = text.split('\n');
  const edit = (index: number, change: (line: string) => string) => lines.map((l, i) => (i === index ? change(l) : l)).join('\n');
  const receiveAt = lines.findIndex((l) => / receive /.test(l) && (l.match(/"n\d":/g)?.length ?? 0) >= 2);
  const sendAt = lines.findIndex((l) => / send /.test(l));

  it.each<[string, () => string, RegExp]>([
    ['a gap in a host\'s own clock', () => lines.filter((_, i) => i !== sendAt).join('\n'), /own clock goes from|not logged before|logs only|join of/],
    ['a receive clock that is not the exact join', () => edit(receiveAt, (l) => l.replace(/"n(\d)":(\d+)/, (_m, h, v) => (l.startsWith(`n${h} `) ? `"n${h}":${v}` : `"n${h}":${Number(v) - 1}`))), /impermissible|join/],
    ['a clock naming a host that logs nothing', () => edit(sendAt, (l) => l.replace('{', '{"n9":1,')), /n9, which logs no events/],
    ['a clock without its own host', () => edit(sendAt, (l) => l.replace(/\{[^}]*\}/, '{"n2":1}')), /missing from its clock|n2/],
    ['a zero entry', () => edit(sendAt, (l) => l.replace('}', ',"n3":0}')), /not a whole number >= 1/],
    ['a receive of a message no line sends', () => edit(receiveAt, (l) => l.replace(/#\d+ from/, '#999999 from')), /message #999999, which no earlier line sends/],
    ['a line the parser does not read', () => edit(sendAt, () => 'not an event'), /not events the parser reads/],
  ])('%s', (_name, broken, message) => {
    expect(() => validateShiviz(text)).not.toThrow();
    expect(() => validateShiviz(broken())).toThrow(message);
  });
});
