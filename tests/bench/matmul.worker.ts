// Benchmark worker: GFLOP/s of a large dense layer (x[1024×1024] · W[1024×1024]) on tfjs WASM,
// in a worker like Benchtop's training worker (SIMD, threads when cross-origin isolated).
import { expose } from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TFJS_WASM_PATHS } from '../../workers/wasm-assets.ts';

expose({
  async dense(size: number, reps: number, threads: number) {
    setWasmPaths(TFJS_WASM_PATHS as Record<string, string>);
    const { setThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
    setThreadsCount(threads);
    await tf.setBackend('wasm');
    await tf.ready();
    const x = tf.randomUniform([size, size]);
    const w = tf.randomUniform([size, size]);
    tf.tidy(() => tf.matMul(x, w).dataSync()); // warm-up
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) tf.tidy(() => tf.matMul(x, w).dataSync());
    const seconds = (performance.now() - t0) / 1000 / reps;
    tf.dispose([x, w]);
    return {
      gflops: (2 * size ** 3) / seconds / 1e9,
      threads: getThreadsCount(),
      simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    };
  },
});
