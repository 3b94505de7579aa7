// Drift monitoring: a dataset against the run's training rows, and a drift timeline over windows with alerts.
import type { RunRef } from '../train/run-cache.ts';
import {
  driftColumnsFromPreprocessor,
  driftReport,
  outputDrift,
  type DriftReport,
  type OutputDrift,
} from '../../src/core/drift/report.ts';
import {
  driftTimeline,
  evaluateAlerts,
  makeWindows,
  type Alert,
  type AlertRule,
  type WindowSpec,
} from '../../src/core/drift/timeline.ts';
import type { DriftMeasurements } from '../../src/core/drift/measures/index.ts';
import type { Result } from '../../src/core/util/result.ts';
import { fail, ok } from '../../src/core/util/result.ts';
import { all, metricOn, outputs, openRun, timeOrder, type MonitorContext } from './monitor-context.ts';

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
  features: {
    feature: string;
    statistic: number;
    pBH: number;
    psi: number;
    js: number;
    verdict: string;
    /** Every drift measure that ran on the column, by registry id (`DRIFT_MEASURES`). */
    measures: DriftMeasurements;
  }[];
  drifted: string[];
  prediction: OutputDrift | null;
  metric: { name: 'accuracy' | 'rmse'; value: number } | null;
}

/** Drift methods of the worker API. */
export function driftApi(o: MonitorContext) {
  return {
    /**
     * Drift of a dataset against the run's training rows: the columns the model reads and its label,
     * the model's output distribution, its metric on the new rows when they carry labels, and
     * (optionally) the multivariate tests.
     */
    async monitorDrift(
      runRef: RunRef,
      currentId: string,
      opt: { alpha: number; multivariate: boolean; minSize?: number },
    ): Promise<Result<MonitorReport>> {
      const opened = await openRun(o, runRef);
      if (!opened.ok) return opened;
      const { model, ref } = opened.value;
      const cur = await o.table(currentId);
      if (!cur.ok) return cur;
      const curRows = all(cur.value.table.rowCount);
      const report = driftReport(
        { table: ref.table, rows: ref.split.train },
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
              message:
                `The new data has no labels ("${label}"): label drift and the model's accuracy on it ` +
                'are not available until they arrive.',
            }
          : f,
      );
      const k = model.preprocessor.label.task === 'classification' ? model.preprocessor.label.classes.length : 1;
      const refOut = await outputs(model, ref.table, ref.split.train, ref.name);
      const missing = report.schema.some(
        (s) => s.kind === 'missing-column' && s.column !== model.preprocessor.label.column,
      );
      const curOut = missing ? null : await outputs(model, cur.value.table, curRows, cur.value.name);
      const curMetric = metricOn(model, cur.value.table, curRows, cur.value.name, curOut);
      const testRows = ref.split.test.length ? ref.split.test : ref.split.validation;
      const refMetric = metricOn(
        model,
        ref.table,
        testRows,
        ref.name,
        await outputs(model, ref.table, testRows, ref.name),
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
      runRef: RunRef,
      datasetId: string,
      spec: WindowSpec,
      rules: AlertRule[],
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<{ points: TimelineSummary[]; alerts: Alert[]; skipped: number; referenceRows: number }>> {
      const opened = await openRun(o, runRef);
      if (!opened.ok) return opened;
      const { run, model, ref } = opened.value;
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
      const refOut = await outputs(model, ref.table, ref.split.train, ref.name);
      const points: TimelineSummary[] = [];
      const outs = new Map<number, Float64Array | null>();
      for (let i = 0; i < cut.windows.length; i++)
        outs.set(i, await outputs(model, table, cut.windows[i]!.rows, cur.value.name));
      let w = 0;
      const tl = driftTimeline(
        { table: ref.table, rows: ref.split.train },
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
            measures: f.measures,
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
        referenceRows: ref.split.train.length,
      });
    },
  };
}
