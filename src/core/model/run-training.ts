import type { Schema } from '../data/schema.ts';
import type { SplitSpec } from '../data/split.ts';
import { cell, columnByName, type Table } from '../data/table.ts';
import type { Preprocessor, Task } from '../data/preprocess.ts';
import { scoreBaselines, type UserBaseline } from '../baselines/baselines.ts';
import { argmaxRows } from '../metrics/argmax-rows.ts';
import { createRandom } from '../util/random.ts';
import type { Result } from '../util/result.ts';
import { assert, fail, ok } from '../util/result.ts';
import type { RunEnvironment, RunRecord, SampleRow, SliceScore, SplitMetrics } from '../contracts/run-record.ts';
import type { TrainedModel } from '../contracts/model.ts';
import type { TrainConfig } from '../contracts/train-config.ts';
import type { FitOutcome } from '../families/family.ts';
import { DEFAULT_MEMORY_BUDGET, validateConfig } from '../families/config.ts';
import { familyOf } from '../families/registry.ts';
import { networkSpec, fitNetwork } from '../families/network-family.ts';
import { withDefaults } from '../families/params.ts';
import type { NeuralKind } from './network-spec.ts';
import { predictMatrix } from './predict-table.ts';
import { prepareData, type EncodedSet } from './prepare.ts';
import { splitMetrics } from './split-metrics.ts';
import type { TrainCallbacks } from './train-model.ts';

export interface TrainRequest {
  runId: string;
  runName: string;
  table: Table;
  dataset: { id: string; name: string };
  schema: Schema;
  split: SplitSpec;
  task?: Task;
  config: TrainConfig;
  environment: RunEnvironment;
  /** Figures the person entered for an existing solution or a human. */
  userBaselines?: UserBaseline[];
  /** Bytes the device allows for training state. */
  memoryBudget?: number;
}

/** How many validation rows the fingerprint keeps. */
export const FINGERPRINT_ROWS = 16;
/** How many validation rows the sample log keeps. */
export const SAMPLE_ROWS = 20;

async function metricsOf(model: TrainedModel, set: EncodedSet): Promise<SplitMetrics> {
  return splitMetrics(model.preprocessor, await predictMatrix(model, set.X, set.y.length), set.y);
}

function labelString(pre: Preprocessor, v: number): string {
  return pre.label.task === 'classification'
    ? (pre.label.classes[v] ?? '?')
    : String(Number((v * pre.label.std + pre.label.mean).toPrecision(6)));
}

/** Validation metric per category of each categorical feature (≤ 12 categories, ≥ 5 rows), at most 40 slices. */
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

/** ⟨input, label, prediction⟩ for a seeded sample of validation rows. */
function sampleRows(
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

export type FittedModel = FitOutcome;

/**
 * Fits any model family on encoded train/validation sets through its registry entry: a network by
 * gradient descent, a classical model in TypeScript (per-round validation scores become the
 * history). Never sees a test set — hyperparameter search calls this directly. Networks also take
 * the derived-model recipes of `TrainCallbacks` (fine-tuning, distillation, QAT, pruning).
 */
export async function fitModel(
  pre: Preprocessor,
  task: Task,
  train: EncodedSet,
  validation: EncodedSet,
  config: TrainConfig,
  cb: TrainCallbacks = {},
): Promise<FitOutcome> {
  const family = familyOf(config.kind);
  assert(family, () => `fitModel: unknown family ${config.kind}`);
  const input = { pre, task, train, validation, seed: config.seed };
  if (family.engine === 'network')
    return fitNetwork(networkSpec(config.kind as NeuralKind, config.params, config.seed), input, cb);
  return family.fit(withDefaults(family, config.params), input, cb);
}

/**
 * The whole training slice, shared by the worker and the command line: check the configuration,
 * prepare the data, train (a network, or a classical model), evaluate the kept model and the
 * baselines on every split, serialize the model and write the run record.
 * Returns `{ok:false}` with a message for bad configuration (no label, one class, a model that
 * cannot do the task, a hyperparameter out of range, a network too large for the device).
 * A cancelled or failed (NaN) run still returns its model and partial history, with that status.
 */
export async function runTraining(
  req: TrainRequest,
  cb: TrainCallbacks = {},
): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
  const prepared = prepareData(req.table, req.schema, req.split, req.dataset.name, req.task);
  if (!prepared.ok) return prepared;
  const { pre, train, validation, test, task } = prepared.value;
  if (train.y.length === 0)
    return fail(
      { kind: 'empty-split', file: req.dataset.name, message: 'The training split is empty.' },
      prepared.warnings,
    );
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  const invalid = validateConfig(req.config, {
    task,
    inputSize: pre.inputSize,
    classes: k,
    rows: train.y.length,
    memoryBudget: req.memoryBudget ?? DEFAULT_MEMORY_BUDGET,
  });
  if (invalid) return fail(invalid, prepared.warnings);
  const createdAt = new Date().toISOString();
  const config = req.config;

  const fitted = await fitModel(pre, task, train, validation, config, cb);
  const { model, history, status, message, bestEpoch, samplesPerSecond, durationMs } = fitted;

  const nFp = Math.min(FINGERPRINT_ROWS, validation.y.length);
  const valOutputs = await predictMatrix(model, validation.X, validation.y.length);
  const run: RunRecord = {
    format: 'benchtop-run@2',
    id: req.runId,
    name: req.runName,
    status,
    message,
    bestEpoch,
    createdAt,
    durationMs,
    dataset: { ...req.dataset, rows: req.table.rowCount },
    label: pre.label.column,
    task,
    features: pre.features.map((f) => f.column),
    split: req.split,
    splitSizes: { train: train.y.length, validation: validation.y.length, test: test.y.length },
    config,
    history,
    metrics: {
      train: await metricsOf(model, train),
      validation: splitMetrics(pre, valOutputs, validation.y),
      test: test.y.length > 0 ? await metricsOf(model, test) : undefined,
    },
    baselines: scoreBaselines(pre, train, { validation, test }, config.seed, req.userBaselines),
    samples: sampleRows(pre, req.table, validation, valOutputs, config.seed),
    slices: sliceScores(pre, req.table, validation, valOutputs),
    samplesPerSecond,
    environment: req.environment,
    fingerprint: {
      rows: Array.from(validation.rows.subarray(0, nFp)),
      outputs: Array.from(valOutputs.subarray(0, nFp * k)),
    },
  };
  return ok({ run, model }, prepared.warnings);
}
