import type { Schema } from '../data/schema.ts';
import type { SplitSpec } from '../data/split.ts';
import type { Table } from '../data/table.ts';
import type { Preprocessor, Task } from '../data/preprocess.ts';
import { scoreBaselines, type UserBaseline } from '../baselines/baselines.ts';
import { booleanWords } from '../baselines/boolean-words.ts';
import type { Result } from '../util/result.ts';
import { assert, fail, ok } from '../util/result.ts';
import type { RunEnvironment, RunRecord } from '../contracts/run-record.ts';
import type { TrainedModel } from '../contracts/model.ts';
import type { TrainConfig } from '../contracts/train-config.ts';
import type { FitOutcome } from '../families/index.ts';
import { DEFAULT_MEMORY_BUDGET, validateConfig } from '../families/index.ts';
import { familyOf } from '../families/index.ts';
import { withDefaults } from '../families/index.ts';
import { prepareData, type EncodedSet } from './prepare.ts';
import { scoreRun } from '../pipeline/score-run.ts';
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

  const scores = await scoreRun({ table: req.table, pre, train, validation, test }, model, { seed: config.seed });
  if (!scores.ok) return fail(scores.error, prepared.warnings);
  const { metrics, samples, slices, fingerprint } = scores.value;
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
    metrics,
    baselines: scoreBaselines(
      pre,
      train,
      { validation, test },
      config.seed,
      req.userBaselines,
      booleanWords(req.table, pre),
    ),
    samples,
    slices,
    samplesPerSecond,
    environment: req.environment,
    fingerprint,
  };
  return ok({ run, model }, prepared.warnings);
}

/** Kept for `workers/train/serving.ts`, which imports it from here; new code imports `pipeline/score-run.ts`. */
export { sliceScores } from '../pipeline/score-run.ts';
