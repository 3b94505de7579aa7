/**
 * The runs table (what MLflow and W&B show): one row per run, columns for the run itself, for every
 * metric a run has on a split, and for every parameter any run was trained with. Pure: columns are
 * plain data, values are read from the records, sorted and formatted here; the component renders.
 */
import type { RunRecord, SplitMetrics } from '../core/model/spec.ts';
import { familyLabel } from '../core/families/index.ts';
import { filterRuns, type RunSort } from './run-filter.ts';

/** A raw cell value: what sorting and charts read (null when the run has none). */
export type CellValue = number | string | boolean | null;

export type Split = 'train' | 'validation' | 'test';
export type MetricName = keyof SplitMetrics;

/** A column of the runs table, as plain data (the id is stable: it keys sorting and visibility). */
export type RunColumn =
  | {
      group: 'run';
      id: 'name' | 'status' | 'family' | 'created' | 'duration' | 'throughput';
      label: string;
      numeric: boolean;
    }
  | {
      group: 'metric';
      id: `metric:${Split}.${MetricName}`;
      label: string;
      numeric: true;
      split: Split;
      metric: MetricName;
    }
  | { group: 'param'; id: `param:${string}`; label: string; numeric: boolean; param: string };

export type SortDirection = 'asc' | 'desc';
export interface TableSort {
  column: string;
  direction: SortDirection;
}

const RUN_COLUMNS: readonly RunColumn[] = Object.freeze([
  { group: 'run', id: 'name', label: 'name', numeric: false },
  { group: 'run', id: 'status', label: 'status', numeric: false },
  { group: 'run', id: 'family', label: 'family', numeric: false },
  { group: 'run', id: 'created', label: 'created', numeric: false },
  { group: 'run', id: 'duration', label: 'duration', numeric: true },
  { group: 'run', id: 'throughput', label: 'samples/s', numeric: true },
]);

/** Metric order in the table: the headline metrics first, loss last. */
const METRICS: readonly MetricName[] = ['accuracy', 'macroF1', 'rmse', 'mae', 'r2', 'loss'];
const SPLITS: readonly Split[] = ['validation', 'test', 'train'];
const METRIC_LABEL: Readonly<Record<MetricName, string>> = Object.freeze({
  accuracy: 'accuracy',
  macroF1: 'macro F1',
  rmse: 'RMSE',
  mae: 'MAE',
  r2: 'R²',
  loss: 'loss',
});
const SPLIT_LABEL: Readonly<Record<Split, string>> = Object.freeze({ train: 'train', validation: 'val', test: 'test' });

/** The metric a run is judged by on its task (accuracy for classification, RMSE for regression). */
export const primaryMetric = (r: Pick<RunRecord, 'task'>): MetricName =>
  r.task === 'classification' ? 'accuracy' : 'rmse';

/** A finished metric value (a started run's NaN loss is no value). */
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A run's parameters with the seed, as the table reads them. */
function paramsOf(r: RunRecord): Record<string, unknown> {
  return { ...r.config.params, seed: r.config.seed };
}

/**
 * The columns for a set of runs: the run columns; a metric column per (split, metric) that at least
 * one run has a finite value for; a parameter column per key of any run's `config.params` (in order
 * of first appearance), then `seed`. A parameter column is numeric when every value present is a
 * number. Cost: O(runs × (metrics + params)).
 *
 * @example runColumns(runs).map((c) => c.label) // ['name', …, 'val accuracy', …, 'learningRate', 'seed']
 */
export function runColumns(runs: readonly RunRecord[]): RunColumn[] {
  const metrics: RunColumn[] = [];
  for (const metric of METRICS)
    for (const split of SPLITS)
      if (runs.some((r) => finite(r.metrics[split]?.[metric])))
        metrics.push({
          group: 'metric',
          id: `metric:${split}.${metric}`,
          label: `${SPLIT_LABEL[split]} ${METRIC_LABEL[metric]}`,
          numeric: true,
          split,
          metric,
        });
  const keys: string[] = [];
  for (const r of runs)
    for (const k of Object.keys(r.config.params)) if (k !== 'seed' && !keys.includes(k)) keys.push(k);
  if (runs.length) keys.push('seed');
  const taken = new Set([...RUN_COLUMNS, ...metrics].map((c) => c.label));
  const params: RunColumn[] = keys.map((param) => {
    const present = runs.map((r) => paramsOf(r)[param]).filter((v) => v !== undefined && v !== null);
    return {
      group: 'param',
      id: `param:${param}`,
      // A parameter that shares a name with another column ("status") says it is a parameter.
      label: taken.has(param) ? `${param} (parameter)` : param,
      numeric: present.length > 0 && present.every((v) => typeof v === 'number'),
      param,
    };
  });
  return [...RUN_COLUMNS, ...metrics, ...params];
}

/**
 * The raw value of a run in a column: numbers stay numbers (a non-finite metric is null), a list of
 * layer widths becomes "128, 64", a missing parameter is null. `created` is the ISO timestamp, which
 * sorts chronologically.
 */
export function cellValue(r: RunRecord, c: RunColumn): CellValue {
  switch (c.group) {
    case 'run':
      switch (c.id) {
        case 'name':
          return r.name;
        case 'status':
          return r.status;
        case 'family':
          return familyLabel(r.config.kind);
        case 'created':
          return r.createdAt;
        case 'duration':
          return finite(r.durationMs) && r.status !== 'running' ? r.durationMs : null;
        case 'throughput':
          return finite(r.samplesPerSecond) && r.samplesPerSecond > 0 ? r.samplesPerSecond : null;
      }
      return null;
    case 'metric': {
      const v = r.metrics[c.split]?.[c.metric];
      return finite(v) ? v : null;
    }
    case 'param': {
      const v = paramsOf(r)[c.param];
      if (v === undefined || v === null) return null;
      if (Array.isArray(v)) return v.join(', ');
      if (typeof v === 'number') return Number.isFinite(v) ? v : null;
      return typeof v === 'string' || typeof v === 'boolean' ? v : JSON.stringify(v);
    }
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2024-01-03 14:05" in the reader's time zone. */
export function formatCreated(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "850 ms", "4.4 s", "2 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${pad(whole % 60)} s`;
  return `${Math.floor(whole / 3600)} h ${pad(Math.floor((whole % 3600) / 60))} min`;
}

/** A metric as the table shows it: four decimals below 10 in size ("0.9123"), four significant digits above ("1235"). */
export function formatMetric(v: number): string {
  return Math.abs(v) < 10 ? v.toFixed(4) : String(Number(v.toPrecision(4)));
}

/** A parameter as it was set, without float noise ("0.001", "1e-7", "128"). */
export function formatParam(v: number): string {
  return String(Number(v.toPrecision(6)));
}

/** The text of a cell (blank when the run has no value in this column). */
export function formatCell(v: CellValue, c: RunColumn): string {
  if (v === null) return '';
  if (c.id === 'created' && typeof v === 'string') return formatCreated(v);
  if (c.id === 'duration' && typeof v === 'number') return formatDuration(v);
  if (c.id === 'throughput' && typeof v === 'number') return Math.round(v).toLocaleString('en-US');
  if (typeof v === 'number') return c.group === 'metric' ? formatMetric(v) : formatParam(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return v;
}

/** Orders two present values: numbers before text, numbers numerically, text naturally ("run 2" < "run 10"). */
function compareValues(a: Exclude<CellValue, null>, b: Exclude<CellValue, null>): number {
  const rank = (v: Exclude<CellValue, null>) => (typeof v === 'number' ? 0 : typeof v === 'boolean' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

/**
 * Runs ordered by one column, ascending or descending. Runs without a value come last in either
 * direction; ties keep their input order (stable). Returns a new array. Cost: O(n log n).
 *
 * @example sortRuns(runs, columns, { column: 'metric:validation.accuracy', direction: 'desc' })
 */
export function sortRuns(
  runs: readonly RunRecord[],
  columns: readonly RunColumn[],
  sort: TableSort | null,
): RunRecord[] {
  const col = sort && columns.find((c) => c.id === sort.column);
  if (!sort || !col) return [...runs];
  const sign = sort.direction === 'asc' ? 1 : -1;
  return runs
    .map((r, i) => ({ r, i, v: cellValue(r, col) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      return sign * compareValues(a.v, b.v) || a.i - b.i;
    })
    .map((x) => x.r);
}

/** The next sort after a header is pressed: a new column starts descending for metrics and numbers, ascending for text; the same column flips. */
export function nextSort(current: TableSort | null, column: RunColumn): TableSort {
  if (current?.column === column.id)
    return { column: column.id, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column: column.id, direction: column.numeric && column.group !== 'param' ? 'desc' : 'asc' };
}

/**
 * The table's rows: the runs matching the search (the query language of `filterRuns`: words,
 * `tag:x`, `status:x`, `param<n`, `metric>n`) in one experiment, ordered by a column (or, without
 * one, by `fallback`).
 */
export function tableRows(
  runs: readonly RunRecord[],
  columns: readonly RunColumn[],
  o: { query: string; experiment: string; fallback: RunSort; sort: TableSort | null },
): RunRecord[] {
  return sortRuns(filterRuns(runs, o.query, o.experiment, o.fallback), columns, o.sort);
}

/**
 * Whether the runs that have a value in a column disagree on it. A parameter only some families
 * have (a tree's depth beside MLPs) does not vary by being absent from the others.
 */
export function varies(runs: readonly RunRecord[], c: RunColumn): boolean {
  const seen = new Set(runs.map((r) => cellValue(r, c)).filter((v) => v !== null));
  return seen.size > 1;
}

/**
 * The columns shown at first: name, status, family, created and duration; the primary metric
 * (accuracy or RMSE, of each task present) on validation and test, and validation loss; the
 * parameters whose values differ between the runs that have them (every parameter but the seed when
 * there is a single run).
 */
export function defaultVisible(runs: readonly RunRecord[], columns: readonly RunColumn[]): string[] {
  const primaries = new Set(runs.map(primaryMetric));
  return columns
    .filter((c) => {
      if (c.group === 'run') return c.id !== 'throughput';
      if (c.group === 'metric')
        return (primaries.has(c.metric) && c.split !== 'train') || (c.metric === 'loss' && c.split === 'validation');
      return runs.length < 2 ? c.param !== 'seed' : varies(runs, c);
    })
    .map((c) => c.id);
}

/**
 * The visible columns after the runs changed: the person's choice, plus columns that did not exist
 * when they chose (new metrics or parameters) when the default would show them.
 */
export function mergeVisible(
  chosen: readonly string[],
  known: readonly string[],
  defaults: readonly string[],
): string[] {
  const fresh = defaults.filter((id) => !known.includes(id));
  return [...new Set([...chosen, ...fresh])];
}

/**
 * The metric a chart starts with: the primary metric of the newest run on validation, else the
 * first metric column; null when no run has a metric yet.
 */
export function defaultChartMetric(runs: readonly RunRecord[], columns: readonly RunColumn[]): string | null {
  const metrics = columns.filter((c) => c.group === 'metric');
  const newest = [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const wanted = newest && `metric:validation.${primaryMetric(newest)}`;
  return (metrics.find((c) => c.id === wanted) ?? metrics[0])?.id ?? null;
}

/**
 * A name per run that tells it from every other run, for the controls of its row ("Open run X"):
 * the run's name, with its creation time when another run has the same name, and the start of its
 * id when that is not enough.
 *
 * @example distinctNames(runs).get(id) // 'MLP 64 · iris.csv · #3 (created 2024-01-03 14:05)'
 */
export function distinctNames(runs: readonly RunRecord[]): Map<string, string> {
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const byName = count(runs.map((r) => r.name));
  const withTime = runs.map((r) =>
    (byName.get(r.name) ?? 0) > 1 ? `${r.name} (created ${formatCreated(r.createdAt)})` : r.name,
  );
  const byTime = count(withTime);
  return new Map(
    runs.map((r, i) => {
      const n = withTime[i]!;
      return [r.id, (byTime.get(n) ?? 0) > 1 ? `${n.replace(/\)$/, '')}, id ${r.id.slice(0, 8)})` : n];
    }),
  );
}
