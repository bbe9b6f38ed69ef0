// The viewer's trace indexer (web/trace/) against sim/traceReader.ts: on real traces of every
// protocol it finds the same events; on damaged and hostile files it fails on the same line with
// the same reason; its copy-on-write patch folding rebuilds the same states as immer.
import { applyPatches, enablePatches } from 'immer';
import { describe, expect, test } from 'vitest';
import { readTrace, TraceError } from '../../sim/traceReader.ts';
import { KIND, KIND_NAMES } from '../../web/trace/columns.ts';
import { lineText } from '../../web/trace/lineIndex.ts';
import { indexTrace } from '../../web/trace/traceIndexer.ts';
import { encoder, runSpec, splitTrace, traceText, withFooter } from './webTraces.ts';

enablePatches();

const TRACES = {
  raft: traceText(runSpec('raft', { seed: '3', duration: '2s', clients: '2' }, { faults: [{ type: 'crash', at: '1s', node: 'n1', for: '300ms' }] })),
  'raft, leader chase': traceText(runSpec('raft', { seed: '5', duration: '2s', nodes: '3', clients: '2' }, { faults: [
    { type: 'partition', at: 0, groups: [['noted'], ['others']], after: { note: 'leader', delay: '1ms' }, until: { note: 'leader', nth: 2 } },
    { type: 'crash', at: 0, node: 'noted', after: { note: 'leader', nth: 2, delay: '5ms' }, for: '100ms' },
  ] })),
  swim: traceText(runSpec('swim', { seed: '2', duration: '3s', loss: '0.1', dup: '0.1' })),
  heartbeat: traceText(runSpec('heartbeat', { seed: '4', duration: '2s' }, { faults: [{ type: 'partition', at: '1s', for: '500ms', groups: [['n1'], ['n2', 'n3', 'n4', 'n5']] }] })),
  '2pc': traceText(runSpec('2pc', { seed: '1', duration: '1s' })),
  saga: traceText(runSpec('saga', { seed: '1', duration: '1s', dup: '0.1' })),
};

function failure(text: string, viewer: boolean): string {
  try {
    if (viewer) indexTrace(encoder.encode(text));
    else readTrace(text);
  } catch (error) {
    if (error instanceof TraceError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('valid traces', () => {
  for (const [protocol, text] of Object.entries(TRACES)) {
    test(`${protocol}: the same events as sim/traceReader`, () => {
      const expected = readTrace(text);
      const got = indexTrace(encoder.encode(text));
      expect(got.columns.count).toBe(expected.events.length);
      expect(got.footer.traceHash).toBe(expected.footer.traceHash);
      expected.events.forEach((e, i) => {
        if (got.columns.t[i] !== e.t || KIND_NAMES[got.columns.kind[i] as number] !== e.kind) throw new Error(`event ${i} differs`);
      });
      const line = expected.lines.length - 2;
      expect(lineText(got.bytes, got.lineStart, line)).toBe(expected.lines[line]);
    });

    test(`${protocol}: folded states equal immer's applyPatches`, () => {
      const expected = readTrace(text);
      const got = indexTrace(encoder.encode(text));
      const states = new Map<number, unknown>();
      const probes = new Set([0, 1, Math.floor(expected.events.length / 3), expected.events.length - 1]);
      const read = (i: number) => JSON.parse(lineText(got.bytes, got.lineStart, i + 1));
      expected.events.forEach((e, i) => {
        if (e.kind === 'boot') states.set(e.node, e.state);
        if (e.kind === 'state') states.set(e.node, applyPatches(states.get(e.node) as object, e.patches as never));
        if (!probes.has(i)) return;
        for (const [node, state] of states) expect(got.states.stateAt(node, i, read).state).toEqual(state);
      });
    });
  }

  test('pairs messages: deliveries and drops point at their send, duplicates are flagged', () => {
    const got = indexTrace(encoder.encode(TRACES.swim));
    const c = got.columns;
    let duplicates = 0;
    for (let i = 0; i < c.count; i++) {
      if (c.kind[i] !== KIND.deliver && c.kind[i] !== KIND.drop) continue;
      const send = c.link[i] as number;
      expect(c.kind[send]).toBe(KIND.send);
      expect(c.id[send]).toBe(c.id[i]);
      if ((c.f[i] as number) & 2) duplicates++;
    }
    expect(duplicates).toBeGreaterThan(0);
  });
});

describe('bad files fail like the CLI: same line, same reason', () => {
  const { header, events, footer } = splitTrace(TRACES.heartbeat);
  const t7 = (JSON.parse(events[6] as string) as { t: number }).t;
  const cases: Record<string, string> = {
    empty: '',
    'no newline at the end': TRACES.heartbeat.slice(0, -1),
    'cut in the middle': `${TRACES.heartbeat.slice(0, Math.floor(TRACES.heartbeat.length / 2))}\n`,
    'not JSON': withFooter(header, [...events.slice(0, 5), '{"t":1,', ...events.slice(5)]),
    'unknown kind': withFooter(header, [...events.slice(0, 5), '{"t":1,"kind":"teleport"}', ...events.slice(5)]),
    'extra field': withFooter(header, [events[0] as string, (events[1] as string).replace(/}$/, ',"x":1}'), ...events.slice(2)]),
    'time goes backwards': withFooter(header, [...events.slice(0, 20), (events[1] as string), ...events.slice(20)]),
    'wrong field type': withFooter(header, [...events.slice(0, 7), `{"t":${t7},"kind":"deliver","id":"7","from":1,"to":2}`, ...events.slice(7)]),
    'bad patch op': withFooter(header, [...events.slice(0, 7), `{"t":${t7},"kind":"state","node":1,"patches":[{"op":"move","path":["a"]}]}`, ...events.slice(7)]),
    'no end record': `${[header, ...events].join('\n')}\n`,
    'lines after the end record': `${TRACES.heartbeat}${events[3]}\n`,
    'edited line (hash)': `${[header, ...events.slice(0, 9), (events[9] as string).replace(/"t":(\d+)/, (_m, t: string) => `"t":${t}`).replace('"from":', '"from": '), ...events.slice(10), footer].join('\n')}\n`,
    'unsupported version': TRACES.heartbeat.replace('{"faultlab":1', '{"faultlab":2'),
    'not a trace': '{"hello":"world"}\n',
    'header with a bad option': TRACES.heartbeat.replace('"nodes":5', '"nodes":-1'),
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      const cli = failure(text, false);
      expect(cli).not.toBe('accepted');
      // Same line and field; the wording of a type error may be the viewer's own.
      const where = (m: string) => m.split(': ').slice(0, 3).join(': ');
      expect(where(failure(text, true))).toBe(where(cli));
    });
  }

  test('hostile values: node numbers beyond the cluster and __proto__ paths are refused with the line', () => {
    const outside = withFooter(header, [...events.slice(0, 7), `{"t":${t7},"kind":"timer","node":9,"timer":"beat"}`, ...events.slice(7)]);
    expect(failure(outside, true)).toMatch(/line 9: timer event field node: node 9 does not exist \(the header says the cluster has 5 nodes\)/);
    const proto = withFooter(header, [...events.slice(0, 7), `{"t":${t7},"kind":"state","node":1,"patches":[{"op":"add","path":["__proto__","x"],"value":1}]}`, ...events.slice(7)]);
    expect(failure(proto, true)).toMatch(/line 9: .*"__proto__" is not allowed/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const misfit = withFooter(header, [...events.slice(0, 7), `{"t":${t7},"kind":"state","node":1,"patches":[{"op":"add","path":["peers","n2","deep"],"value":1}]}`, ...events.slice(7)]);
    expect(failure(misfit, true)).toMatch(/line 9: state event: patch path peers.n2.deep: peers.n2 is not an object or array/);
  });
});
