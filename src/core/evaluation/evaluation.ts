import type { Preprocessor } from '../data/preprocess.ts';
import { encodeLabels } from '../data/preprocess.ts';
import { cell, columnByName, type Table } from '../data/table.ts';
import { predictAny } from '../pipeline/predict-any.ts';
import { accuracy } from '../metrics/accuracy.ts';
import { argmaxRows } from '../metrics/argmax-rows.ts';
import { bootstrapInterval } from '../metrics/bootstrap.ts';
import { classificationReport } from '../metrics/classification-report.ts';
import { confusionMatrix } from '../metrics/confusion-matrix.ts';
import { logLoss } from '../metrics/log-loss.ts';
import { brierBinary, brierMulti, mape } from '../metrics/probability-scores.ts';
import { prCurve, rocAucOvr, rocCurve } from '../metrics/ranking-curves.ts';
import { regressionErrors } from '../metrics/regression-errors.ts';
import { calibrationSummary } from '../calibration/reliability.ts';
import type { TrainedModel } from '../model/spec.ts';
import type { Problem, Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { checkColumns } from './check-columns.ts';
import { findSlices, scoreSlices, type SliceDefinition } from './slices.ts';
import type { ClassificationEvaluation, RegressionEvaluation, Evaluation } from '../contracts/evaluation.ts';
export type { ClassificationEvaluation, RegressionEvaluation, Evaluation } from '../contracts/evaluation.ts';

/** Thins parallel arrays to at most 200 points (keeping the last), for plotting. */
function thin(xs: number[], ...rest: number[][]): number[][] {
  const step = Math.max(1, Math.ceil(xs.length / 200));
  const keep = (a: number[]) => a.filter((_, i) => i % step === 0 || i === a.length - 1);
  return [keep(xs), ...rest.map(keep)];
}

function inputOf(pre: Preprocessor, table: Table, row: number): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const f of pre.features) out[f.column] = cell(columnByName(table, f.column)!, row);
  return out;
}

/**
 * Evaluates a model on rows of a table: every metric of the task (checked against scikit-learn),
 * bootstrap 95% intervals for the headline ones, calibration, accuracy against coverage, the
 * misclassified rows, the person's slices and the slices the finder flags. Rows whose label is
 * missing or a class training never saw are left out, with a note; so are bad columns (an error
 * naming the missing ones, notes for extra and mistyped ones).
 */
export async function evaluateModel(
  model: TrainedModel,
  table: Table,
  rows: Uint32Array,
  file: string,
  opts: { seed?: number; slices?: SliceDefinition[]; findSlices?: boolean; resamples?: number } = {},
): Promise<Result<Evaluation>> {
  const pre = model.preprocessor;
  const checked = checkColumns(pre, table, file);
  if (!checked.ok) return checked;
  const notes: Problem[] = [...checked.warnings];
  const y0 = encodeLabels(pre, table, rows, file);
  if (!y0.ok) return y0;
  const keep: number[] = [];
  y0.value.forEach((v, i) => (pre.label.task === 'classification' ? v >= 0 : Number.isFinite(v)) && keep.push(i));
  if (keep.length < rows.length)
    notes.push({
      kind: 'unusable-labels',
      file,
      column: pre.label.column,
      message:
        `${rows.length - keep.length} row(s) have no "${pre.label.column}" ` +
        `value${pre.label.task === 'classification' ? ' or a class training never saw' : ''}; they are left out.`,
    });
  if (keep.length === 0)
    return fail(
      {
        kind: 'no-rows',
        file,
        message: `No row of ${file} has a usable "${pre.label.column}" value to evaluate against.`,
      },
      notes,
    );
  const evalRows = Uint32Array.from(keep, (i) => rows[i]!);
  const y =
    pre.label.task === 'classification'
      ? Int32Array.from(keep, (i) => y0.value[i]!)
      : Float64Array.from(
          keep,
          (i) => y0.value[i]! * (pre.label as { std: number }).std + (pre.label as { mean: number }).mean,
        );
  const out = await predictAny(model, table, evalRows, file);
  if (!out.ok) return out;
  const n = evalRows.length;
  const seed = opts.seed ?? 1;
  const B = opts.resamples ?? 500;
  let metrics: ClassificationEvaluation | RegressionEvaluation;
  let loss: Float64Array;
  if (pre.label.task === 'classification') {
    const classes = pre.label.classes,
      k = classes.length;
    const probs = out.value;
    const pred = argmaxRows(probs, k);
    const yc = y as Int32Array;
    if (new Set(pred).size === 1)
      notes.push({
        kind: 'constant-predictions',
        file,
        message:
          `The model predicts "${classes[pred[0]!]}" for every row; precision of the other classes is ` +
          `reported as 0 and AUC measures the ranking only.`,
      });
    if (new Set(yc).size === 1)
      notes.push({
        kind: 'single-class',
        file,
        column: pre.label.column,
        message:
          `Every evaluated row is "${classes[yc[0]!]}": AUC and class-wise recall of other classes ` +
          `are undefined (shown as —).`,
      });
    const report = classificationReport(yc, pred, k);
    const auc = rocAucOvr(yc, probs, k);
    const curveClasses = k === 2 ? [1] : Array.from({ length: k }, (_, c) => c);
    const scoresOf = (c: number) => Float64Array.from({ length: n }, (_, i) => probs[i * k + c]!);
    const roc = curveClasses.map((c) => {
      const r = rocCurve(
        scoresOf(c),
        Array.from(yc, (v) => v === c),
      );
      const [fpr, tpr, thr] = thin(r.fpr, r.tpr, r.thresholds);
      return { fpr: fpr!, tpr: tpr!, thresholds: thr!, auc: r.auc, label: classes[c]! };
    });
    const pr = curveClasses.map((c) => {
      const r = prCurve(
        scoresOf(c),
        Array.from(yc, (v) => v === c),
      );
      const [p, rc] = thin(r.precision, r.recall);
      return { precision: p!, recall: rc!, thresholds: [], averagePrecision: r.averagePrecision, label: classes[c]! };
    });
    const sub = (idx: Uint32Array) => ({
      y: Int32Array.from(idx, (i) => yc[i]!),
      p: Int32Array.from(idx, (i) => pred[i]!),
      probs: (() => {
        const o = new Float64Array(idx.length * k);
        idx.forEach((i, j) => o.set(probs.subarray(i * k, (i + 1) * k), j * k));
        return o;
      })(),
    });
    const intervals = {
      accuracy: bootstrapInterval(
        n,
        (idx) => {
          const s = sub(idx);
          return accuracy(s.y, s.p);
        },
        { resamples: B, seed },
      ),
      balancedAccuracy: bootstrapInterval(
        n,
        (idx) => {
          const s = sub(idx);
          return classificationReport(s.y, s.p, k).balancedAccuracy;
        },
        { resamples: B, seed },
      ),
      macroF1: bootstrapInterval(
        n,
        (idx) => {
          const s = sub(idx);
          return classificationReport(s.y, s.p, k).macro.f1;
        },
        { resamples: B, seed },
      ),
      auc: bootstrapInterval(
        n,
        (idx) => {
          const s = sub(idx);
          return rocAucOvr(s.y, s.probs, k).macro;
        },
        { resamples: Math.min(B, 200), seed },
      ),
      logLoss: bootstrapInterval(
        n,
        (idx) => {
          const s = sub(idx);
          return logLoss(s.y, s.probs, k);
        },
        { resamples: B, seed },
      ),
    };
    const conf = Float64Array.from({ length: n }, (_, i) => probs[i * k + pred[i]!]!);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => conf[b]! - conf[a]!);
    const coverage: ClassificationEvaluation['coverage'] = [];
    for (const t of [0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]) {
      const kept = order.filter((i) => conf[i]! >= t);
      coverage.push({
        threshold: t,
        coverage: kept.length / n,
        accuracy: kept.length ? kept.filter((i) => pred[i] === yc[i]).length / kept.length : NaN,
      });
    }
    const errors = order
      .filter((i) => pred[i] !== yc[i])
      .slice(0, 200)
      .map((i) => ({
        row: evalRows[i]!,
        label: classes[yc[i]!]!,
        prediction: classes[pred[i]!]!,
        confidence: conf[i]!,
        input: inputOf(pre, table, evalRows[i]!),
      }));
    metrics = {
      task: 'classification',
      classes,
      n,
      report,
      confusion: Array.from(confusionMatrix(yc, pred, k)),
      confusionNormalized: Array.from(confusionMatrix(yc, pred, k, 'true')),
      logLoss: logLoss(yc, probs, k),
      // Binary: scikit-learn's brier_score_loss (positive class); more classes: the sum over classes.
      brier:
        k === 2
          ? brierBinary(
              yc,
              Float64Array.from({ length: n }, (_, i) => probs[i * 2 + 1]!),
            )
          : brierMulti(yc, probs, k),
      auc,
      roc,
      pr,
      calibration: calibrationSummary(yc, probs, k),
      intervals,
      coverage,
      errors,
    };
    loss = Float64Array.from({ length: n }, (_, i) => (pred[i] === yc[i] ? 0 : 1));
  } else {
    const yp = out.value;
    const e = regressionErrors(y, yp);
    const sub = (idx: Uint32Array) =>
      [Float64Array.from(idx, (i) => y[i]!), Float64Array.from(idx, (i) => yp[i]!)] as const;
    const step = Math.max(1, Math.ceil(n / 2000));
    const idx = Array.from({ length: n }, (_, i) => i);
    const errorsOrder = idx.slice().sort((a, b) => Math.abs(yp[b]! - y[b]!) - Math.abs(yp[a]! - y[a]!));
    metrics = {
      task: 'regression',
      n,
      ...e,
      mape: mape(y, yp),
      intervals: {
        mae: bootstrapInterval(n, (ix) => regressionErrors(...sub(ix)).mae, { resamples: B, seed }),
        rmse: bootstrapInterval(n, (ix) => regressionErrors(...sub(ix)).rmse, { resamples: B, seed }),
        r2: bootstrapInterval(n, (ix) => regressionErrors(...sub(ix)).r2, { resamples: B, seed }),
      },
      residuals: {
        predicted: idx.filter((i) => i % step === 0).map((i) => yp[i]!),
        residual: idx.filter((i) => i % step === 0).map((i) => y[i]! - yp[i]!),
      },
      errors: errorsOrder.slice(0, 200).map((i) => ({
        row: evalRows[i]!,
        label: String(y[i]),
        prediction: String(Number(yp[i]!.toPrecision(6))),
        residual: y[i]! - yp[i]!,
        input: inputOf(pre, table, evalRows[i]!),
      })),
    };
    loss = Float64Array.from({ length: n }, (_, i) => (y[i]! - yp[i]!) ** 2);
  }
  const metricName = pre.label.task === 'classification' ? 'accuracy' : 'rmse';
  const slices = opts.slices?.length ? scoreSlices(opts.slices, table, evalRows, loss, metricName, seed) : [];
  const foundSlices = opts.findSlices === false ? [] : findSlices(pre, table, evalRows, loss, metricName, seed);
  return ok({ dataset: file, rows: n, metrics, slices, foundSlices, notes }, notes);
}
