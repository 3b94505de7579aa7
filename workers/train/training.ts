import { upgradeConfig } from '../../src/core/store/upgrade.ts';
// Training: one model, the debug aids, search trials, ensembles, combining runs, and cancel.
import type { Schema } from '../../src/core/data/schema.ts';
import type { SplitSpec } from '../../src/core/data/split.ts';
import type { Task, Preprocessor } from '../../src/core/data/preprocess.ts';
import type { UserBaseline } from '../../src/core/baselines/baselines.ts';
import { combineRuns, runEnsembleTraining } from '../../src/core/ensemble/ensemble.ts';
import { runTraining } from '../../src/core/model/run-training.ts';
import {
  lrRangeTest,
  overfitOneBatch,
  type LrRangeReport,
  type OverfitReport,
} from '../../src/core/model/debug-aids.ts';
import { prepareData, type EncodedSet } from '../../src/core/model/prepare.ts';
import { isNetworkKind, validateConfig } from '../../src/core/families/index.ts';
import { networkSpec } from '../../src/core/families/index.ts';
import type { NetworkSpec, NeuralKind } from '../../src/core/model/network-spec.ts';
import { makeTrialRunner, prepareTuningData, type TuningData } from '../../src/core/tuning/trial-runner.ts';
import {
  type EpochRecord,
  type RunRecord,
  type TrainConfig,
  type TrainedModel,
  type TrainProgress,
} from '../../src/core/model/spec.ts';
import type { Result } from '../../src/core/util/result.ts';
import { fail, ok } from '../../src/core/util/result.ts';
import { overTable, runEnvironment, type TrainContext } from './context.ts';
import type { Table } from '../../src/core/data/table.ts';
import type { BackendStatus } from '../tf-runtime.ts';
import type { RunRef } from './run-cache.ts';

/** What the page asks the worker to train: the dataset by id, its schema and split, the configuration. */
export interface TrainJob {
  runId: string;
  runName: string;
  datasetId: string;
  schema: Schema;
  split: SplitSpec;
  task?: Task;
  config: TrainConfig;
  userBaselines?: UserBaseline[];
  memoryBudget?: number;
}

/** Training methods of the worker API over the shared context. */
export function trainingApi(ctx: TrainContext) {
  const cancelled = () => ctx.isCancelled();
  /** The core's training request of a job, over the table the data worker sent, on backend `st`. */
  const requestOf = (job: TrainJob, t: { table: Table; name: string }, st: BackendStatus) => ({
    runId: job.runId,
    runName: job.runName,
    table: t.table,
    dataset: { id: job.datasetId, name: t.name },
    schema: job.schema,
    split: job.split,
    config: upgradeConfig(job.config),
    environment: runEnvironment(ctx, st),
  });

  // The debug aids: the job's training split encoded, its configuration checked, a neural model only.
  function debugRun<T>(
    job: TrainJob,
    f: (pre: Preprocessor, train: EncodedSet, spec: NetworkSpec) => Promise<T>,
  ): Promise<Result<T>> {
    return ctx.exclusive(
      () =>
        overTable(ctx, job.datasetId, { kind: 'training-failed', prefix: 'The check failed' }, async (t) => {
          const prepared = prepareData(t.table, job.schema, job.split, t.name, job.task);
          if (!prepared.ok) return prepared;
          const config = upgradeConfig(job.config);
          const { pre, train, task } = prepared.value;
          const classes = pre.label.task === 'classification' ? pre.label.classes.length : 1;
          const invalid = validateConfig(config, {
            task,
            inputSize: pre.inputSize,
            classes,
            rows: train.y.length,
            memoryBudget: job.memoryBudget,
          });
          if (invalid) return fail(invalid);
          if (!isNetworkKind(config.kind))
            return fail({
              kind: 'bad-config',
              column: 'model',
              message: 'This check trains by gradient descent; choose a neural model (logistic, linear, MLP or CNN).',
            });
          return ok(await f(pre, train, networkSpec(config.kind as NeuralKind, config.params, config.seed)));
        }),
      true,
    );
  }

  let tuningCache: { key: string; data: TuningData } | null = null;

  return {
    /**
     * Trains a model. Progress comes at most every 100 ms, an epoch record after each epoch.
     * `cancel()` stops it within one batch; the partial run and model are still returned.
     */
    async train(
      job: TrainJob,
      onProgress?: (p: TrainProgress) => void,
      onEpoch?: (e: EpochRecord) => void,
    ): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
      return ctx.exclusive(
        () =>
          overTable(
            ctx,
            job.datasetId,
            (e) => ({
              kind: 'training-failed',
              message: `Training failed on ${ctx.backendName ?? 'the backend'}: ${e.message}`,
            }),
            (t, st) =>
              runTraining(
                {
                  ...requestOf(job, t, st),
                  task: job.task,
                  userBaselines: job.userBaselines,
                  memoryBudget: job.memoryBudget,
                },
                { onProgress, onEpoch, isCancelled: cancelled },
              ),
          ),
        true,
      );
    },

    /** "Overfit one batch": can this configuration memorize 32 training rows? */
    async overfitBatch(job: TrainJob): Promise<Result<OverfitReport>> {
      return debugRun(job, (pre, train, config) => overfitOneBatch(pre, train, config, 32, 150, cancelled));
    },

    /** Learning-rate range test on the training split. */
    async lrRange(job: TrainJob): Promise<Result<LrRangeReport>> {
      return debugRun(job, (pre, train, config) => lrRangeTest(pre, train, config, 1e-6, 1, 100, cancelled));
    },

    /**
     * Runs one hyperparameter-search trial on training + validation data only (the test split is
     * dropped before the data reaches the trial). Encoded data is cached per dataset/schema/split.
     */
    async trial(
      job: TrainJob,
      config: TrainConfig,
      trialId: number,
      report: (step: number, score: number) => boolean | Promise<boolean>,
      workerId = 0,
    ) {
      await ctx.ensureBackend();
      const key = JSON.stringify([job.datasetId, job.schema, job.split]);
      if (tuningCache?.key !== key) {
        const failed = (message: string) => ({
          score: Infinity,
          metric: NaN,
          steps: 0,
          pruned: false,
          message,
          worker: workerId,
        });
        const t = await ctx.table(job.datasetId);
        if (!t.ok) return failed(t.error.message);
        const data = prepareTuningData(t.value.table, job.schema, job.split, t.value.name);
        if (!data.ok) return failed(data.error.message);
        tuningCache = { key, data: data.value };
      }
      const r = await makeTrialRunner(tuningCache.data, job.memoryBudget)(upgradeConfig(config), trialId, report);
      return { ...r, worker: workerId };
    },

    /** Trains a bagged or boosted ensemble of the job's configuration. */
    async trainEnsemble(
      job: TrainJob,
      method: 'bag' | 'adaboost',
      members: number,
      onMember?: (done: number, total: number) => void,
    ): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
      return ctx.exclusive(() =>
        overTable(ctx, job.datasetId, { kind: 'training-failed', prefix: 'Training the ensemble failed' }, (t, st) =>
          runEnsembleTraining({ ...requestOf(job, t, st), method, members, onMember }),
        ),
      );
    },

    /**
     * Combines saved runs into a voting or stacking ensemble: runs named by id are read through the run
     * source (`not-found` names the first one missing), or given with their models.
     */
    async combine(
      refs: RunRef[],
      method: 'vote-hard' | 'vote-soft' | 'stack',
      runId: string,
      runName: string,
    ): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
      if (refs.length === 0) return fail({ kind: 'bad-config', message: 'Choose runs to combine.' });
      const items: { run: RunRecord; model: TrainedModel }[] = [];
      for (const ref of refs) {
        const r = await ctx.runs.resolve(ref);
        if (!r.ok) return r;
        items.push(r.value);
      }
      return overTable(
        ctx,
        items[0]!.run.dataset.id,
        { kind: 'training-failed', prefix: 'Combining failed' },
        (t, st) => combineRuns(items, method, t.table, { runId, runName, environment: runEnvironment(ctx, st) }),
      );
    },

    /** Asks a running `train` to stop after its current batch. */
    async cancel(): Promise<void> {
      ctx.requestCancel();
    },
  };
}
