// Ties a Chart.js chart to the run: fault windows shaded behind the data (the same colours as the
// diagram), drawn by Chart.js with the chart; the cursor, the diagram's visible window and a
// lesson's hidden future drawn on a transparent canvas laid over the chart, so moving the cursor
// redraws one thin layer instead of the whole chart.
// Leaves out: building the charts (chartsPanel.ts).
import type { Chart, Plugin } from 'chart.js';
import type { Session } from '../app/session.ts';
import { faultColour } from '../ui/palette.ts';

export function faultPlugin(session: Session, overlay: HTMLCanvasElement): Plugin<'line'> {
  return {
    id: 'faultlabRun',
    beforeDatasetsDraw(chart: Chart) {
      const tr = session.current;
      const x = chart.scales.x;
      if (!tr || !x) return;
      const { top, bottom, left, right } = chart.chartArea;
      const g = chart.ctx;
      g.save();
      for (const s of tr.spans) {
        const x0 = Math.max(left, x.getPixelForValue(s.start / 1e6));
        const x1 = Math.min(right, x.getPixelForValue(s.end / 1e6));
        if (x1 < left || x0 > right) continue;
        g.fillStyle = faultColour(s.type);
        g.fillRect(x0, top, Math.max(2, x1 - x0), bottom - top);
      }
      g.restore();
    },
    afterRender(chart: Chart) {
      drawOverlay(chart, overlay, session);
    },
  };
}

/** The cursor, the diagram's window and a lesson's fog, on the overlay canvas. */
export function drawOverlay(chart: Chart, overlay: HTMLCanvasElement, session: Session): void {
  const x = chart.scales.x;
  const source = chart.canvas;
  if (overlay.width !== source.width || overlay.height !== source.height) [overlay.width, overlay.height] = [source.width, source.height];
  overlay.style.width = source.style.width;
  overlay.style.height = source.style.height;
  const g = overlay.getContext('2d');
  if (!g || !x || !session.current) return;
  g.setTransform(source.width / Math.max(1, source.clientWidth || source.width), 0, 0, source.height / Math.max(1, source.clientHeight || source.height), 0, 0);
  g.clearRect(0, 0, overlay.width, overlay.height);
  const { top, bottom, left, right } = chart.chartArea;
  const px = (us: number): number => x.getPixelForValue(us / 1e6);
  const v0 = Math.max(left, px(session.t0));
  const v1 = Math.min(right, px(session.t1));
  if (v1 - v0 < right - left - 2) {
    g.strokeStyle = 'rgba(29, 35, 48, 0.35)';
    g.setLineDash([3, 3]);
    g.strokeRect(v0, top, v1 - v0, bottom - top);
    g.setLineDash([]);
  }
  if (session.horizon !== undefined) {
    const hx = Math.max(left, px(session.horizon));
    g.fillStyle = 'rgba(236, 239, 245, 0.94)';
    if (hx < right) g.fillRect(hx, top, right - hx, bottom - top);
  }
  const cx = px(session.cursorTime);
  if (cx < left || cx > right) return;
  g.strokeStyle = '#1a56db';
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(cx, top);
  g.lineTo(cx, bottom);
  g.stroke();
}
