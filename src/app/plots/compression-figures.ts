import type { RunRecord } from '../../core/model/spec.ts';
import type { Figure } from './figure.ts';

/** Test accuracy (or RMSE) of a parent and its compressed children against stored size or latency. */
export function tradeoffFigure(
  runs: readonly RunRecord[],
  xOf: (r: RunRecord) => number | undefined,
  xTitle: string,
): Figure {
  const metric = runs[0]?.task === 'regression' ? 'rmse' : 'accuracy';
  const pts = runs
    .map((r) => ({ r, x: xOf(r), y: (r.metrics.test ?? r.metrics.validation)[metric] }))
    .filter((p) => p.x !== undefined && Number.isFinite(p.x) && p.y !== undefined);
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers+text',
        x: pts.map((p) => p.x),
        y: pts.map((p) => p.y),
        text: pts.map((p) => p.r.compression?.info.method ?? 'float32 parent'),
        textposition: 'top center',
        marker: { size: 10, color: pts.map((p) => (p.r.compression ? '#2563eb' : '#ea580c')) },
      },
    ],
    layout: {
      title: { text: `Test ${metric} against ${xTitle}`, font: { size: 13 }, x: 0.02, xanchor: 'left' },
      xaxis: { title: { text: xTitle }, type: xTitle.includes('KB') ? 'log' : 'linear' },
      yaxis: { title: { text: metric } },
      margin: { l: 55, r: 15, t: 45, b: 45 },
      height: 280,
    },
  };
}
