import type { TrainedModel } from '../contracts/model.ts';
import type { RunRecord, SampleRow, SliceScore, SplitMetrics } from '../contracts/run-record.ts';
import { calibrationSummary } from '../calibration/reliability.ts';
import type { Preprocessor } from '../data/preprocess.ts';
import { cell, columnByName, type Table } from '../data/table.ts';
import { argmaxRows } from '../metrics/argmax-rows.ts';
import { predictMatrix } from '../model/predict-table.ts';
import type { EncodedSet } from '../model/prepare.ts';
import { splitMetrics } from '../model/split-metrics.ts';
import { createRandom } from '../util/random.ts';
import type { Result } from '../util/result.ts';
import { ok } from '../util/result.ts';
import { predictAny } from './predict-any.ts';

/** How many validation rows the fingerprint keeps. */
export const FINGERPRINT_ROWS = 16;
/** How many validation rows the sample log keeps. */
export const SAMPLE_ROWS = 20;

/** A run's prepared splits: the table, the encoded sets and the preprocessor that encoded them. */
export interface RunSplits {
  table: Table;
  /**
   * The preprocessor the sets' features were encoded with. A model whose own preprocessor is this
   * object predicts the encoded matrices; any other model (an ensemble, a teacher trained elsewhere)
   * encodes the sets' table rows itself.
   */
  pre: Preprocessor;
  train: EncodedSet;
  validation: EncodedSet;
  test: EncodedSet;
  /** File name for messages about the table. */
  file?: string;
}

export interface ScoreOptions {
  /** Seed of the sample of validation rows (the run's seed). */
  seed: number;
  /** Metrics the caller already has and that are kept instead of computed (a stack's out-of-fold validation). */
  known?: Partial<Record<'train' | 'validation' | 'test', SplitMetrics>>;
  /** Another model (the parent, the teacher) predicted on the held-out split beside this one, for ECE before/after. */
  reference?: TrainedModel;
}

/** Everything a run record takes from scoring a model on its splits. */
export interface RunScores {
  metrics: RunRecord['metrics'];
  /** The model's outputs on the first `FINGERPRINT_ROWS` validation rows. */
  fingerprint: RunRecord['fingerprint'];
  samples: SampleRow[];
  slices: SliceScore[];
  /** The honest split (test, or validation when there is no test split): labels and outputs. */
  heldOut: {
    split: 'test' | 'validation';
    y: Int32Array | Float32Array;
    outputs: Float64Array;
    /** The reference model's outputs; undefined without a reference or when it could not predict. */
    reference?: Float64Array;
  };
  /** Expected calibration error of the reference (before) and the model (after) on the held-out split (classifiers). */
  ece?: { before: number; after: number };
}

/** Outputs of a model on one set: from the encoded matrix when the model reads that encoding, else from table rows. */
function outputsOn(model: TrainedModel, splits: RunSplits, set: EncodedSet): Promise<Result<Float64Array>> {
  if (model.kind !== 'ensemble' && model.preprocessor === splits.pre)
    return predictMatrix(model, set.X, set.y.length).then((out) => ok(out));
  return predictAny(model, splits.table, set.rows, splits.file);
}

/**
 * Scores a model on its run's splits, the one place every run is scored (training, ensembles, ONNX
 * import, calibration, compression, fine-tuning, distillation): metrics on train, validation and
 * test (test undefined when the split is empty), the fingerprint (outputs on the first validation
 * rows), a seeded sample of validation rows with their predictions, validation slice scores and the
 * outputs on the held-out split — with a reference model's beside them and ECE before/after.
 * Metrics use the model's own preprocessor (label classes, target scaling).
 * Cost: one prediction of each split (train, validation, test) plus the reference on the held-out split.
 * Errors: a model reading table rows finds a column missing.
 * @example const s = await scoreRun(splits, model, { seed: 42 }); if (s.ok) s.value.metrics.test
 */
export async function scoreRun(splits: RunSplits, model: TrainedModel, opts: ScoreOptions): Promise<Result<RunScores>> {
  const pre = model.preprocessor;
  const { train, validation, test } = splits;
  const known = opts.known ?? {};
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  const metricsOf = async (set: EncodedSet): Promise<Result<SplitMetrics>> => {
    const out = await outputsOn(model, splits, set);
    return out.ok ? ok(splitMetrics(pre, out.value, set.y)) : out;
  };
  const valOut = await outputsOn(model, splits, validation);
  if (!valOut.ok) return valOut;
  const trainMetrics = known.train ? ok(known.train) : await metricsOf(train);
  if (!trainMetrics.ok) return trainMetrics;
  const testOut = test.y.length > 0 ? await outputsOn(model, splits, test) : undefined;
  if (testOut && !testOut.ok) return testOut;
  const heldSet = testOut ? test : validation;
  const heldOutputs = testOut ? testOut.value : valOut.value;
  const reference = opts.reference ? await outputsOn(opts.reference, splits, heldSet) : undefined;
  const refOut = reference?.ok ? reference.value : undefined;
  const nFp = Math.min(FINGERPRINT_ROWS, validation.y.length);
  return ok({
    metrics: {
      train: trainMetrics.value,
      validation: known.validation ?? splitMetrics(pre, valOut.value, validation.y),
      test: testOut ? (known.test ?? splitMetrics(pre, testOut.value, test.y)) : undefined,
    },
    fingerprint: {
      rows: Array.from(validation.rows.subarray(0, nFp)),
      outputs: Array.from(valOut.value.subarray(0, nFp * k)),
    },
    samples: sampleRows(pre, splits.table, validation, valOut.value, opts.seed),
    slices: sliceScores(pre, splits.table, validation, valOut.value),
    heldOut: {
      split: testOut ? 'test' : 'validation',
      y: heldSet.y,
      outputs: heldOutputs,
      reference: refOut,
    },
    ece:
      refOut && pre.label.task === 'classification'
        ? {
            before: calibrationSummary(heldSet.y as Int32Array, refOut, k).ece,
            after: calibrationSummary(heldSet.y as Int32Array, heldOutputs, k).ece,
          }
        : undefined,
  });
}

function labelString(pre: Preprocessor, v: number): string {
  return pre.label.task === 'classification'
    ? (pre.label.classes[v] ?? '?')
    : String(Number((v * pre.label.std + pre.label.mean).toPrecision(6)));
}

/**
 * Validation metric per category of each categorical feature (≤ 12 categories, ≥ 5 rows), at most
 * 40 slices: accuracy for classifiers, RMSE in the label's units for regression.
 * Cost: O(features × categories × rows).
 * @example sliceScores(pre, table, validation, outputs) // [{ feature: 'sex', category: 'f', n: 40, ... }]
 */
export function sliceScores(pre: Preprocessor, table: Table, set: EncodedSet, outputs: Float64Array): SliceScore[] {
  const out: SliceScore[] = [];
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  const pred = k > 1 ? argmaxRows(outputs, k) : null;
  for (const f of pre.features) {
    if (f.kind !== 'onehot' || f.categories.length > 12) continue;
    const col = columnByName(table, f.column)!;
    for (const cat of f.categories) {
      const idx: number[] = [];
      set.rows.forEach((r, i) => cell(col, r) === cat && idx.push(i));
      if (idx.length < 5) continue;
      let value: number;
      if (pred) value = idx.filter((i) => pred[i] === set.y[i]).length / idx.length;
      else {
        const label = pre.label as { mean: number; std: number };
        value = Math.sqrt(
          idx.reduce((s, i) => s + (outputs[i]! - (set.y[i]! * label.std + label.mean)) ** 2, 0) / idx.length,
        );
      }
      out.push({ feature: f.column, category: cat, n: idx.length, metric: pred ? 'accuracy' : 'rmse', value });
      if (out.length >= 40) return out;
    }
  }
  return out;
}

/**
 * ⟨input, label, prediction⟩ for a seeded sample of `SAMPLE_ROWS` validation rows, in row order.
 * Cost: O(SAMPLE_ROWS × features).
 * @example sampleRows(pre, table, validation, outputs, 42)[0] // { row, input, label, prediction, confidence }
 */
export function sampleRows(
  pre: Preprocessor,
  table: Table,
  set: EncodedSet,
  outputs: Float64Array,
  seed: number,
): SampleRow[] {
  const rng = createRandom(seed ^ 0x5a3e);
  const n = set.y.length;
  const picks = new Set<number>();
  while (picks.size < Math.min(SAMPLE_ROWS, n)) picks.add(rng.int(n));
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  const pred = k > 1 ? argmaxRows(outputs, k) : null;
  const cols = pre.features.map((f) => columnByName(table, f.column)!);
  return [...picks]
    .sort((a, b) => a - b)
    .map((i) => {
      const row = set.rows[i]!;
      const input: Record<string, string | null> = {};
      for (const c of cols) input[c.name] = cell(c, row);
      return pred
        ? {
            row,
            input,
            label: labelString(pre, set.y[i]!),
            prediction: (pre.label as { classes: string[] }).classes[pred[i]!]!,
            confidence: outputs[i * k + pred[i]!]!,
          }
        : { row, input, label: labelString(pre, set.y[i]!), prediction: String(Number(outputs[i]!.toPrecision(6))) };
    });
}
