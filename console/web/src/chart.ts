// The line chart: uPlot with a legend, a tooltip of the values under the cursor and drag-to-zoom
// on the time axis (reported to the page, which narrows the time range and runs again).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartLine } from './results';
import { h } from './dom';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
/** Past these the browser would slow down; the page says how much it left out. */
export const CHART_LINES_MAX = 50;
export const CHART_POINTS_MAX = 200_000;

export interface ChartHandle {
  destroy(): void;
  omitted: number;
}

export function drawChart(parent: HTMLElement, lines: ChartLine[], onZoom: (startMs: number, endMs: number) => void): ChartHandle {
  let shown = lines.slice(0, CHART_LINES_MAX);
  let pointCount = 0;
  shown = shown.filter((line) => (pointCount += line.points.length) <= CHART_POINTS_MAX);
  const times = Array.from(new Set(shown.flatMap((line) => line.points.map(([t]) => t)))).sort((a, b) => a - b);
  const slot = new Map(times.map((t, i) => [t, i]));
  const data: uPlot.AlignedData = [
    times.map((t) => t / 1000),
    ...shown.map((line) => {
      const values: (number | null)[] = new Array(times.length).fill(null);
      for (const [t, v] of line.points) values[slot.get(t)!] = v;
      return values;
    }),
  ];
  const tooltip = h('div', { class: 'chart-tooltip', hidden: true });
  const width = Math.max(300, parent.clientWidth || 800);
  const options: uPlot.Options = {
    width,
    height: 360,
    series: [
      { label: 'time', value: (_u, v) => (v === null ? '' : new Date(v * 1000).toISOString().replace('T', ' ').replace('Z', '')) },
      ...shown.map((line, i) => ({ label: line.label, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: true, points: { show: line.points.length < 60 } })),
    ],
    axes: [{}, { size: 70 }],
    cursor: { drag: { x: true, y: false, setScale: false } },
    legend: { live: true },
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 3) return;
          const startMs = u.posToVal(u.select.left, 'x') * 1000;
          const endMs = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          onZoom(Math.floor(startMs), Math.ceil(endMs));
        },
      ],
      setCursor: [(u) => showTooltip(u, tooltip, shown)],
    },
  };
  const plot = new uPlot(options, data, parent);
  plot.over.appendChild(tooltip);
  const resize = () => plot.setSize({ width: Math.max(300, parent.clientWidth), height: 360 });
  window.addEventListener('resize', resize);
  return {
    omitted: lines.length - shown.length,
    destroy() {
      window.removeEventListener('resize', resize);
      plot.destroy();
    },
  };
}

function showTooltip(u: uPlot, tooltip: HTMLElement, lines: ChartLine[]): void {
  const index = u.cursor.idx;
  if (index === null || index === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
    tooltip.hidden = true;
    return;
  }
  const rows: [string, number, string][] = [];
  lines.forEach((line, i) => {
    // uPlot's per-series index is the nearest non-null point, so sparse series still show a value.
    const value = u.data[i + 1][u.cursor.idxs?.[i + 1] ?? index];
    if (value !== null && value !== undefined) rows.push([line.label, value, PALETTE[i % PALETTE.length]]);
  });
  if (!rows.length) {
    tooltip.hidden = true;
    return;
  }
  rows.sort((a, b) => b[1] - a[1]);
  tooltip.replaceChildren(
    h('div', { class: 'muted' }, new Date(u.data[0][index] * 1000).toISOString()),
    ...rows.slice(0, 12).map(([label, value, colour]) =>
      h('div', {}, h('span', { class: 'swatch', style: `background:${colour}` }), `${label}: `, h('b', {}, String(value)))),
    ...(rows.length > 12 ? [h('div', { class: 'muted' }, `and ${rows.length - 12} more`)] : []),
  );
  tooltip.hidden = false;
  const left = u.cursor.left! + 16;
  tooltip.style.left = `${Math.min(left, u.over.clientWidth - 260)}px`;
  tooltip.style.top = `${Math.max(0, (u.cursor.top ?? 0) - 10)}px`;
}
