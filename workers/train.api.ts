import type { Schema } from '../src/core/data/schema.ts';
import type { SplitSpec } from '../src/core/data/split.ts';
import type { Table } from '../src/core/data/table.ts';
import type { Task } from '../src/core/data/preprocess.ts';
import type { UserBaseline } from '../src/core/baselines/baselines.ts';
import { unzipBundle, zipBundle, filesToBundle, type ModelBundle } from '../src/core/model/model-bundle.ts';
import { maxAbsDifference } from '../src/core/model/predict-table.ts';
import { combineRuns, predictAnyRows, runEnsembleTraining } from '../src/core/ensemble/ensemble.ts';
import { runTraining } from '../src/core/model/run-training.ts';
import { lrRangeTest, overfitOneBatch, type LrRangeReport, type OverfitReport } from '../src/core/model/debug-aids.ts';
import { prepareData, type EncodedSet } from '../src/core/model/prepare.ts';
import { validateConfig } from '../src/core/model/validate-config.ts';
import { makeTrialRunner, prepareTuningData, type TuningData } from '../src/core/tuning/trial-runner.ts';
import { encodeLabels, type Preprocessor } from '../src/core/data/preprocess.ts';
import { evaluateModel } from '../src/core/evaluation/evaluation.ts';
import { runBehaviourTest, type BehaviourTest } from '../src/core/evaluation/behaviour.ts';
import { runSplitRows, type EvaluationReport } from '../src/core/evaluation/report.ts';
import type { SliceDefinition } from '../src/core/evaluation/slices.ts';
import { calibrateRun } from '../src/core/calibration/calibrate-model.ts';
import type { CalibrationMethod } from '../src/core/calibration/calibrators.ts';
import {
  completeConfig,
  NEURAL_KINDS,
  type BackendName,
  type EpochRecord,
  type RunRecord,
  type TrainConfig,
  type TrainedModel,
  type TrainProgress,
} from '../src/core/model/spec.ts';
import type { Result } from '../src/core/util/result.ts';
import { fail, ok } from '../src/core/util/result.ts';
import { activateBackend, liveTensors, type BackendStatus } from './tf-runtime.ts';
import { configureOrt, ortWebgpuAvailable, runOnnx } from './ort-runtime.ts';
import { packBundle, readBundle } from '../src/core/store/bundle.ts';
import { compressRun } from '../src/core/compression/compress-run.ts';
import { distillRun } from '../src/core/compression/distill.ts';
import { fineTuneRun, type FineTuneSpec } from '../src/core/compression/fine-tune.ts';
import { importOnnxModel } from '../src/core/onnx/import-onnx.ts';
import { explainOrtError, type OnnxInfo } from '../src/core/onnx/inspect.ts';
import type { CompressionSpec } from '../src/core/compression/compress.ts';
import { artifactsToModel, disposeModel } from '../src/core/model/artifacts.ts';
import { predictOutputs } from '../src/core/model/predict.ts';
import type { ImportPayload } from '../src/core/store/store.ts';
import { modelToOnnx } from '../src/core/onnx/export-dense.ts';
import { rawToOutputs } from '../src/core/model/predict.ts';
import { transformFeatures } from '../src/core/data/preprocess.ts';
import { DEFAULT_HTTP, ServingError, type HttpOptions } from '../src/core/serving/http.ts';
import {
  health,
  kserveMetadata,
  kserveRequest,
  planInputs,
  tfServingRequest,
  tfServingStatus,
  type Endpoint,
  type ModelMetadata,
} from '../src/core/serving/protocols.ts';
import { predictRemote } from '../src/core/serving/remote-predict.ts';
import { compareLocalRemote, type Comparison } from '../src/core/serving/compare.ts';
import { sliceScores } from '../src/core/model/run-training.ts';
import {
  loadPredictor,
  predictMatrix as predictRowsMatrix,
  type LoadedPredictor,
} from '../src/core/model/predict-table.ts';
import type { RehearsalConfig, RehearsalKind, RehearsalResult } from '../src/core/rollout/rehearsal.ts';
import { prepareRehearsal, runRehearsal, type SideSpec } from '../src/core/rollout/responders.ts';
import { createMonitorApi } from './monitor.api.ts';
import { createLessonsApi, type ShardSpawner } from './lessons.api.ts';

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

/** What a check of an endpoint found, and the request one row would send. */
export interface ProbeResult {
  live: boolean;
  ready: boolean;
  modelReady: boolean;
  metadata?: ModelMetadata;
  versions?: { version: string; state: string }[];
  preview: string;
  /** The dataset row the preview encodes (-1: zeros, the dataset was not available). */
  previewRow: number;
  /** The model's encoded features, and (KServe V2) which of them go to each server input. */
  features: string[];
  mapping?: { input: string; datatype: string; features: string[] }[];
  /** Why no request can be built (an unmapped input, a width or datatype mismatch). */
  planError?: string;
}

export interface LatencyRow {
  runtime: string;
  p50: number;
  p95: number;
  throughput: number;
  note?: string;
  /** ORT WebGPU: the largest difference of its outputs from ORT WASM's on the same 256 rows. */
  maxDiff?: number;
}

export interface FingerprintCheck {
  rows: number;
  maxAbsDiff: number;
  outputs: number[];
  /** The same rows through the model exported to ONNX and run by onnxruntime-web in this worker. */
  onnx: { maxAbsDiff: number; threads: number } | { error: string };
}

type TableSource = (id: string) => Promise<Result<{ table: Table; name: string }>>;

/** Exports the model to ONNX, runs the fingerprint rows through onnxruntime-web and compares. */
async function onnxCheck(
  model: TrainedModel,
  table: Table,
  rows: Uint32Array,
  run: RunRecord,
): Promise<FingerprintCheck['onnx']> {
  const pre = model.preprocessor;
  if (model.kind !== 'network')
    return { error: 'ONNX export covers neural models; classical models are checked in tfjs-free TypeScript only.' };
  const bytes = modelToOnnx(model, 'check');
  if (!bytes.ok) return { error: bytes.error.message };
  const X = transformFeatures(pre, table, rows);
  if (!X.ok) return { error: X.error.message };
  try {
    const res = await runOnnx(bytes.value, X.value, rows.length, pre.inputSize);
    return {
      maxAbsDiff: maxAbsDifference(rawToOutputs(pre, res.outputs, rows.length), run.fingerprint.outputs),
      threads: res.threads,
    };
  } catch (e) {
    return { error: `onnxruntime-web could not run the exported model: ${(e as Error).message}` };
  }
}

/**
 * The training worker's API over the core: backend choice, training with progress and cancel,
 * prediction with a saved model, and model bundles in and out. Every call returns a Result; nothing
 * throws across the boundary except bugs.
 * @param tables where tables come from (the data worker, over a MessagePort; a Map in tests).
 */
export function createTrainApi(opts: {
  spawnShard?: ShardSpawner;
  tables?: TableSource;
  wasmPaths?: Readonly<Record<string, string>>;
  ortPaths?: Readonly<{ wasm: string; mjs: string }>;
  ortWebgpuPaths?: Readonly<{ wasm: string; mjs: string }>;
  runtime: string;
  appVersion: string;
}) {
  configureOrt(opts.ortPaths, opts.ortWebgpuPaths);
  let tables = opts.tables;
  let status: BackendStatus | null = null;
  let cancelRequested = false;
  let remoteAbort: AbortController | null = null;
  let rehearsalAbort: AbortController | null = null;
  // The model held for on-demand ("online") predictions: loaded once, like a serving process.
  let serving: { runId: string; datasetId: string; predictor: LoadedPredictor; pre: Preprocessor } | null = null;
  let busy = false;
  let tuningCache: { key: string; data: TuningData } | null = null;

  async function ensureBackend(): Promise<BackendStatus> {
    return (status ??= await activateBackend('auto', opts.wasmPaths));
  }

  async function table(id: string) {
    if (!tables)
      return fail<{ table: Table; name: string }>({
        kind: 'no-data-source',
        message: 'The training worker is not connected to the data worker.',
      });
    return tables(id);
  }

  async function debugRun<T>(
    job: TrainJob,
    f: (pre: Preprocessor, train: EncodedSet, config: TrainConfig) => Promise<T>,
  ): Promise<Result<T>> {
    if (busy) return fail({ kind: 'busy', message: 'A model is already training; cancel it or wait.' });
    busy = true;
    cancelRequested = false;
    try {
      await ensureBackend();
      const t = await table(job.datasetId);
      if (!t.ok) return t;
      const prepared = prepareData(t.value.table, job.schema, job.split, t.value.name, job.task);
      if (!prepared.ok) return prepared;
      const config = completeConfig(job.config);
      const { pre, train, task } = prepared.value;
      const invalid = validateConfig(
        config,
        task,
        pre.inputSize,
        pre.label.task === 'classification' ? pre.label.classes.length : 1,
        train.y.length,
        job.memoryBudget,
      );
      if (invalid) return fail(invalid);
      if (!(NEURAL_KINDS as readonly string[]).includes(config.model.kind))
        return fail({
          kind: 'bad-config',
          column: 'model',
          message: 'This check trains by gradient descent; choose a neural model (logistic, linear, MLP or CNN).',
        });
      return ok(await f(pre, train, config));
    } catch (e) {
      return fail({ kind: 'training-failed', message: `The check failed: ${(e as Error).message}` });
    } finally {
      busy = false;
    }
  }

  const monitor = createMonitorApi({ table, ensureBackend });
  const lessons = createLessonsApi({ table, spawnShard: opts.spawnShard });
  return {
    ...monitor,
    ...lessons,
    /** Connects the table source (the data worker's API over a port). */
    setTableSource(source: TableSource) {
      tables = source;
    },

    /** Chooses and starts a backend (`auto` picks the best available) and says which and why. */
    async setBackend(requested: BackendName | 'auto'): Promise<BackendStatus> {
      if (busy) return ensureBackend();
      status = await activateBackend(requested, opts.wasmPaths);
      return status;
    },

    async backend(): Promise<BackendStatus> {
      return ensureBackend();
    },

    /**
     * Trains a model. Progress comes at most every 100 ms, an epoch record after each epoch.
     * `cancel()` stops it within one batch; the partial run and model are still returned.
     */
    async train(
      job: TrainJob,
      onProgress?: (p: TrainProgress) => void,
      onEpoch?: (e: EpochRecord) => void,
    ): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
      if (busy) return fail({ kind: 'busy', message: 'A model is already training; cancel it or wait.' });
      busy = true;
      cancelRequested = false;
      try {
        const st = await ensureBackend();
        const t = await table(job.datasetId);
        if (!t.ok) return t;
        return await runTraining(
          {
            runId: job.runId,
            runName: job.runName,
            table: t.value.table,
            dataset: { id: job.datasetId, name: t.value.name },
            schema: job.schema,
            split: job.split,
            task: job.task,
            config: completeConfig(job.config),
            userBaselines: job.userBaselines,
            memoryBudget: job.memoryBudget,
            environment: {
              backend: st.backend,
              backendReason: st.reason,
              threads: st.threads,
              simd: st.simd,
              runtime: opts.runtime,
              appVersion: opts.appVersion,
            },
          },
          { onProgress, onEpoch, isCancelled: () => cancelRequested },
        );
      } catch (e) {
        return fail({
          kind: 'training-failed',
          message: `Training failed on ${status?.backend ?? 'the backend'}: ${(e as Error).message}`,
        });
      } finally {
        busy = false;
      }
    },

    /** "Overfit one batch": can this configuration memorize 32 training rows? */
    async overfitBatch(job: TrainJob): Promise<Result<OverfitReport>> {
      return debugRun(job, (pre, train, config) => overfitOneBatch(pre, train, config, 32, 150, () => cancelRequested));
    },

    /** Learning-rate range test on the training split. */
    async lrRange(job: TrainJob): Promise<Result<LrRangeReport>> {
      return debugRun(job, (pre, train, config) =>
        lrRangeTest(pre, train, config, 1e-6, 1, 100, () => cancelRequested),
      );
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
      await ensureBackend();
      const key = JSON.stringify([job.datasetId, job.schema, job.split]);
      if (tuningCache?.key !== key) {
        const t = await table(job.datasetId);
        if (!t.ok)
          return { score: Infinity, metric: NaN, steps: 0, pruned: false, message: t.error.message, worker: workerId };
        const data = prepareTuningData(t.value.table, job.schema, job.split, t.value.name);
        if (!data.ok)
          return {
            score: Infinity,
            metric: NaN,
            steps: 0,
            pruned: false,
            message: data.error.message,
            worker: workerId,
          };
        tuningCache = { key, data: data.value };
      }
      const r = await makeTrialRunner(tuningCache.data, job.memoryBudget)(completeConfig(config), trialId, report);
      return { ...r, worker: workerId };
    },

    /** Trains a bagged or boosted ensemble of the job's configuration. */
    async trainEnsemble(
      job: TrainJob,
      method: 'bag' | 'adaboost',
      members: number,
      onMember?: (done: number, total: number) => void,
    ): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
      if (busy) return fail({ kind: 'busy', message: 'A model is already training; cancel it or wait.' });
      busy = true;
      try {
        const st = await ensureBackend();
        const t = await table(job.datasetId);
        if (!t.ok) return t;
        const config = completeConfig(job.config);
        return await runEnsembleTraining({
          runId: job.runId,
          runName: job.runName,
          table: t.value.table,
          dataset: { id: job.datasetId, name: t.value.name },
          schema: job.schema,
          split: job.split,
          config,
          method,
          members,
          onMember,
          environment: {
            backend: st.backend,
            backendReason: st.reason,
            threads: st.threads,
            simd: st.simd,
            runtime: opts.runtime,
            appVersion: opts.appVersion,
          },
        });
      } catch (e) {
        return fail({ kind: 'training-failed', message: `Training the ensemble failed: ${(e as Error).message}` });
      } finally {
        busy = false;
      }
    },

    /** Combines saved runs (with their models) into a voting or stacking ensemble. */
    async combine(
      items: { run: RunRecord; model: TrainedModel }[],
      method: 'vote-hard' | 'vote-soft' | 'stack',
      runId: string,
      runName: string,
    ): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
      const st = await ensureBackend();
      if (items.length === 0) return fail({ kind: 'bad-config', message: 'Choose runs to combine.' });
      const t = await table(items[0]!.run.dataset.id);
      if (!t.ok) return t;
      try {
        return await combineRuns(items, method, t.value.table, {
          runId,
          runName,
          environment: {
            backend: st.backend,
            backendReason: st.reason,
            threads: st.threads,
            simd: st.simd,
            runtime: opts.runtime,
            appVersion: opts.appVersion,
          },
        });
      } catch (e) {
        return fail({ kind: 'training-failed', message: `Combining failed: ${(e as Error).message}` });
      }
    },

    /** Asks a running `train` to stop after its current batch. */
    async cancel(): Promise<void> {
      cancelRequested = true;
    },

    /**
     * Predicts the run's fingerprint rows with a saved model and compares them with what the model
     * predicted when it was trained.
     */
    async checkFingerprint(model: TrainedModel, run: RunRecord): Promise<Result<FingerprintCheck>> {
      await ensureBackend();
      const t = await table(run.dataset.id);
      if (!t.ok) return t;
      const rows = Uint32Array.from(run.fingerprint.rows);
      const out = await predictAnyRows(model, t.value.table, rows, t.value.name);
      if (!out.ok) return out;
      return ok({
        rows: rows.length,
        maxAbsDiff: maxAbsDifference(out.value, run.fingerprint.outputs),
        outputs: Array.from(out.value),
        onnx: await onnxCheck(model, t.value.table, rows, run),
      });
    },

    /** A zip of the model directory (`model.json`, `weights.bin`, `preprocessing.json`, `run.json`). */
    async exportBundle(bundle: ModelBundle): Promise<Uint8Array> {
      return zipBundle(bundle);
    },

    /** Reads a model the command line (or another Benchtop) wrote: a zip, or the directory's files. */
    async importBundle(files: { name: string; bytes: Uint8Array }[]): Promise<Result<ModelBundle>> {
      if (files.length === 1 && /\.zip$/i.test(files[0]!.name)) return unzipBundle(files[0]!.bytes, files[0]!.name);
      const byName: Record<string, Uint8Array> = {};
      for (const f of files) byName[f.name.split('/').pop()!] = f.bytes;
      return filesToBundle(byName, files.map((f) => f.name).join(', ') || 'the selected files');
    },

    /**
     * Evaluates a model on one split of its run (rows rebuilt from the run's seeded split) or on every
     * row of a loaded dataset; runs the given behavioural tests on the same rows.
     */
    async evaluate(
      model: TrainedModel,
      run: RunRecord,
      datasetId: string,
      split: EvaluationReport['split'],
      opts: { slices?: SliceDefinition[]; tests?: BehaviourTest[]; abstainBelow?: number | null } = {},
    ): Promise<Result<EvaluationReport>> {
      await ensureBackend();
      const t = await table(datasetId);
      if (!t.ok) return t;
      let rows: Uint32Array;
      if (split === 'all' || split === 'file') rows = Uint32Array.from({ length: t.value.table.rowCount }, (_, i) => i);
      else {
        const s = runSplitRows(run, t.value.table);
        if (!s.ok) return s;
        rows = split === 'test' && s.value.test.length ? s.value.test : s.value.validation;
      }
      try {
        const ev = await evaluateModel(model, t.value.table, rows, t.value.name, {
          slices: opts.slices,
          seed: run.config.seed,
        });
        if (!ev.ok) return ev;
        const behaviour: EvaluationReport['behaviour'] = [];
        const y = encodeLabels(model.preprocessor, t.value.table, rows);
        for (const test of opts.tests ?? []) {
          const r = y.ok
            ? await runBehaviourTest(model, t.value.table, rows, y.value, test, run.config.seed)
            : fail<never>({ kind: 'labels', message: 'labels unavailable' });
          behaviour.push({ test, result: r.ok ? r.value : { error: r.error.message } });
        }
        return ok(
          {
            format: 'benchtop-evaluation@1',
            runId: run.id,
            runName: run.name,
            createdAt: new Date().toISOString(),
            split,
            evaluation: ev.value,
            behaviour,
            abstainBelow: opts.abstainBelow ?? null,
          },
          ev.warnings,
        );
      } catch (e) {
        return fail({ kind: 'evaluation-failed', message: `Evaluation failed: ${(e as Error).message}` });
      }
    },

    /** Fits a calibrator on the run's validation split and returns the calibrated model as a new run. */
    async calibrate(
      run: RunRecord,
      model: TrainedModel,
      method: CalibrationMethod,
      runId: string,
    ): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
      await ensureBackend();
      const t = await table(run.dataset.id);
      if (!t.ok) return t;
      try {
        return await calibrateRun(run, model, t.value.table, method, { runId });
      } catch (e) {
        return fail({ kind: 'calibration-failed', message: `Calibration failed: ${(e as Error).message}` });
      }
    },

    /** Compresses a run's network and scores it on the run's splits, as a new run. */
    async compress(
      run: RunRecord,
      model: TrainedModel,
      spec: CompressionSpec,
      runId: string,
    ): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
      await ensureBackend();
      const t = await table(run.dataset.id);
      if (!t.ok) return t;
      try {
        return await compressRun(run, model, t.value.table, spec, { runId });
      } catch (e) {
        return fail({ kind: 'compression-failed', message: `Compression failed: ${(e as Error).message}` });
      }
    },

    /** Imports an ONNX model over the loaded dataset's feature columns and label, evaluated on its splits. */
    async importOnnx(
      bytes: Uint8Array,
      file: string,
      datasetId: string,
      schema: Schema,
      split: SplitSpec,
      runId: string,
    ): Promise<Result<{ run: RunRecord; model: TrainedModel; info: OnnxInfo }>> {
      const st = await ensureBackend();
      const t = await table(datasetId);
      if (!t.ok) return t;
      try {
        return await importOnnxModel(bytes, file, t.value.table, { id: datasetId, name: t.value.name }, schema, split, {
          runId,
          environment: {
            backend: st.backend,
            backendReason: 'onnxruntime-web (WASM) runs imported models',
            runtime: opts.runtime,
            appVersion: opts.appVersion,
          },
        });
      } catch (e) {
        return fail({ kind: 'unsupported-onnx', file, message: explainOrtError((e as Error).message, null, file) });
      }
    },

    /** Compression with fine-tuning (QAT, or pruning while training) from a run's weights. */
    async fineTune(
      run: RunRecord,
      model: TrainedModel,
      spec: FineTuneSpec,
      runId: string,
    ): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
      if (busy) return fail({ kind: 'busy', message: 'A model is already training; cancel it or wait.' });
      busy = true;
      try {
        await ensureBackend();
        const t = await table(run.dataset.id);
        if (!t.ok) return t;
        return await fineTuneRun(run, model, t.value.table, spec, { runId });
      } catch (e) {
        return fail({ kind: 'fine-tune-failed', message: `Fine-tuning failed: ${(e as Error).message}` });
      } finally {
        busy = false;
      }
    },

    /** Distils a smaller student MLP from a run's model (any family, ensembles too). */
    async distill(
      run: RunRecord,
      teacher: TrainedModel,
      opts: { hidden: number[]; temperature: number; alpha: number; epochs?: number },
      runId: string,
    ): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
      if (busy) return fail({ kind: 'busy', message: 'A model is already training; cancel it or wait.' });
      busy = true;
      try {
        await ensureBackend();
        const t = await table(run.dataset.id);
        if (!t.ok) return t;
        return await distillRun(
          run,
          teacher,
          t.value.table,
          { student: { hidden: opts.hidden }, temperature: opts.temperature, alpha: opts.alpha, epochs: opts.epochs },
          { runId },
        );
      } catch (e) {
        return fail({ kind: 'distillation-failed', message: `Distillation failed: ${(e as Error).message}` });
      } finally {
        busy = false;
      }
    },

    /**
     * Latency (p50/p95 at batch 1) and throughput (rows/s at batch 256) of a network on every tfjs
     * backend this worker can start, and on onnxruntime-web (WASM, and WebGPU where the browser offers
     * an adapter) with its ONNX export (int8 QDQ for int8 models). Inputs are synthetic rows of the right width; the backend in use is restored.
     */
    async measure(model: TrainedModel, backends?: BackendName[]): Promise<Result<LatencyRow[]>> {
      if (!model.artifacts && !model.onnx)
        return fail({ kind: 'unsupported-model', message: 'Latency is measured for neural networks and ONNX models.' });
      const st = await ensureBackend();
      const d = model.preprocessor.inputSize;
      const rows: LatencyRow[] = [];
      const x1 = Float32Array.from({ length: d }, (_, i) => Math.sin(i));
      const x256 = Float32Array.from({ length: 256 * d }, (_, i) => Math.sin(i * 0.37));
      const time = async (f: () => Promise<unknown>, reps: number) => {
        await f();
        const ts: number[] = [];
        for (let i = 0; i < reps; i++) {
          const t0 = performance.now();
          await f();
          ts.push(performance.now() - t0);
        }
        ts.sort((a, b) => a - b);
        return {
          p50: ts[Math.floor(ts.length * 0.5)]!,
          p95: ts[Math.min(ts.length - 1, Math.floor(ts.length * 0.95))]!,
        };
      };
      const wanted = model.artifacts ? (backends ?? st.probes.filter((p) => p.available).map((p) => p.name)) : [];
      for (const b of wanted) {
        const s = await activateBackend(b, opts.wasmPaths).catch(() => null);
        if (!s || s.backend !== b) continue;
        const m = await artifactsToModel(model.artifacts!);
        try {
          const reps = b === 'wasm' || b === 'cpu' ? 40 : 10;
          const one = await time(() => predictOutputs(m, model.preprocessor, x1, 1), reps);
          const many = await time(() => predictOutputs(m, model.preprocessor, x256, 256), Math.max(3, reps / 4));
          rows.push({ runtime: `tfjs ${b}`, p50: one.p50, p95: one.p95, throughput: 256 / (many.p50 / 1000) });
        } finally {
          disposeModel(m);
        }
      }
      status = await activateBackend(st.backend, opts.wasmPaths);
      const onnx = modelToOnnx(model, opts.appVersion);
      const quantized =
        model.compression?.method === 'int8' || model.compression?.method === 'int8-static' ? ' (int8 QDQ)' : '';
      // onnxruntime-web's WebGPU execution provider runs where the browser offers an adapter.
      const gpu =
        backends && !backends.includes('webgpu') ? { ok: false, reason: 'not asked for' } : await ortWebgpuAvailable();
      let reference: Float32Array | undefined;
      for (const ep of gpu.ok ? (['wasm', 'webgpu'] as const) : (['wasm'] as const)) {
        const runtime = `onnxruntime-web ${ep}${quantized}`;
        if (!onnx.ok) {
          rows.push({ runtime, p50: NaN, p95: NaN, throughput: NaN, note: onnx.error.message });
          continue;
        }
        try {
          const one = await time(() => runOnnx(onnx.value, x1, 1, d, ep), ep === 'wasm' ? 20 : 10);
          const many = await time(() => runOnnx(onnx.value, x256, 256, d, ep), ep === 'wasm' ? 6 : 4);
          const outs = (await runOnnx(onnx.value, x256, 256, d, ep)).outputs;
          let maxDiff: number | undefined;
          if (ep === 'wasm') reference = outs;
          else if (reference) {
            maxDiff = 0;
            for (let i = 0; i < outs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(outs[i]! - reference[i]!));
          }
          rows.push({ runtime, p50: one.p50, p95: one.p95, throughput: 256 / (many.p50 / 1000), maxDiff });
        } catch (e) {
          rows.push({ runtime, p50: NaN, p95: NaN, throughput: NaN, note: (e as Error).message });
        }
      }
      return ok(rows);
    },

    /**
     * Checks a model server: health, the model's metadata (KServe V2) or version status (TF Serving), and
     * the request one row would send — shown to the person before anything runs.
     */
    async probeEndpoint(
      endpoint: Endpoint,
      http: Partial<HttpOptions>,
      model: TrainedModel,
      run: RunRecord,
    ): Promise<Result<ProbeResult>> {
      const h = { ...DEFAULT_HTTP, ...http };
      const pre = model.preprocessor,
        d = pre.inputSize;
      // The preview carries a real row: the first row of the run's test split (else validation), encoded.
      let x: Float32Array = new Float32Array(d),
        row = -1;
      const t = await table(run.dataset.id);
      if (t.ok) {
        const s = runSplitRows(run, t.value.table);
        const rows = s.ok ? (s.value.test.length ? s.value.test : s.value.validation) : null;
        if (rows?.length) {
          const X = transformFeatures(pre, t.value.table, rows.subarray(0, 1), t.value.name);
          if (X.ok) ((x = X.value), (row = rows[0]!));
        }
      }
      try {
        const state = await health(endpoint, h);
        if (endpoint.protocol === 'kserve-v2') {
          const metadata = await kserveMetadata(endpoint, h);
          let preview: string, mapping: ProbeResult['mapping'], planError: string | undefined;
          try {
            const plan = planInputs(metadata, d, pre.inputNames, endpoint.inputMap);
            mapping = plan.inputs.map((i) => ({
              input: i.name,
              datatype: i.datatype,
              features: i.columns ? i.columns.map((c) => pre.inputNames[c]!) : [...pre.inputNames],
            }));
            const req = kserveRequest(metadata, x, 1, d, 'preview', plan, endpoint.binary, pre.inputNames);
            preview =
              JSON.stringify(req.json, null, 1) +
              (endpoint.binary
                ? `\n+ ${req.tensors.reduce((a, b) => a + b.length, 0)} bytes of binary tensor data (Inference-Header-Content-Length: ${JSON.stringify(req.json).length})`
                : '');
          } catch (e) {
            planError = (e as Error).message;
            preview = `(no request can be built: ${planError})`;
          }
          return ok({ ...state, metadata, preview, previewRow: row, features: pre.inputNames, mapping, planError });
        }
        const versions = await tfServingStatus(endpoint, h);
        return ok({
          ...state,
          versions,
          preview: JSON.stringify(tfServingRequest(x, 1, d, 'row'), null, 1),
          previewRow: row,
          features: pre.inputNames,
        });
      } catch (e) {
        if (e instanceof ServingError) return fail({ kind: `endpoint-${e.kind}`, message: e.message });
        throw e;
      }
    },

    /**
     * The local model against the remote one on a split of the run's dataset (test, else validation):
     * the same preprocessed rows go to both; see compareLocalRemote. Cancel with cancelRemote().
     */
    async compareRemote(
      model: TrainedModel,
      run: RunRecord,
      endpoint: Endpoint,
      o: {
        http: Partial<HttpOptions>;
        batchSize: number;
        concurrency: number;
        price?: { perHour?: number; perMillionRequests?: number };
        maxRows?: number;
      },
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<Comparison & { split: string }>> {
      await ensureBackend();
      const t = await table(run.dataset.id);
      if (!t.ok) return t;
      const s = runSplitRows(run, t.value.table);
      if (!s.ok) return s;
      const split = s.value.test.length ? 'test' : 'validation';
      let rows = split === 'test' ? s.value.test : s.value.validation;
      if (o.maxRows && rows.length > o.maxRows) rows = rows.subarray(0, o.maxRows);
      const pre = model.preprocessor,
        d = pre.inputSize,
        n = rows.length;
      const X = transformFeatures(pre, t.value.table, rows, t.value.name);
      if (!X.ok) return X;
      const y = encodeLabels(pre, t.value.table, rows);
      if (!y.ok) return y;
      remoteAbort?.abort();
      const ctl = new AbortController();
      remoteAbort = ctl;
      try {
        // Local: the whole set at once (throughput), and single rows (latency) for up to 100 rows.
        const t0 = performance.now();
        const local = await predictRowsMatrix(model, X.value, n);
        const localRate = n / ((performance.now() - t0) / 1000);
        // Per-row latency with the model loaded once, as a serving process holds it.
        const callMs: number[] = [];
        const loaded = await loadPredictor(model);
        try {
          for (let i = 0; i < Math.min(n, 100); i++) {
            const t1 = performance.now();
            await loaded.predict(X.value.subarray(i * d, (i + 1) * d), 1);
            callMs.push(performance.now() - t1);
          }
        } finally {
          loaded.dispose();
        }
        const meta =
          endpoint.protocol === 'kserve-v2'
            ? await kserveMetadata(endpoint, { ...DEFAULT_HTTP, ...o.http, signal: ctl.signal })
            : null;
        const plan = meta ? planInputs(meta, d, pre.inputNames, endpoint.inputMap) : undefined;
        const r = await predictRemote(endpoint, meta, X.value, n, d, {
          batchSize: o.batchSize,
          concurrency: o.concurrency,
          http: { ...DEFAULT_HTTP, ...o.http },
          signal: ctl.signal,
          onProgress,
          plan,
        });
        const c = compareLocalRemote({
          pre,
          y: y.value,
          local: { outputs: local, callMs, rowsPerSecond: localRate },
          remote: {
            raw: r.values,
            width: r.width,
            callMs: r.calls.map((x) => x.totalMs),
            rowsPerSecond: n / (r.wallMs / 1000),
            bytesSent: r.calls.reduce((a, x) => a + x.bytesSent, 0),
          },
          price: o.price ? { ...o.price, rowsPerRequest: o.batchSize } : undefined,
          slices: (outputs) => sliceScores(pre, t.value.table, { X: X.value, y: y.value, rows }, outputs),
        });
        return ok({ ...c, split });
      } catch (e) {
        if (e instanceof ServingError) return fail({ kind: `endpoint-${e.kind}`, message: e.message });
        return fail({ kind: 'compare-failed', message: `The comparison failed: ${(e as Error).message}` });
      } finally {
        if (remoteAbort === ctl) remoteAbort = null;
      }
    },

    /** Stops a running comparison: no further requests are sent. */
    cancelRemote(): void {
      remoteAbort?.abort();
    },

    /**
     * A production-test rehearsal (see core/rollout/rehearsal.ts) over the run's held-out rows
     * (validation and test), replayed in time order for time splits and file order otherwise. The champion run's
     * model defines the stream, its labels and the encoding sent to remote sides; the heuristic backup
     * is its training split's majority class (or mean). Cancel with cancelRehearsal().
     */
    async rehearse(
      kind: RehearsalKind,
      run: RunRecord,
      championModel: TrainedModel,
      champion: SideSpec,
      challenger: SideSpec,
      config: RehearsalConfig,
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<RehearsalResult & { split: string; streamRows: number }>> {
      await ensureBackend();
      const t = await table(run.dataset.id);
      if (!t.ok) return t;
      const prep = prepareRehearsal(run, championModel.preprocessor, t.value.table, t.value.name);
      if (!prep.ok) return prep;
      rehearsalAbort?.abort();
      const ctl = new AbortController();
      rehearsalAbort = ctl;
      try {
        const r = await runRehearsal(kind, champion, challenger, prep.value, config, {
          signal: ctl.signal,
          onProgress,
        });
        return r.ok ? ok({ ...r.value, split: 'validation + test', streamRows: prep.value.ctx.rows.length }) : r;
      } catch (e) {
        if (ctl.signal.aborted)
          return fail({ kind: 'cancelled', message: 'The rehearsal was cancelled; nothing was saved.' });
        if (e instanceof ServingError) return fail({ kind: `endpoint-${e.kind}`, message: e.message });
        return fail({ kind: 'rehearsal-failed', message: `The rehearsal failed: ${(e as Error).message}` });
      } finally {
        if (rehearsalAbort === ctl) rehearsalAbort = null;
      }
    },

    cancelRehearsal(): void {
      rehearsalAbort?.abort();
    },

    /**
     * Batch prediction: every row of the run's dataset through the model in batches of 512, for the
     * page to store in IndexedDB. Outputs are row-major (probabilities or values), float32.
     */
    async predictDataset(
      model: TrainedModel,
      datasetId: string,
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<{ outputs: Float32Array; width: number; rows: number; ms: number }>> {
      await ensureBackend();
      const t = await table(datasetId);
      if (!t.ok) return t;
      const n = t.value.table.rowCount,
        pre = model.preprocessor;
      const width = pre.label.task === 'classification' ? pre.label.classes.length : 1;
      const outputs = new Float32Array(n * width);
      const t0 = performance.now();
      const p = await loadPredictor(model);
      try {
        for (let lo = 0; lo < n; lo += 512) {
          const rows = Uint32Array.from({ length: Math.min(512, n - lo) }, (_, i) => lo + i);
          const X = transformFeatures(pre, t.value.table, rows, t.value.name);
          if (!X.ok) return X;
          outputs.set(await p.predict(X.value, rows.length), lo * width);
          onProgress?.(lo + rows.length, n);
        }
      } finally {
        p.dispose();
      }
      return ok({ outputs, width, rows: n, ms: performance.now() - t0 });
    },

    /**
     * Online prediction: one dataset row, encoded and predicted on demand by a model this worker keeps
     * loaded between calls (loaded on the first call for a run). Returns the outputs and the worker's ms.
     */
    async predictOnline(
      model: TrainedModel | null,
      runId: string,
      datasetId: string,
      row: number,
    ): Promise<Result<{ outputs: number[]; ms: number }>> {
      const t0 = performance.now();
      if (!serving || serving.runId !== runId || serving.datasetId !== datasetId) {
        if (!model) return fail({ kind: 'not-loaded', message: 'The model is not loaded for online prediction.' });
        await ensureBackend();
        serving?.predictor.dispose();
        serving = { runId, datasetId, predictor: await loadPredictor(model), pre: model.preprocessor };
      }
      const t = await table(datasetId);
      if (!t.ok) return t;
      if (!(row >= 0 && row < t.value.table.rowCount))
        return fail({
          kind: 'bad-row',
          message: `Row ${row} is outside the dataset (0–${t.value.table.rowCount - 1}).`,
        });
      const X = transformFeatures(serving.pre, t.value.table, Uint32Array.of(row), t.value.name);
      if (!X.ok) return X;
      const out = await serving.predictor.predict(X.value, 1);
      return ok({ outputs: Array.from(out), ms: performance.now() - t0 });
    },

    /** Hashes and zips the files of a bundle the page collected from storage. */
    async packBundle(files: Record<string, Uint8Array>): Promise<Uint8Array> {
      return packBundle(files);
    },

    /** Unzips and validates a bundle (limits, checksums, records, dataset hashes) before the page writes it. */
    async readBundle(bytes: Uint8Array, name: string): Promise<Result<ImportPayload>> {
      return readBundle(bytes, name);
    },

    /** A model version's ONNX bytes (its own graph, or its network exported). */
    async exportOnnx(model: TrainedModel): Promise<Result<Uint8Array>> {
      return modelToOnnx(model, opts.appVersion);
    },

    /** Live tensor count, so tests can prove nothing leaks. */
    async tensors(): Promise<number> {
      return liveTensors();
    },
  };
}

export type TrainApi = ReturnType<typeof createTrainApi>;
