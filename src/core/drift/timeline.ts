import { columnByName, type Table } from '../data/table.ts';
import { parseDate } from '../data/values.ts';
import { driftReport, type DriftColumn, type DriftReport } from './report.ts';
import { DRIFT_MEASURES, type DriftMeasureId, type DriftOutcome } from './measures/index.ts';

/**
 * Windows over a time-ordered dataset, a drift timeline (one report per window against the
 * reference) and alert rules with severities and cooldowns.
 */
export type WindowSpec =
  | { by: 'rows'; size: number; mode: 'sliding' | 'accumulating'; step?: number }
  | { by: 'time'; column: string; unit: 'day' | 'week' | 'month' | 'year'; mode: 'sliding' | 'accumulating' };

export interface Window {
  label: string;
  rows: Uint32Array;
}

const DAY = 86_400_000;
function bucket(ms: number, unit: 'day' | 'week' | 'month' | 'year'): { key: number; label: string } {
  const d = new Date(ms);
  if (unit === 'year') return { key: d.getUTCFullYear(), label: String(d.getUTCFullYear()) };
  if (unit === 'month')
    return {
      key: d.getUTCFullYear() * 12 + d.getUTCMonth(),
      label: `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`,
    };
  if (unit === 'week') {
    const monday = Math.floor((ms / DAY + 3) / 7); // weeks since 1970-01-05 (a Monday) shifted
    return { key: monday, label: `week of ${new Date((monday * 7 - 3) * DAY).toISOString().slice(0, 10)}` };
  }
  const day = Math.floor(ms / DAY);
  return { key: day, label: new Date(day * DAY).toISOString().slice(0, 10) };
}

/**
 * Cuts `rows` (already in time order) into windows. Rows: `size` rows, moving by `step` (default
 * `size`); accumulating windows all start at the first row. Time: one window per calendar unit of a
 * date column (rows without a date are left out and counted).
 */
export function makeWindows(table: Table, rows: Uint32Array, spec: WindowSpec): { windows: Window[]; skipped: number } {
  const windows: Window[] = [];
  if (spec.by === 'rows') {
    const size = Math.max(1, Math.floor(spec.size)),
      step = Math.max(1, Math.floor(spec.step ?? size)),
      n = rows.length;
    // Sliding: [start, start + size) moving by step; a last, shorter window is kept if at least half full.
    // Accumulating: [0, end) with end growing by step.
    if (spec.mode === 'sliding')
      for (let start = 0; start < n; start += step) {
        const end = Math.min(n, start + size);
        if (end - start < size && (end - start < size / 2 || windows.length) && end - start < n) break;
        windows.push({ label: `rows ${start + 1}–${end}`, rows: rows.subarray(start, end) });
        if (end === n) break;
      }
    else
      for (let end = Math.min(n, size); ; end = Math.min(n, end + step)) {
        windows.push({ label: `rows 1–${end}`, rows: rows.subarray(0, end) });
        if (end === n) break;
      }
    return { windows, skipped: 0 };
  }
  const col = columnByName(table, spec.column);
  if (!col) throw new Error(`The data has no column "${spec.column}" to cut windows by.`);
  const dict = col.dictionary.map(parseDate);
  const groups = new Map<number, { label: string; rows: number[] }>();
  let skipped = 0;
  for (const r of rows) {
    const c = col.codes[r]!;
    const ms = c < 0 ? NaN : dict[c]!;
    if (!Number.isFinite(ms)) {
      skipped++;
      continue;
    }
    const b = bucket(ms, spec.unit);
    let g = groups.get(b.key);
    if (!g) groups.set(b.key, (g = { label: b.label, rows: [] }));
    g.rows.push(r);
  }
  const keys = [...groups.keys()].sort((a, b) => a - b);
  let acc: number[] = [];
  for (const k of keys) {
    const g = groups.get(k)!;
    acc = spec.mode === 'accumulating' ? acc.concat(g.rows) : g.rows;
    windows.push({ label: spec.mode === 'accumulating' ? `up to ${g.label}` : g.label, rows: Uint32Array.from(acc) });
  }
  return { windows, skipped };
}

export interface TimelinePoint {
  label: string;
  rows: number;
  report: DriftReport;
  /** Accuracy (or RMSE) of the model on this window, when labels and predictions are known. */
  metric?: { name: 'accuracy' | 'rmse'; value: number };
}

/** One drift report per window, against the same reference. */
export function driftTimeline(
  ref: { table: Table; rows: Uint32Array },
  table: Table,
  windows: Window[],
  columns: DriftColumn[],
  metric?: (w: Window) => TimelinePoint['metric'],
  onWindow?: (i: number) => void,
): TimelinePoint[] {
  return windows.map((w, i) => {
    const report = driftReport(ref, { table, rows: w.rows }, columns);
    onWindow?.(i);
    return { label: w.label, rows: w.rows.length, report, metric: metric?.(w) };
  });
}

/**
 * What a rule watches: a registered drift measure by id (a distance's size, a test's statistic — NaN
 * where that test did not run), the corrected p-value, the number of drifted features, or the model's
 * metric.
 */
export type AlertMetric = DriftMeasureId | 'p-value' | 'drifted-features' | 'accuracy' | 'rmse';
/** Every metric an alert rule may name, registered measures first. */
export const ALERT_METRICS: readonly AlertMetric[] = Object.freeze([
  ...(Object.keys(DRIFT_MEASURES) as DriftMeasureId[]),
  'p-value',
  'drifted-features',
  'accuracy',
  'rmse',
]);
export interface AlertRule {
  name: string;
  metric: AlertMetric;
  /** A feature name, or '*' for any feature (per-feature metrics). */
  feature: string;
  op: '>' | '<';
  threshold: number;
  severity: 'info' | 'warning' | 'critical';
  /** Windows to stay quiet after an alert, even if the condition clears and returns. */
  cooldown: number;
}

export interface Alert {
  window: number;
  label: string;
  rule: string;
  feature: string | null;
  value: number;
  severity: AlertRule['severity'];
  message: string;
}

export const DEFAULT_RULES: AlertRule[] = [
  { name: 'PSI major shift', metric: 'psi', feature: '*', op: '>', threshold: 0.25, severity: 'critical', cooldown: 3 },
  {
    name: 'PSI moderate shift',
    metric: 'psi',
    feature: '*',
    op: '>',
    threshold: 0.1,
    severity: 'warning',
    cooldown: 3,
  },
  {
    name: 'Several features drifted',
    metric: 'drifted-features',
    feature: '*',
    op: '>',
    threshold: 2,
    severity: 'critical',
    cooldown: 3,
  },
];

/** A distance's size, a test's statistic; NaN when the measure did not run on that column. */
const measured = (o: DriftOutcome | undefined) => o?.size ?? o?.statistic ?? NaN;

function values(p: TimelinePoint, rule: AlertRule): { feature: string | null; value: number }[] {
  if (rule.metric === 'drifted-features') return [{ feature: null, value: p.report.drifted.length }];
  if (rule.metric === 'accuracy' || rule.metric === 'rmse')
    return p.metric?.name === rule.metric ? [{ feature: null, value: p.metric.value }] : [];
  return p.report.features
    .filter((f) => rule.feature === '*' || f.feature === rule.feature)
    .map((f) => ({
      feature: f.feature,
      value: rule.metric === 'p-value' ? f.pBH : measured(f.measures[rule.metric as DriftMeasureId]),
    }));
}

/**
 * Alerts over a timeline. A rule fires for a (rule, feature) when its condition becomes true; it
 * stays quiet while the condition holds (one shift, one alert) and re-arms once the condition has
 * cleared and `cooldown` windows have passed since it fired. A more severe rule firing for the same
 * feature in the same window hides a milder one.
 */
export function evaluateAlerts(timeline: TimelinePoint[], rules: AlertRule[]): Alert[] {
  const state = new Map<string, { firedAt: number; active: boolean }>();
  const out: Alert[] = [];
  const rank = { info: 0, warning: 1, critical: 2 };
  timeline.forEach((p, w) => {
    const fired: Alert[] = [];
    for (const rule of rules)
      for (const { feature, value } of values(p, rule)) {
        if (!Number.isFinite(value)) continue;
        const key = `${rule.name}|${feature ?? ''}`;
        const s = state.get(key) ?? { firedAt: -Infinity, active: false };
        const on = rule.op === '>' ? value > rule.threshold : value < rule.threshold;
        if (on && !s.active && w - s.firedAt > rule.cooldown) {
          fired.push({
            window: w,
            label: p.label,
            rule: rule.name,
            feature,
            value,
            severity: rule.severity,
            message:
              `${rule.name}: ${feature ? `"${feature}" ` : ''}` +
              `${rule.metric} ${value.toPrecision(3)} ${rule.op} ${rule.threshold}`,
          });
          s.firedAt = w;
          s.active = true;
        } else if (!on) s.active = false;
        state.set(key, s);
      }
    const best = new Map<string, Alert>();
    for (const a of fired) {
      const k = a.feature ?? `#${a.rule}`;
      const b = best.get(k);
      if (!b || rank[a.severity] > rank[b.severity]) best.set(k, a);
    }
    out.push(...best.values());
  });
  return out;
}
