// The one file in workers/ that touches onnxruntime-web: sessions run here, inside the worker
// (not through ORT's own proxy worker), on its WASM backend with SIMD and, when the page is
// cross-origin isolated, threads — or on its WebGPU execution provider, whose build (a separate,
// larger runtime) is imported only when first asked for.
import * as ort from 'onnxruntime-web/wasm';
import { setOnnxRunner } from '../src/core/model/onnx-runner.ts';
import { ORT_GRAPH_OPTIMIZATION } from '../src/core/onnx/session-options.ts';

let configured = false;
let webgpuPaths: Readonly<{ wasm: string; mjs: string }> | undefined;

/** Points ORT at the app's own copies of its runtime files (never a CDN). */
export function configureOrt(
  paths?: Readonly<{ wasm: string; mjs: string }>,
  webgpu?: Readonly<{ wasm: string; mjs: string }>,
): void {
  if (webgpu) webgpuPaths = webgpu;
  if (configured) return;
  // Imported ONNX models predict through this runtime.
  setOnnxRunner(async (model, X, n, d) => (await runOnnx(model, X, n, d)).outputs);
  if (paths) ort.env.wasm.wasmPaths = { wasm: paths.wasm, mjs: paths.mjs };
  ort.env.wasm.proxy = false;
  configured = true;
}

type OrtModule = typeof import('onnxruntime-web/webgpu');
let webgpuOrt: Promise<OrtModule> | null = null;

/** Whether ORT's WebGPU execution provider can run here: a WebGPU adapter, and the app's copy of its runtime. */
export async function ortWebgpuAvailable(): Promise<{ ok: boolean; reason: string }> {
  if (typeof navigator === 'undefined') return { ok: false, reason: 'no browser here' };
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return { ok: false, reason: 'this browser has no WebGPU' };
  if (!(await gpu.requestAdapter().catch(() => null))) return { ok: false, reason: 'WebGPU offers no adapter here' };
  if (!webgpuPaths) return { ok: false, reason: 'the WebGPU runtime files are not configured' };
  return { ok: true, reason: '' };
}

function loadWebgpuOrt(): Promise<OrtModule> {
  webgpuOrt ??= import('onnxruntime-web/webgpu').then((m) => {
    if (webgpuPaths) m.env.wasm.wasmPaths = { wasm: webgpuPaths.wasm, mjs: webgpuPaths.mjs };
    m.env.wasm.proxy = false;
    return m;
  });
  webgpuOrt.catch(() => (webgpuOrt = null));
  return webgpuOrt;
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
type Session = Pick<ort.InferenceSession, 'run' | 'release' | 'inputNames' | 'outputNames'>;
const sessions = new Map<Uint8Array, Promise<Session>>();
const gpuSessions = new Map<Uint8Array, Promise<Session>>();

function session(model: Uint8Array, ep: 'wasm' | 'webgpu'): Promise<Session> {
  const cache = ep === 'webgpu' ? gpuSessions : sessions;
  let s = cache.get(model);
  if (!s) {
    s =
      ep === 'webgpu'
        ? loadWebgpuOrt().then((m) =>
            m.InferenceSession.create(model, {
              executionProviders: ['webgpu'],
              graphOptimizationLevel: ORT_GRAPH_OPTIMIZATION,
            }),
          )
        : ort.InferenceSession.create(model, {
            executionProviders: ['wasm'],
            graphOptimizationLevel: ORT_GRAPH_OPTIMIZATION,
          });
    cache.set(model, s);
    s.catch(() => cache.delete(model));
    if (cache.size > 4) {
      const [oldest, p] = cache.entries().next().value!;
      cache.delete(oldest);
      void p.then((x) => x.release()).catch(() => undefined);
    }
  }
  return s;
}

export async function runOnnx(
  model: Uint8Array,
  X: Float32Array,
  n: number,
  d: number,
  ep: 'wasm' | 'webgpu' = 'wasm',
): Promise<OrtRun> {
  configureOrt();
  const s = await session(model, ep);
  const T = ep === 'webgpu' ? (await loadWebgpuOrt()).Tensor : ort.Tensor;
  const out = await s.run({ [s.inputNames[0]!]: new T('float32', X, [n, d]) });
  const t = out[s.outputNames[0]!]!;
  return { outputs: Float32Array.from(t.data as Float32Array), threads: Number(ort.env.wasm.numThreads ?? 1) };
}
