import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import pkg from './package.json' with { type: 'json' };
import { SECURITY_HEADERS, securityHeaders } from './src/app/csp.ts';

/**
 * tfjs-backend-wasm starts its pthreads from `factory.toString()` in a Blob. Its Emscripten factory
 * reads `_scriptDir` from an enclosing closure, guarded by `typeof`; a minifier that knows the
 * variable is declared drops the guard, and the Blob worker then dies with "e is not defined".
 * Those two reads only matter when no `mainScriptUrlOrBlob`/`locateFile` is given, and tfjs always
 * gives both, so we cut them out of the factory before it is bundled.
 */
function tfjsWasmThreadsFix(): Plugin {
  return {
    name: 'benchtop-tfjs-wasm-threads-fix',
    enforce: 'pre',
    transform(code, id) {
      if (!/tfjs-backend-wasm-threaded-simd\.js$/.test(id.split('?')[0]!)) return null;
      const fixed = code
        .replace('typeof _scriptDir !== "undefined" && _scriptDir', 'false')
        .replace('Module["mainScriptUrlOrBlob"]||_scriptDir', 'Module["mainScriptUrlOrBlob"]');
      if (fixed.split('_scriptDir').length !== 5)
        this.error('tfjs-backend-wasm changed: review benchtop-tfjs-wasm-threads-fix');
      return { code: fixed, map: null };
    },
  };
}

export default defineConfig({
  plugins: [
    svelte(),
    // CSP + COOP/COEP on dev and preview responses, and dist/_headers for production hosts.
    securityHeaders(),
    tfjsWasmThreadsFix(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: null,
      manifest: {
        name: 'Benchtop',
        short_name: 'Benchtop',
        description: 'An ML workbench in a browser tab',
        theme_color: '#1f2937',
        icons: [],
      },
      workbox: {
        // Everything the app needs offline: code, wasm, shipped datasets and models.
        globPatterns: ['**/*.{js,mjs,css,html,wasm,csv,json,tsv,bin,svg,onnx}'],
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        // onnxruntime-web's WebGPU runtime (27 MB) is fetched only when first used, then kept.
        globIgnores: ['**/ort-wasm-simd-threaded.asyncify*'],
        runtimeCaching: [
          {
            urlPattern: /ort-wasm-simd-threaded\.asyncify.*\.(wasm|mjs)$/,
            handler: 'CacheFirst',
            options: { cacheName: 'ort-webgpu-runtime' },
          },
        ],
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
  server: { headers: { ...SECURITY_HEADERS } },
  preview: { headers: { ...SECURITY_HEADERS } },
  worker: { format: 'es', plugins: () => [tfjsWasmThreadsFix()] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      // The benchmark page is built only for `npm run bench` (BENCHTOP_BENCH=1), never shipped.
      input: process.env.BENCHTOP_BENCH ? { main: 'index.html', bench: 'bench.html' } : { main: 'index.html' },
    },
  },
  optimizeDeps: {
    exclude: ['@tensorflow/tfjs-backend-wasm', 'onnxruntime-web'],
  },
});
