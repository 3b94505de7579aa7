import type { LrRangeReport, OverfitReport } from '../../core/model/debug-aids.ts';
import type { Figure } from './figure.ts';

const base = { margin: { l: 50, r: 10, t: 40, b: 40 }, height: 240 };

/** Loss against learning rate (log x), raw and smoothed, with the suggested rate marked. */
export function lrRangeFigure(r: LrRangeReport): Figure {
  return {
    data: [
      { type: 'scatter', mode: 'lines', name: 'loss', x: r.learningRates, y: r.losses, line: { color: '#93c5fd' } },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'smoothed',
        x: r.learningRates,
        y: r.smoothed,
        line: { color: '#2563eb', width: 2 },
      },
    ],
    layout: {
      ...base,
      title: { text: 'Learning-rate range test', font: { size: 14 }, x: 0.02, xanchor: 'left' },
      xaxis: { type: 'log', title: { text: 'learning rate' } },
      yaxis: { title: { text: 'batch loss' } },
      shapes: [
        {
          type: 'line',
          x0: r.suggested,
          x1: r.suggested,
          yref: 'paper',
          y0: 0,
          y1: 1,
          line: { dash: 'dot', color: '#ea580c' },
        },
      ],
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
    },
  };
}

/** Loss per step while overfitting one batch. */
export function overfitFigure(r: OverfitReport): Figure {
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines',
        name: 'batch loss',
        x: r.losses.map((_, i) => i + 1),
        y: r.losses,
        line: { color: r.passed ? '#16a34a' : '#b91c1c', width: 2 },
      },
    ],
    layout: {
      ...base,
      title: { text: `Overfit one batch (${r.rows} rows)`, font: { size: 14 }, x: 0.02, xanchor: 'left' },
      xaxis: { title: { text: 'step' } },
      yaxis: { title: { text: 'loss' }, type: 'log' },
    },
  };
}
