import type { Schema } from '../data/schema.ts';
import type { SplitSpec } from '../data/split.ts';
import type { Table } from '../data/table.ts';
import type { Task } from '../data/preprocess.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { disposeModel, modelToArtifacts } from './artifacts.ts';
import { predictOutputs } from './predict.ts';
import { prepareData } from './prepare.ts';
import type { RunEnvironment, RunRecord, TrainConfig, TrainedModel } from './spec.ts';
import { evaluateSet, trainModel, type TrainCallbacks } from './train-model.ts';

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
}

/** How many validation rows the fingerprint keeps. */
export const FINGERPRINT_ROWS = 16;

/**
 * The whole training slice, shared by the worker and the command line: prepare the data, train,
 * evaluate the final weights on every split, serialize the model and write the run record.
 * Returns `{ok:false}` with a message for bad configuration (no label, one class, …).
 * A cancelled run still returns its model and partial history, with status `cancelled`.
 */
export async function runTraining(req: TrainRequest, cb: TrainCallbacks = {}): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
  const prepared = prepareData(req.table, req.schema, req.split, req.dataset.name, req.task);
  if (!prepared.ok) return prepared;
  const { pre, train, validation, test, task } = prepared.value;
  if (train.y.length === 0) return fail({ kind: 'empty-split', file: req.dataset.name, message: 'The training split is empty.' }, prepared.warnings);
  const createdAt = new Date().toISOString();
  const outcome = await trainModel(pre, train, validation, req.config, cb);
  try {
    const nFp = Math.min(FINGERPRINT_ROWS, validation.y.length);
    const fpOutputs = await predictOutputs(outcome.model, pre, validation.X.subarray(0, nFp * pre.inputSize), nFp);
    const run: RunRecord = {
      format: 'benchtop-run@1',
      id: req.runId,
      name: req.runName,
      status: outcome.status,
      createdAt,
      durationMs: outcome.durationMs,
      dataset: { ...req.dataset, rows: req.table.rowCount },
      label: pre.label.column,
      task,
      features: pre.features.map((f) => f.column),
      split: req.split,
      splitSizes: { train: train.y.length, validation: validation.y.length, test: test.y.length },
      config: req.config,
      history: outcome.history,
      metrics: {
        train: await evaluateSet(outcome.model, pre, train),
        validation: await evaluateSet(outcome.model, pre, validation),
        test: test.y.length > 0 ? await evaluateSet(outcome.model, pre, test) : undefined,
      },
      samplesPerSecond: outcome.samplesPerSecond,
      environment: req.environment,
      fingerprint: { rows: Array.from(validation.rows.subarray(0, nFp)), outputs: Array.from(fpOutputs) },
    };
    const artifacts = await modelToArtifacts(outcome.model);
    return ok({ run, model: { artifacts, preprocessor: pre } }, prepared.warnings);
  } finally {
    disposeModel(outcome.model);
  }
}
