// The charts under the diagram, drawn with Chart.js from the series the worker built: one card per
// chart, time in seconds on x, fault windows shaded, the cursor and the diagram's window marked
// (chartPlugins.ts). Clicking a chart moves the cursor to that time. Rebuilt when the run changes;
// the cursor only redraws a thin overlay on each chart.
// Leaves out: zooming charts (they always show the whole run; the diagram zooms).
import { CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip, type ChartDataset } from 'chart.js';
import type { Session } from '../app/session.ts';
import { drawOverlay, faultPlugin } from '../charts/chartPlugins.ts';
import type { ChartSpec, Series } from '../protocols/protocolView.ts';
import { byId, h } from '../util/dom.ts';
import { messageColour, TONE } from './palette.ts';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip, Filler);

export class ChartsPanel {
  private readonly root = byId('charts');
  private charts: { chart: Chart; overlay: HTMLCanvasElement }[] = [];
  private redrawQueued = false;

  constructor(private readonly session: Session) {
    session.subscribe((change) => {
      if (change === 'trace') this.build();
      else if (change === 'cursor' || change === 'view') this.redraw();
    });
  }

  private build(): void {
    for (const c of this.charts) c.chart.destroy();
    this.charts = [];
    const tr = this.session.current;
    if (!tr) return;
    const cards = tr.charts.map((spec) => this.card(spec, tr.endT));
    this.root.replaceChildren(...cards);
  }

  private card(spec: ChartSpec, endT: number): HTMLElement {
    const card = h('figure', { class: 'chart-card', 'data-chart': spec.id }, h('figcaption', { text: spec.title }));
    if (spec.empty || spec.series.length === 0) {
      card.append(h('p', { class: 'chart-empty', text: spec.empty ?? 'nothing to show' }));
      return card;
    }
    const canvas = h('canvas', { 'aria-label': spec.title, role: 'img' });
    const overlay = h('canvas', { class: 'chart-overlay', 'aria-hidden': 'true' });
    card.append(h('div', { class: 'chart-box' }, canvas, overlay));
    const chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: spec.series.map((s, i) => dataset(s, i)) },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        plugins: { legend: { labels: { boxWidth: 12, font: { size: 11 } } }, tooltip: { enabled: true } },
        scales: {
          x: { type: 'linear', min: 0, max: endT / 1e6, title: { display: true, text: 'virtual time (s)' }, ticks: { maxTicksLimit: 8 } },
          y: { beginAtZero: true, title: { display: true, text: spec.yTitle }, ticks: spec.integer ? { precision: 0 } : {} },
          ...(spec.y2Title ? { y2: { position: 'right' as const, beginAtZero: true, title: { display: true, text: spec.y2Title }, grid: { drawOnChartArea: false }, ticks: { precision: 0 } } } : {}),
        },
        onClick: (_e, _elements, c) => {
          const native = _e.native as MouseEvent | null;
          const x = c.scales.x;
          if (!native || !x) return;
          this.session.setCursorTime(x.getValueForPixel(_e.x ?? 0)! * 1e6);
          this.session.follow();
        },
      },
      plugins: [faultPlugin(this.session, overlay)],
    });
    this.charts.push({ chart, overlay });
    return card;
  }

  private redraw(): void {
    if (this.redrawQueued) return;
    this.redrawQueued = true;
    requestAnimationFrame(() => {
      this.redrawQueued = false;
      for (const c of this.charts) drawOverlay(c.chart, c.overlay, this.session);
    });
  }
}

function dataset(s: Series, i: number): ChartDataset<'line'> {
  const colour = s.color ?? (s.tone ? TONE[s.tone] : messageColour(i));
  return {
    label: s.label,
    data: s.points.map(([x, y]) => ({ x, y })),
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: 1.8,
    borderDash: s.dashed ? [5, 4] : [],
    stepped: s.stepped ? 'before' : false,
    pointRadius: s.scatter ? 3.5 : 0,
    showLine: !s.scatter,
    spanGaps: false,
    yAxisID: s.axis ?? 'y',
  } as ChartDataset<'line'>;
}
