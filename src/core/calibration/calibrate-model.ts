import type { Table } from '../data/table.ts';
import { accuracy } from '../metrics/accuracy.ts';
import { argmaxRows } from '../metrics/argmax-rows.ts';
import { logLoss } from '../metrics/log-loss.ts';
import type { CalibrationSnapshot, RunRecord, TrainedModel } from '../model/spec.ts';
import { predictAny } from '../pipeline/predict-any.ts';
import { inModelClasses, prepareRunSplits } from '../pipeline/run-splits.ts';
import { scoreRun } from '../pipeline/score-run.ts';
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
      message:
        `Platt scaling is for two classes; this model has ${k}. Use temperature scaling, isotonic ` +
        `regression or histogram binning.`,
    });
  const rebuilt = prepareRunSplits(run, table);
  if (!rebuilt.ok) return rebuilt;
  const prepared = inModelClasses(pre, rebuilt.value);
  const { validation } = prepared;
  const base: TrainedModel = { ...model, calibrator: undefined };
  const pVal = await predictAny(base, table, validation.rows);
  if (!pVal.ok) return pVal;
  const cal = fitCalibrator(method, pVal.value, validation.y as Int32Array, k);
  const calibratedModel: TrainedModel = { ...base, calibrator: cal };
  // Training metrics stay the parent's: the calibrator was fitted on validation, not training, rows.
  const scores = await scoreRun({ table, ...prepared }, calibratedModel, {
    seed: run.config.seed,
    known: { train: run.metrics.train },
    reference: base,
  });
  if (!scores.ok) return scores;
  const { metrics, fingerprint, heldOut } = scores.value;
  if (!heldOut.reference) return fail({ kind: 'predict-failed', message: 'The uncalibrated model could not predict.' });
  const newRun: RunRecord = {
    ...run,
    id: ids.runId,
    name: ids.runName ?? `${run.name} · calibrated (${method})`,
    createdAt: new Date().toISOString(),
    metrics,
    calibration: {
      method,
      parentRunId: run.id,
      before: snapshot(heldOut.y as Int32Array, heldOut.reference, k),
      after: snapshot(heldOut.y as Int32Array, heldOut.outputs, k),
    },
    message:
      `Calibrated by ${method} on the validation split (${validation.rows.length} rows); before/after ` +
      `measured on ${heldOut.split === 'test' ? 'the test split' : 'validation (no test split)'}.`,
    fingerprint,
  };
  return ok({ run: newRun, model: calibratedModel });
}
