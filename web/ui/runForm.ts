// The "Run a simulation" form: protocol, seed, nodes, phase lengths, network (latency, loss,
// duplication, ordering), clients and each one's operation budget, a deliberately broken
// variant, protocol settings and a fault plan in JSON. It reads and writes a RunSpec (the CLI's
// flags as text), so what it runs is exactly `faultlab run` with the command line it shows, and
// the page's URL is a link to it.
// Leaves out: validation (resolveRunSpec in the worker names the bad field; the page shows it).
import { PROTOCOLS, protocolNames } from '../../protocols/registry.ts';
import { runSpecToCli, type RunFlag, type RunSpec } from '../run/runSpec.ts';
import { byId, h, on } from '../util/dom.ts';

const FIELDS: [RunFlag, string][] = [
  ['seed', 'seed'], ['nodes', 'nodes'], ['duration', 'fault phase'], ['heal', 'heal phase'], ['latency', 'latency'], ['loss', 'loss'], ['dup', 'duplication'],
  ['ordering', 'ordering'], ['clients', 'clients'], ['client-ops', 'ops per client'],
];

const EXAMPLE_PLAN = '{"faults":[\n  {"type":"crash","at":"3s","node":"n1","for":"2s"},\n  {"type":"partition","at":"6s","for":"3s","groups":[["n1","n2"],["n3","n4","n5"]]}\n]}';

export class RunForm {
  private readonly protocol = byId<HTMLSelectElement>('run-protocol');
  private readonly bug = byId<HTMLSelectElement>('run-bug');
  private readonly settings = byId<HTMLTextAreaElement>('run-set');
  private readonly plan = byId<HTMLTextAreaElement>('run-plan');
  private readonly cli = byId('run-cli');
  private readonly inputs = new Map<RunFlag, HTMLInputElement | HTMLSelectElement>();

  constructor(private readonly onRun: (spec: RunSpec) => void, private readonly report: (message: string) => void) {
    this.protocol.replaceChildren(...protocolNames().map((p) => h('option', { value: p, text: p })));
    const grid = byId('run-fields');
    for (const [flag, label] of FIELDS) {
      const input = flag === 'ordering'
        ? h('select', { id: `run-${flag}` }, h('option', { value: '', text: 'unordered (default)' }), h('option', { value: 'fifo', text: 'fifo' }))
        : h('input', { id: `run-${flag}`, type: 'text', size: 8, placeholder: placeholder(flag) });
      this.inputs.set(flag, input);
      grid.append(h('label', { for: `run-${flag}`, text: label }), input);
    }
    on(this.protocol, 'change', () => this.protocolChanged());
    on(byId('run-example'), 'click', () => (this.plan.value = EXAMPLE_PLAN));
    on(byId('run-go'), 'click', () => this.submit());
    byId('run-form').addEventListener('input', () => this.showCli());
    this.protocolChanged();
  }

  private protocolChanged(): void {
    const spec = PROTOCOLS[this.protocol.value];
    const bugs = Object.entries(spec?.bugs ?? {});
    this.bug.replaceChildren(h('option', { value: '', text: 'none (the correct protocol)' }), ...bugs.map(([name, what]) => h('option', { value: name, title: what, text: name })));
    const settings = Object.keys(spec?.settings ?? {});
    this.settings.placeholder = settings.length ? `one per line, e.g. ${settings[0]}=...\nknown: ${settings.join(', ')}` : '';
    this.showCli();
  }

  fill(spec: RunSpec): void {
    this.protocol.value = spec.protocol;
    this.protocolChanged();
    for (const [flag, input] of this.inputs) input.value = spec.flags[flag] ?? '';
    this.bug.value = spec.flags.bug ?? '';
    this.settings.value = spec.set.map(([k, v]) => `${k}=${v}`).join('\n');
    this.plan.value = spec.plan === undefined ? '' : JSON.stringify(spec.plan, null, 1);
    this.showCli();
  }

  read(): RunSpec {
    const flags: RunSpec['flags'] = {};
    for (const [flag, input] of this.inputs) if (input.value.trim() !== '') flags[flag] = input.value.trim();
    if (this.bug.value) flags.bug = this.bug.value;
    const set = this.settings.value.split('\n').map((l) => l.trim()).filter(Boolean).map((line): [string, string] => {
      const eq = line.indexOf('=');
      if (eq <= 0) throw new Error(`settings: expected key=value on each line; got ${JSON.stringify(line)}`);
      return [line.slice(0, eq).trim(), line.slice(eq + 1).trim()];
    });
    let plan: unknown;
    if (this.plan.value.trim() !== '') {
      try {
        plan = JSON.parse(this.plan.value);
      } catch (error) {
        throw new Error(`fault plan: not valid JSON (${(error as Error).message}); expected {"faults":[...]}`);
      }
    }
    return { protocol: this.protocol.value, flags, set, plan };
  }

  private showCli(): void {
    try {
      this.cli.textContent = `faultlab ${runSpecToCli(this.read(), 'plan.json').join(' ')}`;
    } catch (error) {
      this.cli.textContent = (error as Error).message;
    }
  }

  private submit(): void {
    try {
      this.onRun(this.read());
    } catch (error) {
      this.report((error as Error).message);
    }
  }
}

function placeholder(flag: RunFlag): string {
  const defaults: Partial<Record<RunFlag, string>> = { seed: '1', nodes: '5', duration: '30s', heal: 'auto', latency: '1ms..10ms', loss: '0', dup: '0', clients: '0', 'client-ops': 'no limit' };
  return defaults[flag] ?? '';
}

