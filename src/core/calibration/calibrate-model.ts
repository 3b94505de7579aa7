import { inferSchema, withRole } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import { encodeLabels } from '../data/preprocess.ts';
import { predictAnyRows } from '../ensemble/ensemble.ts';
import { accuracy } from '../metrics/accuracy.ts';
import { argmaxRows } from '../metrics/argmax-rows.ts';
import { logLoss } from '../metrics/log-loss.ts';
import { prepareData } from '../model/prepare.ts';
import type { CalibrationSnapshot, RunRecord, TrainedModel } from '../model/spec.ts';
import { splitMetrics } from '../model/split-metrics.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { fitCalibrator, type CalibrationMethod } from './calibrators.ts';
import { calibrationSummary } from './reliability.ts';

/** Calibration numbers of probabilities on labelled rows. */
export function snapshot(y: Int32Array, probs: Float64Array, k: number): CalibrationSnapshot {
  const s = calibrationSummary(y, probs, k);
  return {
    accuracy: accuracy(y, argmaxRows(probs, k)),
    logLoss: logLoss(y, probs, k),
    brier: s.brier,
    ece: s.ece,
    mce: s.mce,
    adaptiveEce: s.adaptiveEce,
    classwiseEce: s.classwiseEce,
    bins: s.bins,
  };
}

/**
 * Calibrates a classifier: rebuilds the run's split, fits the calibrator on the validation rows only,
 * and returns the calibrated model (same weights plus the calibrator) with a new run record whose
 * `calibration.parentRunId` points to the original, carrying test-split calibration before and after.
 */
export async function calibrateRun(
  run: RunRecord,
  model: TrainedModel,
  table: Table,
  method: CalibrationMethod,
  ids: { runId: string; runName?: string },
): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
  const pre = model.preprocessor;
  if (pre.label.task !== 'classification')
    return fail({
      kind: 'bad-config',
      message: 'Calibration applies to classifiers (probabilities); this model does regression.',
    });
  const k = pre.label.classes.length;
  if (method === 'platt' && k !== 2)
    return fail({
      kind: 'bad-config',
      column: 'method',
      message: `Platt scaling is for two classes; this model has ${k}. Use temperature scaling, isotonic regression or histogram binning.`,
    });
  const schema = withRole(inferSchema(table, run.label), run.label, 'label');
  const prepared = prepareData(table, schema, run.split, run.dataset.name, run.task);
  if (!prepared.ok) return prepared;
  const { validation, test } = prepared.value;
  const base: TrainedModel = { ...model, calibrator: undefined };
  const labels = (rows: Uint32Array) => {
    const y = encodeLabels(pre, table, rows);
    return y.ok ? (y.value as Int32Array) : new Int32Array(0);
  };
  const yVal = labels(validation.rows);
  const keepVal = Uint32Array.from(validation.rows.filter((_, i) => yVal[i]! >= 0));
  const pVal = await predictAnyRows(base, table, keepVal);
  if (!pVal.ok) return pVal;
  const cal = fitCalibrator(method, pVal.value, Int32Array.from(yVal.filter((v) => v >= 0)), k);
  const calibratedModel: TrainedModel = { ...base, calibrator: cal };
  const evalRows = test.rows.length ? test.rows : validation.rows;
  const yTest = labels(evalRows);
  const keep = Uint32Array.from(evalRows.filter((_, i) => yTest[i]! >= 0));
  const yk = Int32Array.from(yTest.filter((v) => v >= 0));
  const before = await predictAnyRows(base, table, keep);
  const after = await predictAnyRows(calibratedModel, table, keep);
  if (!before.ok) return before;
  if (!after.ok) return after;
  const afterVal = await predictAnyRows(calibratedModel, table, keepVal);
  const newRun: RunRecord = {
    ...run,
    id: ids.runId,
    name: ids.runName ?? `${run.name} · calibrated (${method})`,
    createdAt: new Date().toISOString(),
    metrics: {
      train: run.metrics.train,
      validation: afterVal.ok
        ? splitMetrics(pre, afterVal.value, Int32Array.from(yVal.filter((v) => v >= 0)))
        : run.metrics.validation,
      test: test.rows.length ? splitMetrics(pre, after.value, yk) : undefined,
    },
    calibration: {
      method,
      parentRunId: run.id,
      before: snapshot(yk, before.value, k),
      after: snapshot(yk, after.value, k),
    },
    message: `Calibrated by ${method} on the validation split (${keepVal.length} rows); before/after measured on ${test.rows.length ? 'the test split' : 'validation (no test split)'}.`,
    fingerprint: { rows: run.fingerprint.rows, outputs: [] },
  };
  const fp = await predictAnyRows(calibratedModel, table, Uint32Array.from(run.fingerprint.rows));
  if (fp.ok) newRun.fingerprint.outputs = Array.from(fp.value);
  return ok({ run: newRun, model: calibratedModel });
}
