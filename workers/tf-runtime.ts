// The one file in workers/ that touches tfjs backends: probing, choosing and starting them.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { chooseBackend, type BackendProbe, type BackendStatus } from '../src/core/runtime/backend-policy.ts';
import type { BackendName } from '../src/core/model/spec.ts';
import { registerWasmGradKernels } from '../src/core/model/wasm-grad-kernels.ts';

// tfjs-backend-wasm lacks some gradient kernels (Conv2DBackpropFilter, depthwise backprop): add ours.
registerWasmGradKernels();

export type { BackendStatus };

const SOFTWARE = /swiftshader|llvmpipe|software|basic render/i;

type GpuAdapterLike = {
  info?: { vendor?: string; architecture?: string; description?: string };
  isFallbackAdapter?: boolean;
};

async function probeWebGPU(): Promise<BackendProbe> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } | undefined)?.gpu;
  if (!gpu) return { name: 'webgpu', available: false, detail: 'not supported by this browser' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { name: 'webgpu', available: false, detail: 'no adapter' };
    const info = adapter.info ?? {};
    const text = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
    const software = Boolean(adapter.isFallbackAdapter) || SOFTWARE.test(text);
    return {
      name: 'webgpu',
      available: true,
      software,
      detail: software ? `software adapter (${text || 'fallback'})` : text || 'adapter',
    };
  } catch (e) {
    return { name: 'webgpu', available: false, detail: `adapter request failed: ${(e as Error).message}` };
  }
}

function probeWebGL(): BackendProbe {
  if (typeof OffscreenCanvas === 'undefined')
    return { name: 'webgl', available: false, detail: 'no OffscreenCanvas in this context' };
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
  if (!gl) return { name: 'webgl', available: false, detail: 'no WebGL2 context' };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  const software = SOFTWARE.test(renderer);
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { name: 'webgl', available: true, software, detail: software ? `software renderer (${renderer})` : renderer };
}

function probeWasm(): BackendProbe {
  if (typeof WebAssembly === 'undefined') return { name: 'wasm', available: false, detail: 'no WebAssembly' };
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  return {
    name: 'wasm',
    available: true,
    detail: isolated ? 'threads available (cross-origin isolated)' : 'single thread (page not cross-origin isolated)',
  };
}

/** Probes every backend this context could run. */
export async function probeBackends(): Promise<BackendProbe[]> {
  return [await probeWebGPU(), probeWebGL(), probeWasm(), { name: 'cpu', available: true, detail: 'plain JavaScript' }];
}

let wasmConfigured = false;

/**
 * Chooses and starts a backend. When the chosen one fails to start, falls back along
 * webgpu → webgl → wasm → cpu and says why.
 */
export async function activateBackend(
  requested: BackendName | 'auto',
  wasmPaths?: Readonly<Record<string, string>>,
): Promise<BackendStatus> {
  if (wasmPaths && !wasmConfigured) {
    setWasmPaths(wasmPaths as Record<string, string>);
    // Ask for every core (tfjs asks for half); the WASM build's preallocated pthread pool may still cap
    // it, so the status reports the count the backend actually runs with.
    setThreadsCount(Math.max(1, Math.min(8, globalThis.navigator?.hardwareConcurrency ?? 1)));
    wasmConfigured = true;
  }
  const probes = await probeBackends();
  let choice = chooseBackend(probes, requested);
  const failures: string[] = [];
  for (;;) {
    const started = await tf.setBackend(choice.backend).catch(() => false);
    if (started) break;
    failures.push(`${choice.backend} failed to start`);
    const p = probes.find((x) => x.name === choice.backend)!;
    p.available = false;
    p.detail = 'failed to start';
    choice = chooseBackend(probes, 'auto');
    if (choice.backend === 'cpu' && failures.includes('cpu failed to start'))
      throw new Error('no tfjs backend could start');
  }
  await tf.ready();
  const status: BackendStatus = { backend: choice.backend, reason: choice.reason, probes };
  if (choice.backend === 'wasm') {
    status.threads = getThreadsCount();
    status.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    const wasm = probes.find((p) => p.name === 'wasm')!;
    wasm.detail = `${status.threads} thread${status.threads === 1 ? '' : 's'}${status.simd ? ', SIMD' : ''}`;
    status.reason = chooseBackend(probes, requested).reason;
  }
  if (failures.length) status.reason = `${failures.join('; ')} — ${status.reason}`;
  return status;
}

/** Number of live tensors, for leak checks across the worker boundary. */
export function liveTensors(): number {
  return tf.memory().numTensors;
}
