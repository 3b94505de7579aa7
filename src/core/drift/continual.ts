import type { Table } from '../data/table.ts';
import { encodeLabels, transformFeatures, type Preprocessor } from '../data/preprocess.ts';
import type { EncodedSet } from '../model/prepare.ts';
import { predictMatrix } from '../model/predict-table.ts';
import { fitModel } from '../model/run-training.ts';
import { splitMetrics } from '../model/split-metrics.ts';
import type { SplitMetrics, TrainConfig, TrainedModel } from '../model/spec.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { driftReport, type DriftColumn } from './report.ts';
import type { Window } from './timeline.ts';

/**
 * Continual learning over a replayed, time-ordered stream cut into windows. Each window is first
 * predicted (labels unknown), then its labels arrive; a trigger may then retrain:
 * - stateless: fresh weights on the latest `trainRows` rows (a new version, relation "retrain");
 * - stateful: the latest weights fine-tuned on the new window only (relation "update").
 * The model never retrained ("static") runs alongside. Every version is scored on the window right
 * after its training data (a backtest). Preprocessing stays the initial version's, so the versions
 * read the same features the same way.
 */
export type Trigger =
  | { kind: 'schedule'; every: number }
  | { kind: 'volume'; rows: number }
  | { kind: 'performance'; below: number }
  | { kind: 'drift' };

export interface ContinualOptions {
  table: Table;
  name: string;
  pre: Preprocessor;
  config: TrainConfig;
  initial: TrainedModel;
  /** Rows the initial version was trained on (the drift trigger's first reference). */
  initialRows: Uint32Array;
  windows: Window[];
  trigger: Trigger;
  /** Stateless retraining uses the latest this-many labelled rows. */
  trainRows: number;
  fineTuneEpochs: number;
  columns: DriftColumn[];
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}

export interface ContinualVersion {
  strategy: 'stateless' | 'stateful';
  /** Index of the window whose labels triggered it; it is first scored on the window after it. */
  afterWindow: number;
  trainRows: number;
  ms: number;
  reason: string;
  model: TrainedModel;
  /** Its metric on its own training rows, and on the next window (the backtest). */
  trainMetric: number;
  nextMetric: number;
}

export interface ContinualWindow {
  label: string;
  rows: number;
  metric: { static: number; stateless: number; stateful: number };
  trigger: string | null;
}

export interface ContinualResult {
  metric: 'accuracy' | 'rmse';
  windows: ContinualWindow[];
  versions: ContinualVersion[];
  /** Mean metric over windows 2… for each strategy, and total retraining time. */
  summary: { static: number; stateless: number; stateful: number; statelessMs: number; statefulMs: number };
  statefulNote?: string;
}

const metricOf = (m: SplitMetrics, name: 'accuracy' | 'rmse') => (name === 'accuracy' ? m.accuracy! : m.rmse!);

function encode(pre: Preprocessor, table: Table, rows: Uint32Array, file: string): Result<EncodedSet> {
  const X = transformFeatures(pre, table, rows, file);
  if (!X.ok) return X;
  const y = encodeLabels(pre, table, rows, file);
  if (!y.ok) return y;
  return ok({ X: X.value, y: y.value, rows });
}

/** Splits rows (time-ordered) into train (first 85%) and validation (last 15%). */
function holdout(rows: Uint32Array): [Uint32Array, Uint32Array] {
  const cut = Math.max(1, Math.floor(rows.length * 0.85));
  return [rows.subarray(0, cut), rows.subarray(cut)];
}

function concat(parts: Uint32Array[]): Uint32Array {
  const out = new Uint32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

export async function continualLearning(o: ContinualOptions): Promise<Result<ContinualResult>> {
  const name = o.pre.label.task === 'classification' ? 'accuracy' : 'rmse';
  const better = (a: number, b: number) => (name === 'accuracy' ? a > b : a < b);
  const canFineTune = o.initial.kind === 'network';
  const score = async (model: TrainedModel, set: EncodedSet) =>
    metricOf(splitMetrics(o.pre, await predictMatrix(model, set.X, set.y.length), set.y), name);
  let stateless = o.initial,
    stateful = o.initial;
  let statelessRef = o.initialRows,
    sinceRetrain = 0;
  const seen: Uint32Array[] = [o.initialRows];
  const windows: ContinualWindow[] = [];
  const versions: ContinualVersion[] = [];
  const pending: ContinualVersion[] = [];
  for (let w = 0; w < o.windows.length; w++) {
    if (o.isCancelled?.()) return fail({ kind: 'cancelled', message: 'Cancelled.' });
    const win = o.windows[w]!;
    const set = encode(o.pre, o.table, win.rows, o.name);
    if (!set.ok) return set;
    const m = {
      static: await score(o.initial, set.value),
      stateless: await score(stateless, set.value),
      stateful: canFineTune ? await score(stateful, set.value) : NaN,
    };
    for (const v of pending.splice(0)) v.nextMetric = v.strategy === 'stateless' ? m.stateless : m.stateful;
    // The labels of this window arrive: decide whether to retrain.
    seen.push(win.rows);
    sinceRetrain += win.rows.length;
    let reason: string | null;
    const t = o.trigger;
    if (t.kind === 'schedule')
      reason =
        (w + 1) % Math.max(1, t.every) === 0 ? `schedule: every ${t.every} window${t.every === 1 ? '' : 's'}` : null;
    else if (t.kind === 'volume')
      reason = sinceRetrain >= t.rows ? `volume: ${sinceRetrain} new labelled rows ≥ ${t.rows}` : null;
    else if (t.kind === 'performance')
      reason =
        !better(m.stateless, t.below) && m.stateless !== t.below
          ? `performance: ${name} ${m.stateless.toFixed(3)} ${name === 'accuracy' ? '<' : '>'} ${t.below}`
          : null;
    else {
      const r = driftReport({ table: o.table, rows: statelessRef }, { table: o.table, rows: win.rows }, o.columns);
      reason = r.drifted.length
        ? `drift: ${r.drifted.slice(0, 3).join(', ')}${r.drifted.length > 3 ? ', …' : ''}`
        : null;
    }
    windows.push({ label: win.label, rows: win.rows.length, metric: m, trigger: reason });
    o.onProgress?.(w + 1, o.windows.length);
    if (!reason || w === o.windows.length - 1) continue;
    sinceRetrain = 0;
    // Stateless: fresh, seeded weights on the latest trainRows labelled rows.
    const all = concat(seen);
    const recent = all.subarray(Math.max(0, all.length - o.trainRows));
    const [tr, va] = holdout(recent);
    const trSet = encode(o.pre, o.table, tr, o.name),
      vaSet = encode(o.pre, o.table, va, o.name);
    if (!trSet.ok) return trSet;
    if (!vaSet.ok) return vaSet;
    let t0 = performance.now();
    const fresh = await fitModel(o.pre, o.pre.label.task, trSet.value, vaSet.value, o.config, {
      isCancelled: o.isCancelled,
    });
    const v1: ContinualVersion = {
      strategy: 'stateless',
      afterWindow: w,
      trainRows: tr.length,
      ms: performance.now() - t0,
      reason,
      model: fresh.model,
      trainMetric: await score(fresh.model, trSet.value),
      nextMetric: NaN,
    };
    stateless = fresh.model;
    statelessRef = tr;
    versions.push(v1);
    pending.push(v1);
    // Stateful: the latest weights, a few epochs on the new window only.
    if (canFineTune) {
      const [wtr, wva] = holdout(win.rows);
      const wSet = encode(o.pre, o.table, wtr, o.name),
        wvSet = encode(o.pre, o.table, wva.length ? wva : wtr, o.name);
      if (!wSet.ok) return wSet;
      if (!wvSet.ok) return wvSet;
      t0 = performance.now();
      const tuned = await fitModel(
        o.pre,
        o.pre.label.task,
        wSet.value,
        wvSet.value,
        { ...o.config, params: { ...o.config.params, epochs: o.fineTuneEpochs, earlyStoppingPatience: 0 } },
        { initial: stateful.kind === 'network' ? stateful.artifacts : undefined, isCancelled: o.isCancelled },
      );
      const v2: ContinualVersion = {
        strategy: 'stateful',
        afterWindow: w,
        trainRows: wtr.length,
        ms: performance.now() - t0,
        reason,
        model: tuned.model,
        trainMetric: await score(tuned.model, wSet.value),
        nextMetric: NaN,
      };
      stateful = tuned.model;
      versions.push(v2);
      pending.push(v2);
    }
  }
  const mean = (k: 'static' | 'stateless' | 'stateful') => {
    const xs = windows
      .slice(1)
      .map((x) => x.metric[k])
      .filter(Number.isFinite);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
  };
  return ok({
    metric: name,
    windows,
    versions,
    summary: {
      static: mean('static'),
      stateless: mean('stateless'),
      stateful: mean('stateful'),
      statelessMs: versions.filter((v) => v.strategy === 'stateless').reduce((a, v) => a + v.ms, 0),
      statefulMs: versions.filter((v) => v.strategy === 'stateful').reduce((a, v) => a + v.ms, 0),
    },
    statefulNote: canFineTune
      ? undefined
      : 'Stateful fine-tuning needs a neural network; this model family retrains only from scratch.',
  });
}

export interface FreshnessPoint {
  /** Windows between the end of the training data and the test window (0 = the window right before). */
  age: number;
  trainLabel: string;
  trainRows: number;
  metric: number;
}

/**
 * The value of fresh data: the same architecture trained on `span` consecutive windows ending at
 * different ages, each tested on the latest window of the stream.
 */
export async function freshDataValue(o: {
  table: Table;
  name: string;
  pre: Preprocessor;
  config: TrainConfig;
  windows: Window[];
  span: number;
  maxAge: number;
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
}): Promise<Result<{ metric: 'accuracy' | 'rmse'; test: string; points: FreshnessPoint[] }>> {
  const name = o.pre.label.task === 'classification' ? 'accuracy' : 'rmse';
  const last = o.windows.length - 1;
  if (last < o.span)
    return fail({
      kind: 'too-few-windows',
      message:
        `The value of fresh data needs at least ${o.span + 1} windows (${o.span} to train on and one ` +
        `to test on); there are ${o.windows.length}.`,
    });
  const test = encode(o.pre, o.table, o.windows[last]!.rows, o.name);
  if (!test.ok) return test;
  const points: FreshnessPoint[] = [];
  const ages = Math.min(o.maxAge, last - o.span);
  for (let age = 0; age <= ages; age++) {
    if (o.isCancelled?.()) return fail({ kind: 'cancelled', message: 'Cancelled.' });
    const end = last - age; // exclusive
    const parts = o.windows.slice(end - o.span, end);
    const [tr, va] = holdout(concat(parts.map((p) => p.rows)));
    const trSet = encode(o.pre, o.table, tr, o.name),
      vaSet = encode(o.pre, o.table, va, o.name);
    if (!trSet.ok) return trSet;
    if (!vaSet.ok) return vaSet;
    const fit = await fitModel(o.pre, o.pre.label.task, trSet.value, vaSet.value, o.config, {
      isCancelled: o.isCancelled,
    });
    const m = metricOf(
      splitMetrics(o.pre, await predictMatrix(fit.model, test.value.X, test.value.y.length), test.value.y),
      name,
    );
    points.push({ age, trainLabel: `${parts[0]!.label} … ${parts.at(-1)!.label}`, trainRows: tr.length, metric: m });
    o.onProgress?.(age + 1, ages + 1);
  }
  return ok({ metric: name, test: o.windows[last]!.label, points });
}
