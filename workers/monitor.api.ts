// Monitoring in the training worker: drift of new data against a model version's training rows,
// a drift timeline over windows with alerts, data expectations, continual learning and the value of
// fresh data. Plain functions over the core, mixed into the training worker's API (tested in Node).
import type { Table } from '../src/core/data/table.ts';
import { columnByName } from '../src/core/data/table.ts';
import { parseDate } from '../src/core/data/values.ts';
import { inferSchema, withRole } from '../src/core/data/schema.ts';
import { encodeLabels, transformFeatures } from '../src/core/data/preprocess.ts';
import { heldOutRows, runSplitRows } from '../src/core/evaluation/report.ts';
import { predictMatrix } from '../src/core/model/predict-table.ts';
import { splitMetrics } from '../src/core/model/split-metrics.ts';
import { completeConfig, type RunRecord, type TrainedModel } from '../src/core/model/spec.ts';
import {
  driftColumnsFromPreprocessor,
  driftReport,
  outputDrift,
  type DriftReport,
  type OutputDrift,
} from '../src/core/drift/report.ts';
import {
  driftTimeline,
  evaluateAlerts,
  makeWindows,
  type Alert,
  type AlertRule,
  type WindowSpec,
} from '../src/core/drift/timeline.ts';
import {
  runExpectations,
  suggestExpectations,
  type Expectation,
  type ExpectationResult,
} from '../src/core/drift/expectations.ts';
import {
  continualLearning,
  freshDataValue,
  type ContinualResult,
  type FreshnessPoint,
  type Trigger,
} from '../src/core/drift/continual.ts';
import type { Result } from '../src/core/util/result.ts';
import { fail, ok } from '../src/core/util/result.ts';

type TableSource = (id: string) => Promise<Result<{ table: Table; name: string }>>;

export interface MonitorReport extends DriftReport {
  current: string;
  /** The model's outputs on reference and current rows (prediction drift). */
  prediction: OutputDrift | null;
  /** The model's metric on the current rows, when they carry labels, and on its own test split. */
  performance: { name: 'accuracy' | 'rmse'; current: number; reference: number } | null;
}

export interface TimelineSummary {
  label: string;
  rows: number;
  features: { feature: string; statistic: number; pBH: number; psi: number; js: number; verdict: string }[];
  drifted: string[];
  prediction: OutputDrift | null;
  metric: { name: 'accuracy' | 'rmse'; value: number } | null;
}

const all = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

/** Rows in time order: by the run's time column (or a date column) when the table has one, else file order. */
function timeOrder(table: Table, column: string | undefined): Uint32Array {
  const rows = all(table.rowCount);
  const col = column ? columnByName(table, column) : undefined;
  if (!col) return rows;
  const t = col.dictionary.map(parseDate);
  const at = (r: number) => (col.codes[r]! < 0 ? Infinity : t[col.codes[r]!]!);
  return rows.sort((a, b) => at(a) - at(b) || a - b);
}

export function createMonitorApi(o: { table: TableSource; ensureBackend: () => Promise<unknown> }) {
  let cancelled = false;

  async function reference(run: RunRecord) {
    const t = await o.table(run.dataset.id);
    if (!t.ok) return t;
    const s = runSplitRows(run, t.value.table);
    if (!s.ok) return s;
    return ok({ ...t.value, split: s.value });
  }

  async function outputs(model: TrainedModel, table: Table, rows: Uint32Array, name: string) {
    const X = transformFeatures(model.preprocessor, table, rows, name);
    if (!X.ok) return null;
    return predictMatrix(model, X.value, rows.length);
  }

  function metricOn(model: TrainedModel, table: Table, rows: Uint32Array, name: string, out: Float64Array | null) {
    const pre = model.preprocessor;
    if (!out || !columnByName(table, pre.label.column)) return null;
    const y = encodeLabels(pre, table, rows, name);
    if (!y.ok) return null;
    const m = splitMetrics(pre, out, y.value);
    return pre.label.task === 'classification'
      ? { name: 'accuracy' as const, value: m.accuracy! }
      : { name: 'rmse' as const, value: m.rmse! };
  }

  return {
    /**
     * Drift of a dataset against the run's training rows: the columns the model reads and its label,
     * the model's output distribution, its metric on the new rows when they carry labels, and
     * (optionally) the multivariate tests.
     */
    async monitorDrift(
      run: RunRecord,
      model: TrainedModel,
      currentId: string,
      opt: { alpha: number; multivariate: boolean; minSize?: number },
    ): Promise<Result<MonitorReport>> {
      await o.ensureBackend();
      const ref = await reference(run);
      if (!ref.ok) return ref;
      const cur = await o.table(currentId);
      if (!cur.ok) return cur;
      const curRows = all(cur.value.table.rowCount);
      const report = driftReport(
        { table: ref.value.table, rows: ref.value.split.train },
        { table: cur.value.table, rows: curRows },
        driftColumnsFromPreprocessor(model.preprocessor),
        { alpha: opt.alpha, multivariate: opt.multivariate, minSize: opt.minSize },
      );
      // New data without labels is normal (they arrive later): say so, rather than call it schema drift.
      const label = model.preprocessor.label.column;
      report.schema = report.schema.map((f) =>
        f.kind === 'missing-column' && f.column === label
          ? {
              ...f,
              message: `The new data has no labels ("${label}"): label drift and the model's accuracy on it are not available until they arrive.`,
            }
          : f,
      );
      const k = model.preprocessor.label.task === 'classification' ? model.preprocessor.label.classes.length : 1;
      const refOut = await outputs(model, ref.value.table, ref.value.split.train, ref.value.name);
      const missing = report.schema.some(
        (s) => s.kind === 'missing-column' && s.column !== model.preprocessor.label.column,
      );
      const curOut = missing ? null : await outputs(model, cur.value.table, curRows, cur.value.name);
      const curMetric = metricOn(model, cur.value.table, curRows, cur.value.name, curOut);
      const testRows = ref.value.split.test.length ? ref.value.split.test : ref.value.split.validation;
      const refMetric = metricOn(
        model,
        ref.value.table,
        testRows,
        ref.value.name,
        await outputs(model, ref.value.table, testRows, ref.value.name),
      );
      return ok({
        ...report,
        current: cur.value.name,
        prediction: refOut && curOut ? outputDrift(refOut, curOut, k) : null,
        performance:
          curMetric && refMetric
            ? { name: curMetric.name, current: curMetric.value, reference: refMetric.value }
            : null,
      });
    },

    /**
     * A drift timeline: a dataset (time-ordered by `timeColumn` when given) cut into windows, each
     * compared with the run's training rows; the model's metric per window; alerts from the rules.
     */
    async monitorTimeline(
      run: RunRecord,
      model: TrainedModel,
      datasetId: string,
      spec: WindowSpec,
      rules: AlertRule[],
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<{ points: TimelineSummary[]; alerts: Alert[]; skipped: number; referenceRows: number }>> {
      await o.ensureBackend();
      cancelled = false;
      const ref = await reference(run);
      if (!ref.ok) return ref;
      const cur = await o.table(datasetId);
      if (!cur.ok) return cur;
      const table = cur.value.table;
      let cut;
      try {
        cut = makeWindows(table, timeOrder(table, spec.by === 'time' ? spec.column : run.split.timeColumn), spec);
      } catch (e) {
        return fail({ kind: 'bad-window', message: (e as Error).message });
      }
      if (cut.windows.length === 0)
        return fail({
          kind: 'no-windows',
          message: 'No windows: the data is shorter than one window, or has no dates in that column.',
        });
      if (cut.windows.length > 500)
        return fail({
          kind: 'too-many-windows',
          message: `${cut.windows.length} windows is too many to chart; choose larger windows (at most 500).`,
        });
      const k = model.preprocessor.label.task === 'classification' ? model.preprocessor.label.classes.length : 1;
      const refOut = await outputs(model, ref.value.table, ref.value.split.train, ref.value.name);
      const points: TimelineSummary[] = [];
      const outs = new Map<number, Float64Array | null>();
      for (let i = 0; i < cut.windows.length; i++)
        outs.set(i, await outputs(model, table, cut.windows[i]!.rows, cur.value.name));
      let w = 0;
      const tl = driftTimeline(
        { table: ref.value.table, rows: ref.value.split.train },
        table,
        cut.windows,
        driftColumnsFromPreprocessor(model.preprocessor),
        (win) =>
          metricOn(model, table, win.rows, cur.value.name, outs.get(cut.windows.indexOf(win)) ?? null) ?? undefined,
        () => onProgress?.(++w, cut.windows.length),
      );
      tl.forEach((p, i) => {
        const out = outs.get(i);
        points.push({
          label: p.label,
          rows: p.rows,
          features: p.report.features.map((f) => ({
            feature: f.feature,
            statistic: f.statistic,
            pBH: f.pBH,
            psi: f.psi,
            js: f.js,
            verdict: f.verdict,
          })),
          drifted: p.report.drifted,
          prediction: refOut && out ? outputDrift(refOut, out, k) : null,
          metric: p.metric ?? null,
        });
      });
      return ok({
        points,
        alerts: evaluateAlerts(tl, rules),
        skipped: cut.skipped,
        referenceRows: ref.value.split.train.length,
      });
    },

    /** Expectations suggested from the run's training rows. */
    async suggestExpectations(run: RunRecord): Promise<Result<Expectation[]>> {
      const ref = await reference(run);
      if (!ref.ok) return ref;
      const t = ref.value.table;
      const rows = ref.value.split.train;
      const sub: Table = {
        rowCount: rows.length,
        columns: t.columns.map((c) => ({ ...c, codes: Int32Array.from(rows, (r) => c.codes[r]!) })),
      };
      return ok(suggestExpectations(sub, withRole(inferSchema(sub, run.label), run.label, 'label')));
    },

    async runExpectations(datasetId: string, list: Expectation[]): Promise<Result<ExpectationResult[]>> {
      const t = await o.table(datasetId);
      if (!t.ok) return t;
      return ok(runExpectations(t.value.table, list));
    },

    /**
     * Continual learning on the run's held-out rows (validation and test, in time order) cut into
     * windows, starting from the run's model: static vs stateless retraining vs stateful fine-tuning.
     */
    async continualLearning(
      run: RunRecord,
      model: TrainedModel,
      spec: WindowSpec,
      opt: { trigger: Trigger; trainRows: number; fineTuneEpochs: number },
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<ContinualResult & { windowsUsed: number }>> {
      await o.ensureBackend();
      cancelled = false;
      if (model.kind === 'ensemble')
        return fail({
          kind: 'unsupported-model',
          message: 'Continual learning retrains one model; this is an ensemble.',
        });
      const ref = await reference(run);
      if (!ref.ok) return ref;
      const stream = heldOutRows(run, ref.value.split);
      const order = timeOrder(ref.value.table, spec.by === 'time' ? spec.column : run.split.timeColumn);
      const rank = new Int32Array(ref.value.table.rowCount);
      order.forEach((r, i) => (rank[r] = i));
      stream.sort((a, b) => rank[a]! - rank[b]!);
      let cut;
      try {
        cut = makeWindows(ref.value.table, stream, spec);
      } catch (e) {
        return fail({ kind: 'bad-window', message: (e as Error).message });
      }
      if (cut.windows.length < 2)
        return fail({
          kind: 'no-windows',
          message: `The held-out rows make ${cut.windows.length} window${cut.windows.length === 1 ? '' : 's'}; continual learning needs at least two (choose smaller windows).`,
        });
      const r = await continualLearning({
        table: ref.value.table,
        name: ref.value.name,
        pre: model.preprocessor,
        config: completeConfig(run.config),
        initial: model,
        initialRows: ref.value.split.train,
        windows: cut.windows.slice(0, 60),
        trigger: opt.trigger,
        trainRows: opt.trainRows,
        fineTuneEpochs: opt.fineTuneEpochs,
        columns: driftColumnsFromPreprocessor(model.preprocessor, false),
        onProgress,
        isCancelled: () => cancelled,
      });
      if (!r.ok) return r;
      return ok({ ...r.value, windowsUsed: Math.min(60, cut.windows.length) });
    },

    /** The value of fresh data over the whole dataset, windowed by `spec`, tested on the last window. */
    async freshDataValue(
      run: RunRecord,
      model: TrainedModel,
      spec: WindowSpec,
      opt: { span: number; maxAge: number },
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<{ metric: 'accuracy' | 'rmse'; test: string; points: FreshnessPoint[] }>> {
      await o.ensureBackend();
      cancelled = false;
      const ref = await reference(run);
      if (!ref.ok) return ref;
      const order = timeOrder(ref.value.table, spec.by === 'time' ? spec.column : run.split.timeColumn);
      let cut;
      try {
        cut = makeWindows(ref.value.table, order, spec);
      } catch (e) {
        return fail({ kind: 'bad-window', message: (e as Error).message });
      }
      return freshDataValue({
        table: ref.value.table,
        name: ref.value.name,
        pre: model.preprocessor,
        config: completeConfig(run.config),
        windows: cut.windows,
        span: opt.span,
        maxAge: opt.maxAge,
        onProgress,
        isCancelled: () => cancelled,
      });
    },

    cancelMonitor(): void {
      cancelled = true;
    },
  };
}
