// Model servers: probing an endpoint, and comparing the local model with the remote one.
import { encodeLabels, transformFeatures } from '../../src/core/data/preprocess.ts';
import { runSplitRows } from '../../src/core/evaluation/report.ts';
import { loadPredictor, predictMatrix } from '../../src/core/model/predict-table.ts';
import { sliceScores } from '../../src/core/model/run-training.ts';
import { compareLocalRemote, type Comparison } from '../../src/core/serving/compare.ts';
import { DEFAULT_HTTP, ServingError, type HttpOptions } from '../../src/core/serving/http.ts';
import { probeEndpoint, probeSample, type ProbeResult } from '../../src/core/serving/probe-endpoint.ts';
import { kserveMetadata, planInputs, type Endpoint } from '../../src/core/serving/protocols.ts';
import { predictRemote } from '../../src/core/serving/remote-predict.ts';
import type { Result } from '../../src/core/util/result.ts';
import { fail, ok } from '../../src/core/util/result.ts';
import type { TrainContext } from './context.ts';
import type { RunRef } from './run-cache.ts';

/** Options of a local-versus-remote comparison. */
export interface CompareOptions {
  http: Partial<HttpOptions>;
  batchSize: number;
  concurrency: number;
  price?: { perHour?: number; perMillionRequests?: number };
  maxRows?: number;
}

/** Serving methods of the worker API. */
export function servingApi(ctx: TrainContext) {
  let remoteAbort: AbortController | null = null;
  return {
    /**
     * Checks a model server: health, the model's metadata (KServe V2) or version status (TF Serving), and
     * the request one row would send — shown to the person before anything runs. The run by id
     * (`not-found` when it is not stored) or with its model.
     */
    async probeEndpoint(endpoint: Endpoint, http: Partial<HttpOptions>, ref: RunRef): Promise<Result<ProbeResult>> {
      const found = await ctx.runs.resolve(ref);
      if (!found.ok) return found;
      const { run, model } = found.value;
      const t = await ctx.table(run.dataset.id);
      const sample = probeSample(run, model.preprocessor, t.ok ? t.value : null);
      return probeEndpoint(endpoint, { ...DEFAULT_HTTP, ...http }, model.preprocessor, sample);
    },

    /**
     * The local model against the remote one on a split of the run's dataset (test, else validation):
     * the same preprocessed rows go to both; see compareLocalRemote. Cancel with cancelRemote(). The run
     * by id (`not-found` when it is not stored) or with its model.
     */
    async compareRemote(
      ref: RunRef,
      endpoint: Endpoint,
      o: CompareOptions,
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<Comparison & { split: string }>> {
      const found = await ctx.runs.resolve(ref);
      if (!found.ok) return found;
      const { run, model } = found.value;
      await ctx.ensureBackend();
      const t = await ctx.table(run.dataset.id);
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
        const local = await predictMatrix(model, X.value, n);
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
        const http = { ...DEFAULT_HTTP, ...o.http };
        const meta =
          endpoint.protocol === 'kserve-v2' ? await kserveMetadata(endpoint, { ...http, signal: ctl.signal }) : null;
        const plan = meta ? planInputs(meta, d, pre.inputNames, endpoint.inputMap) : undefined;
        const r = await predictRemote(endpoint, meta, X.value, n, d, {
          batchSize: o.batchSize,
          concurrency: o.concurrency,
          http,
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
  };
}
