import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __APP_VERSION__: JSON.stringify('test') },
  // onnxruntime-web's WASM-only bundle is for browsers; in Node the package's own Node entry runs the same WASM.
  resolve: { alias: [{ find: /^onnxruntime-web\/wasm$/, replacement: 'onnxruntime-web' }] },
  test: {
    include: [
      'src/**/*.test.ts',
      'workers/**/*.test.ts',
      'bin/**/*.test.ts',
      'tests/unit/**/*.test.ts',
      'tests/corpus/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
    // Fitting fixtures in beforeAll takes seconds; a loaded 2-core machine must not turn that into a failure.
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
