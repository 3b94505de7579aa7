// Predictions with a saved model: a whole dataset in batches, or one row on demand ("online").
import { transformFeatures, type Preprocessor } from '../../src/core/data/preprocess.ts';
import { loadPredictor, type LoadedPredictor } from '../../src/core/model/predict-table.ts';

import type { Result } from '../../src/core/util/result.ts';
import { fail, ok } from '../../src/core/util/result.ts';
import type { TrainContext } from './context.ts';
import type { RunRef } from './run-cache.ts';

/** Rows per batch of a dataset prediction. */
const BATCH = 512;

/** Prediction methods of the worker API. */
export function batchApi(ctx: TrainContext) {
  // The model held for on-demand ("online") predictions: loaded once, like a serving process.
  let serving: { runId: string; datasetId: string; predictor: LoadedPredictor; pre: Preprocessor } | null = null;
  return {
    /**
     * Batch prediction: every row of the run's dataset through the model in batches of 512, for the
     * page to store in IndexedDB. Outputs are row-major (probabilities or values), float32. The run by
     * id (`not-found` when it is not stored) or with its model.
     */
    async predictDataset(
      ref: RunRef,
      datasetId: string,
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<{ outputs: Float32Array; width: number; rows: number; ms: number }>> {
      const found = await ctx.runs.resolve(ref);
      if (!found.ok) return found;
      const model = found.value.model;
      await ctx.ensureBackend();
      const t = await ctx.table(datasetId);
      if (!t.ok) return t;
      const n = t.value.table.rowCount,
        pre = model.preprocessor;
      const width = pre.label.task === 'classification' ? pre.label.classes.length : 1;
      const outputs = new Float32Array(n * width);
      const t0 = performance.now();
      const p = await loadPredictor(model);
      try {
        for (let lo = 0; lo < n; lo += BATCH) {
          const rows = Uint32Array.from({ length: Math.min(BATCH, n - lo) }, (_, i) => lo + i);
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
     * loaded between calls (loaded on the first call for a run, read by id through the run source).
     * Returns the outputs and the worker's ms.
     */
    async predictOnline(
      runId: string,
      datasetId: string,
      row: number,
    ): Promise<Result<{ outputs: number[]; ms: number }>> {
      const t0 = performance.now();
      if (!serving || serving.runId !== runId || serving.datasetId !== datasetId) {
        const found = await ctx.runs.get(runId);
        if (!found.ok)
          return fail({
            kind: 'not-loaded',
            message: `The model is not loaded for online prediction: ${found.error.message}`,
          });
        const model = found.value.model;
        await ctx.ensureBackend();
        serving?.predictor.dispose();
        serving = { runId, datasetId, predictor: await loadPredictor(model), pre: model.preprocessor };
      }
      const t = await ctx.table(datasetId);
      if (!t.ok) return t;
      const rowCount = t.value.table.rowCount;
      if (!(row >= 0 && row < rowCount))
        return fail({ kind: 'bad-row', message: `Row ${row} is outside the dataset (0–${rowCount - 1}).` });
      const X = transformFeatures(serving.pre, t.value.table, Uint32Array.of(row), t.value.name);
      if (!X.ok) return X;
      const out = await serving.predictor.predict(X.value, 1);
      return ok({ outputs: Array.from(out), ms: performance.now() - t0 });
    },
  };
}
