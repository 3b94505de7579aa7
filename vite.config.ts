import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Cross-origin isolation (COOP + COEP) on every server we run: it unlocks SharedArrayBuffer,
 * which tfjs-backend-wasm and onnxruntime-web need for their multi-threaded builds.
 * Production hosts get the same headers from `public/_headers` (see README).
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Preview serves `.wasm` with the right MIME type already; this only pins the headers on every response. */
function isolation(): Plugin {
  return {
    name: 'benchtop-isolation',
    configureServer(server) {
      server.middlewares.use((_req, res, next) => {
        for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
        next();
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use((_req, res, next) => {
        for (const [k, v] of Object.entries(isolationHeaders)) res.setHeader(k, v);
        next();
      });
    },
  };
}

export default defineConfig({
  plugins: [
    svelte(),
    isolation(),
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
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      input: { main: 'index.html', bench: 'bench.html' },
    },
  },
  optimizeDeps: {
    exclude: ['@tensorflow/tfjs-backend-wasm', 'onnxruntime-web'],
  },
});
