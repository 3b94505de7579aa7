// Models in and out: fingerprint checks, bundles (zip, directory, the store's packed bundle) and ONNX.
import type { Schema } from '../../src/core/data/schema.ts';
import type { SplitSpec } from '../../src/core/data/split.ts';
import type { Table } from '../../src/core/data/table.ts';
import { transformFeatures } from '../../src/core/data/preprocess.ts';
import { predictAnyRows } from '../../src/core/ensemble/ensemble.ts';
import { unzipBundle, zipBundle, filesToBundle, type ModelBundle } from '../../src/core/model/model-bundle.ts';
import { maxAbsDifference } from '../../src/core/model/predict-table.ts';
import { rawToOutputs } from '../../src/core/model/predict.ts';
import type { RunRecord, TrainedModel } from '../../src/core/model/spec.ts';
import { modelToOnnx } from '../../src/core/onnx/export-dense.ts';
import { importOnnxModel } from '../../src/core/onnx/import-onnx.ts';
import { explainOrtError, type OnnxInfo } from '../../src/core/onnx/inspect.ts';
import { packBundle, readBundle } from '../../src/core/store/bundle.ts';
import type { ImportPayload } from '../../src/core/store/store.ts';
import type { Result } from '../../src/core/util/result.ts';
import { ok } from '../../src/core/util/result.ts';
import { runOnnx } from '../ort-runtime.ts';
import { overTable, type TrainContext } from './context.ts';
import type { RunRef } from './run-cache.ts';

export interface FingerprintCheck {
  rows: number;
  maxAbsDiff: number;
  outputs: number[];
  /** The same rows through the model exported to ONNX and run by onnxruntime-web in this worker. */
  onnx: { maxAbsDiff: number; threads: number } | { error: string };
}

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

/** Model import/export methods of the worker API. */
export function modelsApi(ctx: TrainContext) {
  return {
    /**
     * Predicts the run's fingerprint rows with a saved model and compares them with what the model
     * predicted when it was trained. The run by id (`not-found` when it is not stored) or with its model.
     */
    async checkFingerprint(ref: RunRef): Promise<Result<FingerprintCheck>> {
      const found = await ctx.runs.resolve(ref);
      if (!found.ok) return found;
      const { run, model } = found.value;
      await ctx.ensureBackend();
      const t = await ctx.table(run.dataset.id);
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
      // Files chosen one by one have no folder: messages name the file at fault alone ("model.json: …").
      const dirs = new Set(files.map((f) => f.name.split('/').slice(0, -1).join('/')));
      return filesToBundle(byName, dirs.size === 1 ? [...dirs][0]! : '');
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
      const failure = (e: Error) => ({
        kind: 'unsupported-onnx',
        file,
        message: explainOrtError(e.message, null, file),
      });
      return overTable(ctx, datasetId, failure, (t, st) =>
        importOnnxModel(bytes, file, t.table, { id: datasetId, name: t.name }, schema, split, {
          runId,
          environment: {
            backend: st.backend,
            backendReason: 'onnxruntime-web (WASM) runs imported models',
            runtime: ctx.opts.runtime,
            appVersion: ctx.opts.appVersion,
          },
        }),
      );
    },

    /** A model version's ONNX bytes (its own graph, or its network exported). */
    async exportOnnx(model: TrainedModel): Promise<Result<Uint8Array>> {
      return modelToOnnx(model, ctx.opts.appVersion);
    },

    /** Hashes and zips the files of a bundle the page collected from storage. */
    async packBundle(files: Record<string, Uint8Array>): Promise<Uint8Array> {
      return packBundle(files);
    },

    /** Unzips and validates a bundle (limits, checksums, records, dataset hashes) before the page writes it. */
    async readBundle(bytes: Uint8Array, name: string): Promise<Result<ImportPayload>> {
      return readBundle(bytes, name);
    },
  };
}
