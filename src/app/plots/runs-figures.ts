/**
 * Charts of the runs table: one metric across runs, and one metric against one parameter, each run
 * coloured by its model family. Pure figure builders over the table's columns (src/app/runs-table.ts).
 */
import type { RunRecord } from '../../core/model/spec.ts';
import { familyLabel } from '../../core/families/index.ts';
import { cellValue, formatCell, type RunColumn } from '../runs-table.ts';
import { chartLayout, type Figure } from './figure.ts';

const COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#4b5563'];

/** Runs oldest first; ties by name, so the order does not depend on the table's sort. */
const byCreation = (runs: readonly RunRecord[]) =>
  [...runs].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));

/** One colour per family, in order of first appearance. */
function familyColors(runs: readonly RunRecord[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of runs) {
    const f = familyLabel(r.config.kind);
    if (!out.has(f)) out.set(f, COLORS[out.size % COLORS.length]!);
  }
  return out;
}

/** Run names made unique for a category axis ("run", "run (2)"): Plotly would merge equal names. */
function uniqueNames(runs: readonly RunRecord[]): string[] {
  const seen = new Map<string, number>();
  return runs.map((r) => {
    const n = (seen.get(r.name) ?? 0) + 1;
    seen.set(r.name, n);
    return n === 1 ? r.name : `${r.name} (${n})`;
  });
}

/**
 * The legend under everything, anchored to the figure's box rather than the plot area, so long
 * rotated tick labels push the plot up instead of running under the legend.
 */
const LEGEND = {
  orientation: 'h',
  x: 0,
  xanchor: 'left',
  y: 0,
  yref: 'container',
  yanchor: 'bottom',
  font: { size: 10 },
};

/** A tick label short enough to read rotated in a narrow window; the hover shows the whole name. */
const short = (s: string) => (s.length > 16 ? `${s.slice(0, 15)}…` : s);

/**
 * How many runs a chart leaves out: those without a finite value of the metric (or, against a
 * parameter, without that parameter). The view says so beside the chart.
 *
 * @example leftOut(runs, valAccuracy, learningRate) // 2: a tree run has no learning rate, a running run no accuracy
 */
export function leftOut(runs: readonly RunRecord[], metric: RunColumn, param?: RunColumn): number {
  return runs.filter((r) => typeof cellValue(r, metric) !== 'number' || (param && cellValue(r, param) === null)).length;
}

/**
 * One metric of every run that has it: x is the run (oldest first, or by name), y the metric, as
 * bars or markers, one trace (colour) per family. Runs without the metric are left out (see `leftOut`). Cost: O(n log n).
 *
 * @example metricAcrossRuns(runs, valAccuracyColumn, { order: 'created', style: 'markers' })
 */
export function metricAcrossRuns(
  runs: readonly RunRecord[],
  metric: RunColumn,
  o: { order?: 'created' | 'name'; style?: 'bars' | 'markers' } = {},
): Figure {
  const ordered =
    o.order === 'name'
      ? [...runs].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }))
      : byCreation(runs);
  const names = uniqueNames(ordered);
  const points = ordered
    .map((r, i) => ({ r, x: names[i]!, y: cellValue(r, metric) }))
    .filter((p): p is { r: RunRecord; x: string; y: number } => typeof p.y === 'number');
  const colors = familyColors(points.map((p) => p.r));
  const bars = o.style === 'bars';
  const data = [...colors].map(([family, color]) => {
    const mine = points.filter((p) => familyLabel(p.r.config.kind) === family);
    return {
      type: bars ? 'bar' : 'scatter',
      ...(bars ? {} : { mode: 'markers' }),
      name: family,
      x: mine.map((p) => p.x),
      y: mine.map((p) => p.y),
      text: mine.map((p) => formatCell(p.y, metric)),
      hovertemplate: `%{x}<br>${metric.label} %{text}<extra>${family}</extra>`,
      marker: bars ? { color } : { color, size: 9 },
    };
  });
  const title = `${metric.label} across runs`;
  return {
    data,
    layout: chartLayout(title, o.order === 'name' ? 'run (by name)' : 'run (oldest first)', metric.label, {
      xaxis: {
        title: { text: o.order === 'name' ? 'run (by name)' : 'run (oldest first)' },
        type: 'category',
        categoryorder: 'array',
        categoryarray: points.map((p) => p.x),
        tickvals: points.map((p) => p.x),
        ticktext: points.map((p) => short(p.x)),
        automargin: true,
      },
      yaxis: { title: { text: metric.label }, automargin: true },
      showlegend: colors.size > 1,
      legend: LEGEND,
      // Rotated run names and a legend of families both sit under the plot: give them room.
      height: 360,
      ...(bars ? { barmode: 'group' } : {}),
    }),
  };
}

/**
 * Whether values are better read on a log axis: all positive and spanning more than two decades
 * (max / min > 100), as learning rates and regularisation strengths do.
 *
 * @example wantsLogAxis([0.0001, 0.01, 0.1]) // true; wantsLogAxis([1, 50]) // false
 */
export function wantsLogAxis(values: readonly number[]): boolean {
  const finite = values.filter(Number.isFinite);
  if (finite.length < 2 || finite.some((v) => v <= 0)) return false;
  return Math.max(...finite) / Math.min(...finite) > 100;
}

/**
 * A log axis with ticks at powers of ten only (1, 10, 100 or 0.001, 0.01), written plainly while
 * they stay short and as powers of ten beyond (1e-7 reads "10⁻⁷"), and no minor digits in between.
 */
export function logAxis(values: readonly number[], title: string): Record<string, unknown> {
  const finite = values.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return {
    title: { text: title },
    type: 'log',
    dtick: 1,
    exponentformat: lo < 1e-4 || hi >= 1e5 ? 'power' : 'none',
    showexponent: 'all',
    minor: { showgrid: false, ticks: '' },
    automargin: true,
  };
}

/**
 * One metric against one parameter, a marker per run that has both, coloured by family. A numeric
 * parameter gives a numeric x axis (log when `wantsLogAxis`); a choice, switch or layer list gives a
 * category axis. Runs lacking either value are left out (see `leftOut`). Cost: O(n).
 *
 * @example metricAgainstParam(runs, valAccuracyColumn, learningRateColumn)
 */
export function metricAgainstParam(runs: readonly RunRecord[], metric: RunColumn, param: RunColumn): Figure {
  const ordered = byCreation(runs);
  const points = ordered
    .map((r) => ({ r, x: cellValue(r, param), y: cellValue(r, metric) }))
    .filter(
      (p): p is { r: RunRecord; x: Exclude<typeof p.x, null>; y: number } => p.x !== null && typeof p.y === 'number',
    );
  const numeric = points.length > 0 && points.every((p) => typeof p.x === 'number');
  const xs = points.map((p) => (numeric ? (p.x as number) : formatCell(p.x, param)));
  const colors = familyColors(points.map((p) => p.r));
  const data = [...colors].map(([family, color]) => {
    const idx = points.map((p, i) => (familyLabel(p.r.config.kind) === family ? i : -1)).filter((i) => i >= 0);
    return {
      type: 'scatter',
      mode: 'markers',
      name: family,
      x: idx.map((i) => xs[i]),
      y: idx.map((i) => points[i]!.y),
      text: idx.map((i) => points[i]!.r.name),
      customdata: idx.map((i) => [formatCell(points[i]!.x, param), formatCell(points[i]!.y, metric)]),
      hovertemplate: `%{text}<br>${param.label} %{customdata[0]}<br>${metric.label} %{customdata[1]}<extra>${family}</extra>`,
      marker: { color, size: 9 },
    };
  });
  const nums = numeric ? (xs as number[]) : [];
  const xaxis = numeric
    ? wantsLogAxis(nums)
      ? logAxis(nums, `${param.label} (log scale)`)
      : { title: { text: param.label }, type: 'linear', automargin: true }
    : {
        title: { text: param.label },
        type: 'category',
        categoryorder: 'category ascending',
        automargin: true,
      };
  const title = `${metric.label} against ${param.label}`;
  return {
    data,
    layout: chartLayout(title, param.label, metric.label, {
      xaxis,
      yaxis: { title: { text: metric.label }, automargin: true },
      showlegend: colors.size > 1,
      legend: LEGEND,
    }),
  };
}
