// The app serves every .wasm itself (no CDN): Vite copies these files into the build and gives
// their hashed URLs; the service worker precaches them for offline use.
import tfjsWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import tfjsWasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import tfjsWasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import ortWebgpuWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortWebgpuMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';

/** File name → same-origin URL, for `setWasmPaths`. */
export const TFJS_WASM_PATHS: Readonly<Record<string, string>> = Object.freeze({
  'tfjs-backend-wasm.wasm': tfjsWasm,
  'tfjs-backend-wasm-simd.wasm': tfjsWasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': tfjsWasmThreadedSimd,
});

/** onnxruntime-web's WASM runtime (SIMD + threads build) and its loader, for `ort.env.wasm.wasmPaths`. */
export const ORT_WASM_PATHS: Readonly<{ wasm: string; mjs: string }> = Object.freeze({ wasm: ortWasm, mjs: ortMjs });

/**
 * onnxruntime-web's WebGPU build (its asyncify runtime, 27 MB): fetched only when a model first runs on
 * ORT's WebGPU execution provider, then cached by the service worker.
 */
export const ORT_WEBGPU_PATHS: Readonly<{ wasm: string; mjs: string }> = Object.freeze({
  wasm: ortWebgpuWasm,
  mjs: ortWebgpuMjs,
});
