// The training worker's API: one shared context (tables, runs by id, backend, busy guard, cancel flag, ORT
// configuration) and one module per feature under workers/train/, spread into a plain object.
import { createLessonsApi } from './lessons.api.ts';
import { createMonitorApi } from './monitor.api.ts';
import { batchApi } from './train/batch.ts';
import { createTrainContext, type TrainApiOptions } from './train/context.ts';
import { deriveApi } from './train/derive.ts';
import { evaluateApi } from './train/evaluate.ts';
import { latencyApi } from './train/latency.ts';
import { modelsApi } from './train/models.ts';
import { rehearseApi } from './train/rehearse.ts';
import { servingApi } from './train/serving.ts';
import { sessionApi } from './train/session.ts';
import { trainingApi } from './train/training.ts';

export type { TrainJob } from './train/training.ts';
export type { FingerprintCheck } from './train/models.ts';
export type { TableSource, TrainApiOptions } from './train/context.ts';
export type { RunRef, RunSource } from './train/run-cache.ts';
export type { SideRef } from './train/rehearse.ts';
export type { ProbeResult } from '../src/core/serving/probe-endpoint.ts';
export type { LatencyRow } from '../src/core/runtime/measure-latency.ts';

/**
 * The training worker's API over the core: backend choice, training with progress and cancel,
 * prediction with a saved model, and model bundles in and out. Every call returns a Result; nothing
 * throws across the boundary except bugs.
 * @param opts.tables where tables come from (the data worker, over a MessagePort; a Map in tests).
 * @param opts.runs where runs and models are read by id (the page's repository behind a comlink proxy,
 *   connected later with `setRunSource`; an in-memory source in tests). Methods that read a run take
 *   its id (cached, dropped with `forget`) or the run with its model.
 */
export function createTrainApi(opts: TrainApiOptions) {
  const ctx = createTrainContext(opts);
  return {
    ...createMonitorApi({ table: ctx.table, resolve: ctx.runs.resolve, ensureBackend: ctx.ensureBackend }),
    ...createLessonsApi({ table: ctx.table, spawnShard: opts.spawnShard }),
    ...sessionApi(ctx),
    ...trainingApi(ctx),
    ...modelsApi(ctx),
    ...evaluateApi(ctx),
    ...deriveApi(ctx),
    ...latencyApi(ctx),
    ...servingApi(ctx),
    ...rehearseApi(ctx),
    ...batchApi(ctx),
  };
}

export type TrainApi = ReturnType<typeof createTrainApi>;
