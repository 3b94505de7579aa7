import type { EpochRecord, SplitMetrics } from '../../core/model/spec.ts';
import type { Figure } from './figure.ts';

export type CurveMetric = keyof SplitMetrics;

const NAMES: Readonly<Record<CurveMetric, string>> = Object.freeze({
  loss: 'Loss',
  accuracy: 'Accuracy',
  macroF1: 'Macro F1',
  rmse: 'RMSE',
  mae: 'MAE',
  r2: 'R²',
});

/**
 * Train and validation curves of one metric against epoch.
 * @example learningCurve(run.history, 'loss').data.length // 2
 */
export function learningCurve(
  history: readonly EpochRecord[],
  metric: CurveMetric,
  title = NAMES[metric],
  xLabel = 'epoch',
): Figure {
  const x = history.map((h) => h.epoch);
  const series = (split: 'train' | 'validation', color: string) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: split === 'train' ? 'train' : 'validation',
    x,
    y: history.map((h) => h[split][metric] ?? null),
    line: { color, width: 2 },
    marker: { size: 5 },
  });
  return {
    data: [series('train', '#2563eb'), series('validation', '#ea580c')],
    layout: {
      title: { text: title, font: { size: 14 }, x: 0.02, xanchor: 'left' },
      xaxis: { title: { text: xLabel }, rangemode: 'tozero' },
      yaxis: { title: { text: NAMES[metric] } },
      margin: { l: 50, r: 10, t: 56, b: 40 },
      height: 270,
      legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
    },
  };
}

/** The metrics worth plotting for a task. */
export function curveMetrics(task: 'classification' | 'regression'): CurveMetric[] {
  return task === 'classification' ? ['loss', 'accuracy'] : ['loss', 'rmse'];
}
