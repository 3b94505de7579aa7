// Latency and throughput of a model on this worker's runtimes: core/runtime/measure-latency.ts does the
// timing; this file injects tfjs (through tf-runtime.ts) and onnxruntime-web (through ort-runtime.ts).
import type { BackendName, TrainedModel } from '../../src/core/model/spec.ts';
import { artifactsToModel, disposeModel } from '../../src/core/model/artifacts.ts';
import { predictOutputs } from '../../src/core/model/predict.ts';
import { modelToOnnx } from '../../src/core/onnx/export-dense.ts';
import { measureLatency, type LatencyRow } from '../../src/core/runtime/measure-latency.ts';
import type { Result } from '../../src/core/util/result.ts';
import { fail, ok } from '../../src/core/util/result.ts';
import { ortWebgpuAvailable, runOnnx } from '../ort-runtime.ts';
import type { TrainContext } from './context.ts';
import type { RunRef } from './run-cache.ts';

/** The latency method of the worker API. */
export function latencyApi(ctx: TrainContext) {
  return {
    /**
     * Latency (p50/p95 at batch 1) and throughput (rows/s at batch 256) of a network on every tfjs
     * backend this worker can start, and on onnxruntime-web (WASM, and WebGPU where the browser offers
     * an adapter) with its ONNX export (int8 QDQ for int8 models). Inputs are synthetic rows of the right
     * width; the backend in use is restored. The model is a run's, by run id (`not-found` when it is not
     * stored), or given (a registered version's model).
     */
    async measure(ref: RunRef | TrainedModel, backends?: BackendName[]): Promise<Result<LatencyRow[]>> {
      const found = typeof ref === 'object' && 'kind' in ref ? null : await ctx.runs.resolve(ref);
      if (found && !found.ok) return found;
      const model = found ? found.value.model : (ref as TrainedModel);
      const artifacts = model.kind === 'network' ? model.artifacts : undefined;
      if (model.kind !== 'network' && model.kind !== 'onnx')
        return fail({ kind: 'unsupported-model', message: 'Latency is measured for neural networks and ONNX models.' });
      const st = await ctx.ensureBackend();
      const pre = model.preprocessor;
      const method = model.compression?.method;
      // onnxruntime-web's WebGPU execution provider runs where the browser offers an adapter.
      const gpu =
        backends && !backends.includes('webgpu') ? { ok: false, reason: 'not asked for' } : await ortWebgpuAvailable();
      try {
        const rows = await measureLatency(
          {
            inputSize: pre.inputSize,
            tfjsBackends: artifacts ? (backends ?? st.probes.filter((p) => p.available).map((p) => p.name)) : [],
            onnx: modelToOnnx(model, ctx.opts.appVersion),
            ortProviders: gpu.ok ? ['wasm', 'webgpu'] : ['wasm'],
            ortLabel: method === 'int8' || method === 'int8-static' ? ' (int8 QDQ)' : '',
          },
          {
            activateTfjs: async (b) => (await ctx.activate(b as BackendName)).backend === b,
            loadTfjs: async () => {
              const m = await artifactsToModel(artifacts!);
              return { predict: (X, n) => predictOutputs(m, pre, X, n), dispose: () => disposeModel(m) };
            },
            runOrt: async (bytes, X, n, d, ep) => (await runOnnx(bytes, X, n, d, ep)).outputs,
          },
        );
        return ok(rows);
      } finally {
        await ctx.activate(st.backend);
      }
    },
  };
}
