// The app serves every .wasm itself (no CDN): Vite copies these files into the build and gives
// their hashed URLs; the service worker precaches them for offline use.
import tfjsWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import tfjsWasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import tfjsWasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** File name → same-origin URL, for `setWasmPaths`. */
export const TFJS_WASM_PATHS: Readonly<Record<string, string>> = Object.freeze({
  'tfjs-backend-wasm.wasm': tfjsWasm,
  'tfjs-backend-wasm-simd.wasm': tfjsWasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': tfjsWasmThreadedSimd,
});

