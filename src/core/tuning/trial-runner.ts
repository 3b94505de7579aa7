import type { Schema } from '../data/schema.ts';
import type { SplitSpec } from '../data/split.ts';
import type { Table } from '../data/table.ts';
import type { Preprocessor, Task } from '../data/preprocess.ts';
import { prepareData, type EncodedSet } from '../model/prepare.ts';
import { fitModel } from '../model/run-training.ts';
import type { SplitMetrics } from '../model/spec.ts';
import { validateConfig } from '../families/index.ts';
import type { Result } from '../util/result.ts';
import { assert, fail, ok } from '../util/result.ts';
import type { TrialRunner } from './tune.ts';

/** What a tuning run may see: training and validation sets. The test set is not in this type. */
export interface TuningData {
  pre: Preprocessor;
  task: Task;
  train: EncodedSet;
  validation: EncodedSet;
}

/**
 * Prepares data for tuning and drops the test split before anything else sees it. The split is the
 * same seeded split a training run uses, so the test rows stay untouched for the final evaluation.
 * @throws (assert) if a training or validation row were also a test row — a bug, not bad input.
 */
export function prepareTuningData(table: Table, schema: Schema, split: SplitSpec, file?: string): Result<TuningData> {
  const prepared = prepareData(table, schema, split, file);
  if (!prepared.ok) return prepared;
  const { pre, task, train, validation, test } = prepared.value;
  const testRows = new Set(test.rows);
  assert(
    !train.rows.some((r) => testRows.has(r)) && !validation.rows.some((r) => testRows.has(r)),
    () => 'tuning data overlaps the test split',
  );
  return ok({ pre, task, train, validation }, prepared.warnings);
}

/** Lower-is-better score of validation metrics: error rate (1 − accuracy) or RMSE. */
export function tuningScore(m: SplitMetrics, task: Task): number {
  return task === 'classification' ? 1 - (m.accuracy ?? NaN) : (m.rmse ?? NaN);
}

/** A trial runner over tuning data: fits a configuration, reporting validation scores per epoch/round for pruning. */
export function makeTrialRunner(data: TuningData, memoryBudget?: number): TrialRunner {
  const { pre, task, train, validation } = data;
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  return async (config, _trial, report) => {
    const invalid = validateConfig(config, {
      task,
      inputSize: pre.inputSize,
      classes: k,
      rows: train.y.length,
      memoryBudget,
    });
    if (invalid) return { score: Infinity, metric: NaN, steps: 0, pruned: false, message: invalid.message };
    let pruned = false;
    let steps = 0;
    const fitted = await fitModel(pre, task, train, validation, config, {
      onEpoch: (e) => {
        steps = e.epoch;
        if (pruned) return;
        // The report may cross threads (a Promise); pruning then lands a batch or two later.
        const r = report(e.epoch, tuningScore(e.validation, task));
        if (r instanceof Promise) void r.then((v) => v && (pruned = true));
        else if (r) pruned = true;
      },
      isCancelled: () => pruned,
      trainEvalRows: 2000,
    });
    const last = fitted.history.at(-1)?.validation ?? { loss: NaN };
    const metric = task === 'classification' ? (last.accuracy ?? NaN) : (last.rmse ?? NaN);
    return {
      score: tuningScore(last, task),
      metric,
      steps,
      pruned,
      message: fitted.status === 'failed' ? fitted.message : undefined,
    };
  };
}

export function tuningFailure(message: string) {
  return fail<never>({ kind: 'bad-space', message });
}
