import type { MonitorReport, TimelineSummary } from '../../../workers/monitor.api.ts';
import type { ContinualResult, FreshnessPoint } from '../../core/drift/continual.ts';
import type { Alert } from '../../core/drift/timeline.ts';
import { DRIFT_MEASURES, driftMeasures, type DriftDistanceId } from '../../core/drift/measures/index.ts';
import { chartLayout, type Figure } from './figure.ts';

const COLORS = [
  '#2563eb',
  '#ea580c',
  '#16a34a',
  '#9333ea',
  '#dc2626',
  '#0891b2',
  '#ca8a04',
  '#4b5563',
  '#db2777',
  '#65a30d',
];
const layout = chartLayout;
const hline = (y: number, name: string, n: number, labels: string[]) => ({
  type: 'scatter',
  mode: 'lines',
  name,
  x: [labels[0], labels[n - 1]],
  y: [y, y],
  line: { color: '#6b7280', dash: 'dash', width: 1 },
});

/** PSI per feature, with the 0.1 and 0.25 thresholds. */
export function psiBars(r: MonitorReport): Figure {
  const f = r.features.filter((x) => Number.isFinite(x.psi));
  const color = f.map((x) => (x.psi >= 0.25 ? '#dc2626' : x.psi >= 0.1 ? '#ea580c' : '#2563eb'));
  return {
    data: [{ type: 'bar', x: f.map((x) => x.feature), y: f.map((x) => x.psi), marker: { color }, name: 'PSI' }],
    layout: layout('Population stability index per column', '', 'PSI', {
      shapes: [0.1, 0.25].map((y) => ({
        type: 'line',
        xref: 'paper',
        x0: 0,
        x1: 1,
        y0: y,
        y1: y,
        line: { dash: 'dash', color: '#6b7280', width: 1 },
      })),
    }),
  };
}

/**
 * One statistic per feature across windows — a registered distance's size (by id) or the column's test
 * statistic — thresholds dashed, alerts marked.
 */
export function timelineFigure(
  points: TimelineSummary[],
  stat: DriftDistanceId | 'statistic',
  thresholds: { y: number; name: string }[],
  alerts: Alert[],
  features?: string[],
): Figure {
  const labels = points.map((p) => p.label);
  const names = features ?? [...new Set(points.flatMap((p) => p.features.map((f) => f.feature)))];
  const valueOf = (f: TimelineSummary['features'][number] | undefined) =>
    (stat === 'statistic' ? f?.statistic : f?.measures[stat]?.size) ?? null;
  const tests = driftMeasures({ role: 'test' })
    .map((m) => m.label)
    .join(' / ');
  const data: Record<string, unknown>[] = names.map((name, i) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name,
    x: labels,
    y: points.map((p) => valueOf(p.features.find((f) => f.feature === name))),
    line: { color: COLORS[i % COLORS.length], width: 1.5 },
    marker: { size: 4 },
  }));
  for (const t of thresholds) data.push(hline(t.y, t.name, labels.length, labels));
  const marks = alerts.filter((a) => a.feature && names.includes(a.feature));
  if (marks.length)
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: 'alert',
      x: marks.map((a) => a.label),
      y: marks.map((a) => valueOf(points[a.window]?.features.find((f) => f.feature === a.feature))),
      marker: { symbol: 'x', size: 11, color: '#dc2626' },
    });
  return {
    data,
    layout: layout(
      stat === 'statistic'
        ? `${tests} statistic per window`
        : `${DRIFT_MEASURES[stat].short} against the training data, per window`,
      'window',
      stat === 'statistic' ? 'statistic' : DRIFT_MEASURES[stat].short,
    ),
  };
}

/** The model's metric per window, and its output drift. */
export function metricTimeline(points: TimelineSummary[]): Figure {
  const labels = points.map((p) => p.label);
  const name = points.find((p) => p.metric)?.metric?.name ?? 'accuracy';
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: `model ${name}`,
        x: labels,
        y: points.map((p) => p.metric?.value ?? null),
        line: { color: '#16a34a', width: 2 },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: 'prediction drift (PSI)',
        x: labels,
        y: points.map((p) => p.prediction?.psi ?? null),
        yaxis: 'y2',
        line: { color: '#9333ea', dash: 'dot' },
      },
    ],
    layout: layout(`Model ${name} and prediction drift over time`, 'window', name, {
      yaxis2: { title: { text: 'PSI of predictions' }, overlaying: 'y', side: 'right' },
    }),
  };
}

export function continualFigure(c: ContinualResult): Figure {
  const labels = c.windows.map((w) => w.label);
  const series = (['static', 'stateless', 'stateful'] as const).map((k, i) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name:
      k === 'static'
        ? 'never retrained'
        : k === 'stateless'
          ? 'stateless retrain (from scratch)'
          : 'stateful fine-tune',
    x: labels,
    y: c.windows.map((w) => (Number.isFinite(w.metric[k]) ? w.metric[k] : null)),
    line: { color: COLORS[i], width: 2 },
  }));
  const trig = c.windows.map((w, i) => (w.trigger ? i : -1)).filter((i) => i >= 0);
  return {
    data: [
      ...series,
      {
        type: 'scatter',
        mode: 'markers',
        name: 'retraining triggered',
        x: trig.map((i) => labels[i]),
        y: trig.map((i) => c.windows[i]!.metric.stateless),
        marker: { symbol: 'triangle-up', size: 10, color: '#dc2626' },
      },
    ],
    layout: layout(`${c.metric} on each next window`, 'window', c.metric),
  };
}

export function freshFigure(f: { metric: string; test: string; points: FreshnessPoint[] }): Figure {
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines+markers',
        name: f.metric,
        x: f.points.map((p) => p.age),
        y: f.points.map((p) => p.metric),
        text: f.points.map((p) => p.trainLabel),
        line: { color: '#2563eb', width: 2 },
      },
    ],
    layout: layout(
      `The value of fresh data: ${f.metric} on ${f.test} by the age of the training data`,
      'age of the training data (windows before the test window)',
      f.metric,
    ),
  };
}
