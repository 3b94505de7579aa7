// The one file in workers/ that touches onnxruntime-web: sessions run here, inside the worker
// (not through ORT's own proxy worker), on its WASM backend with SIMD and, when the page is
// cross-origin isolated, threads.
import * as ort from 'onnxruntime-web/wasm';
import { setOnnxRunner } from '../src/core/model/onnx-runner.ts';

let configured = false;

/** Points ORT at the app's own copies of its runtime files (never a CDN). */
export function configureOrt(paths?: Readonly<{ wasm: string; mjs: string }>): void {
  if (configured) return;
  // Imported ONNX models predict through this runtime.
  setOnnxRunner(async (model, X, n, d) => (await runOnnx(model, X, n, d)).outputs);
  if (paths) ort.env.wasm.wasmPaths = { wasm: paths.wasm, mjs: paths.mjs };
  ort.env.wasm.proxy = false;
  configured = true;
}

export interface OrtRun {
  outputs: Float32Array;
  threads: number;
}

/**
 * Runs an ONNX model with one float32 input `features` [n, d] and returns `outputs`.
 * @throws when ORT cannot load or run the model (callers turn this into a Result).
 */
// Sessions are cached by model bytes (a few at a time), so repeated runs measure inference, not loading.
const sessions = new Map<Uint8Array, Promise<ort.InferenceSession>>();

function session(model: Uint8Array): Promise<ort.InferenceSession> {
  let s = sessions.get(model);
  if (!s) {
    s = ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    sessions.set(model, s);
    s.catch(() => sessions.delete(model));
    if (sessions.size > 4) {
      const [oldest, p] = sessions.entries().next().value!;
      sessions.delete(oldest);
      void p.then((x) => x.release()).catch(() => undefined);
    }
  }
  return s;
}

export async function runOnnx(model: Uint8Array, X: Float32Array, n: number, d: number): Promise<OrtRun> {
  configureOrt();
  const s = await session(model);
  const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', X, [n, d]) });
  const t = out[s.outputNames[0]!]!;
  return { outputs: Float32Array.from(t.data as Float32Array), threads: Number(ort.env.wasm.numThreads ?? 1) };
}
