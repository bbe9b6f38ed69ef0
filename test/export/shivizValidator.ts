// A validator for ShiViz logs that parses them the way ShiViz does (its NamedRegExp rewriting of
// the parser and delimiter expressions, the split into executions, one match per event, JSON
// clocks) and then checks ShiViz's rules (js/model/modelGraph.js, vectorTimestamp.js): the local
// host is in its clock; a host's own entries, in log order, are 1, 2, 3, ... with no gap; a clock
// names only hosts that logged events, with values no larger than their event counts and no zeros;
// every clock is exactly the join of the host's previous clock and the events it newly depends on,
// plus one (ShiViz's "impermissible vector clock" check). On top of ShiViz, it checks faultlab's
// meaning: each `receive X #id from nA` follows the `send X #id to nB` of that id, sent by nA to
// the receiver, and its clock is the join of the send's clock and the receiver's previous clock,
// plus one; times never go backwards. Throws an Error naming the line; returns what it read.

export interface ShivizEvent {
  host: string;
  clock: Record<string, number>;
  time: string;
  event: string;
  /** Line in the file (1-based). */
  line: number;
}

export interface ShivizExecution {
  label: string;
  events: ShivizEvent[];
  /** Message ids sent with no receive in this execution. */
  unreceived: number[];
  receives: number;
}

/** ShiViz's NamedRegExp: named groups become plain groups, unnamed ones non-capturing. */
function namedRegExp(source: string, flags: string): { exec(s: string): (RegExpExecArray & Record<string, string>) | null; names: string[] } {
  const no = new RegExp(source.replace(/\(\?<\w+?>/g, '(?:'), `g${flags}`);
  let rewritten = source.replace(/\((?!\?(=|!|<|:))/g, '(?:');
  const names: string[] = [];
  for (let m = rewritten.match(/\(\?<(\w+?)>.+\)/); m; m = rewritten.match(/\(\?<(\w+?)>.+\)/)) {
    if (names.includes(m[1] as string)) throw new Error(`ShiViz: several capture groups named ${m[1]}`);
    names.push(m[1] as string);
    rewritten = rewritten.replace(/\(\?<\w+?>/, '(');
  }
  const reg = new RegExp(rewritten, `g${flags}`);
  return {
    names,
    exec(s: string) {
      const num = no.exec(s) as (RegExpExecArray & Record<string, string>) | null;
      const nam = reg.exec(s);
      if (num && nam) for (let i = 1; i < nam.length; i++) num[names[i - 1] as string] = nam[i] as string;
      return num;
    },
  };
}

export function validateShiviz(text: string): ShivizExecution[] {
  const lines = text.split('\n');
  const parser = namedRegExp((lines[0] ?? '').trim(), 'm');
  for (const group of ['host', 'clock', 'event']) if (!parser.names.includes(group)) throw new Error(`ShiViz: the parser expression on line 1 has no named group ${group}`);
  const delimiterText = (lines[1] ?? '').trim();
  const log = lines.slice(2).join('\n');
  const raw = log.trim();
  const offset = log.indexOf(raw); // characters trimmed from the front, to count lines
  const firstLine = 3 + (log.slice(0, offset).match(/\n/g)?.length ?? 0);
  const parts = delimiterText === '' ? [{ label: '', text: raw, start: 0 }] : splitExecutions(raw, delimiterText);
  const executions = parts.filter((p) => p.text.trim().length > 0);
  if (executions.length === 0) throw new Error('ShiViz: the log has no executions');
  return executions.map((part) => {
    const lineBase = firstLine + (raw.slice(0, part.start).match(/\n/g)?.length ?? 0);
    const events = parseExecution(part.text, parser, lineBase, part.label);
    return checkExecution(part.label, events);
  });
}

function splitExecutions(raw: string, delimiter: string): { label: string; text: string; start: number }[] {
  const named = namedRegExp(delimiter, 'm');
  const noGroups = new RegExp(delimiter.replace(/\(\?<\w+?>/g, '(?:'), 'gm');
  const texts = raw.split(noGroups);
  const labels = [''];
  for (let m = named.exec(raw); m; m = named.exec(raw)) labels.push(m.trace ?? '');
  const seen = new Set<string>();
  let start = 0;
  return texts.map((t, i) => {
    const label = labels[i] ?? '';
    if (t.trim().length > 0 && seen.has(label)) throw new Error(`ShiViz: two executions are labelled ${JSON.stringify(label)}`);
    seen.add(label);
    const at = raw.indexOf(t, start);
    start = at + t.length;
    return { label, text: t, start: at };
  });
}

function parseExecution(text: string, parser: ReturnType<typeof namedRegExp>, lineBase: number, label: string): ShivizEvent[] {
  const events: ShivizEvent[] = [];
  let line = lineBase;
  let scanned = 0;
  for (let m = parser.exec(text); m; m = parser.exec(text)) {
    for (; scanned < m.index; scanned++) if (text.charCodeAt(scanned) === 10) line++;
    let clock: Record<string, number>;
    try {
      clock = JSON.parse(m.clock as string) as Record<string, number>;
    } catch {
      throw new Error(`line ${line}: the clock ${m.clock} is not JSON`);
    }
    events.push({ host: m.host as string, clock, time: m.time ?? '', event: m.event as string, line });
  }
  const nonBlank = text.split('\n').filter((l) => l.trim() !== '').length;
  if (events.length === 0) throw new Error(`ShiViz: the parser captures no events in execution ${JSON.stringify(label)}`);
  if (events.length !== nonBlank) throw new Error(`execution ${JSON.stringify(label)}: ${nonBlank - events.length} of ${nonBlank} lines are not events the parser reads`);
  return events;
}

const key = (host: string, n: number) => `${host}:${n}`;

function checkExecution(label: string, events: ShivizEvent[]): ShivizExecution {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.host, (counts.get(e.host) ?? 0) + 1);
  const byId = new Map<string, ShivizEvent>();
  const previous = new Map<string, Record<string, number>>();
  const sends = new Map<number, ShivizEvent>();
  const received = new Set<number>();
  let lastTime = -1;
  for (const e of events) {
    const at = `line ${e.line}`;
    if (!(e.host in e.clock)) throw new Error(`${at}: local host ${e.host} is missing from its clock`);
    for (const [h, v] of Object.entries(e.clock)) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`${at}: clock entry ${h}=${v} is not a whole number >= 1`);
      if (!counts.has(h)) throw new Error(`${at}: the clock names host ${h}, which logs no events`);
      if (v > (counts.get(h) as number)) throw new Error(`${at}: the clock gives ${h} the value ${v} but ${h} logs only ${counts.get(h)} events`);
    }
    const prev = previous.get(e.host) ?? {};
    const own = e.clock[e.host] as number;
    if (own !== (prev[e.host] ?? 0) + 1) throw new Error(`${at}: ${e.host}'s own clock goes from ${prev[e.host] ?? 0} to ${own}; it must increase by exactly 1 per event`);
    const expected: Record<string, number> = { ...prev };
    for (const [h, v] of Object.entries(e.clock)) {
      if (h === e.host || v <= (prev[h] ?? 0)) continue;
      const parent = byId.get(key(h, v));
      if (!parent) throw new Error(`${at}: the clock depends on event ${h}:${v}, which is not logged before it`);
      for (const [ph, pv] of Object.entries(parent.clock)) expected[ph] = Math.max(expected[ph] ?? 0, pv);
    }
    expected[e.host] = own;
    if (!sameClock(expected, e.clock)) throw new Error(`${at}: impermissible vector clock ${JSON.stringify(e.clock)}; the join of its predecessors gives ${JSON.stringify(expected)}`);
    const time = Number(/^(\d+\.\d{6})s$/.exec(e.time)?.[1] ?? NaN);
    if (!(time >= lastTime)) throw new Error(`${at}: time ${e.time} is not a time at or after the previous event's`);
    lastTime = time;
    checkMessage(e, prev, sends, received);
    byId.set(key(e.host, own), e);
    previous.set(e.host, e.clock);
  }
  const unreceived = [...sends.keys()].filter((id) => !received.has(id));
  return { label, events, unreceived, receives: received.size };
}

/** A send is remembered by id; a receive must match it and carry exactly join(previous, send clock) + 1. */
function checkMessage(e: ShivizEvent, prev: Record<string, number>, sends: Map<number, ShivizEvent>, received: Set<number>): void {
  const send = /^send (\S+).* #(\d+) to (\S+)/.exec(e.event);
  if (send) {
    sends.set(Number(send[2]), e);
    return;
  }
  const receive = /^receive (\S+) #(\d+) from (\S+)$/.exec(e.event);
  if (!receive) return;
  const id = Number(receive[2]);
  const sent = sends.get(id);
  if (!sent) throw new Error(`line ${e.line}: receive of message #${id}, which no earlier line sends`);
  const [, type, , to] = /^send (\S+).* #(\d+) to (\S+)/.exec(sent.event) as RegExpExecArray;
  if (sent.host !== receive[3] || to !== e.host || type !== receive[1]) throw new Error(`line ${e.line}: receive ${receive[1]} #${id} from ${receive[3]} at ${e.host} does not match line ${sent.line}: ${sent.event}`);
  const expected: Record<string, number> = { ...prev };
  for (const [h, v] of Object.entries(sent.clock)) expected[h] = Math.max(expected[h] ?? 0, v);
  expected[e.host] = (prev[e.host] ?? 0) + 1;
  if (!sameClock(expected, e.clock)) throw new Error(`line ${e.line}: the receive's clock ${JSON.stringify(e.clock)} is not the join of the send's (line ${sent.line}) and the previous clock plus one: ${JSON.stringify(expected)}`);
  received.add(id);
}

function sameClock(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? 0) !== (b[k] ?? 0)) return false;
  return true;
}
