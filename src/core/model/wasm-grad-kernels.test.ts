import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../util/random.ts';
import { registerWasmGradKernels } from './wasm-grad-kernels.ts';

registerWasmGradKernels();

function rand(shape: number[], seed: number): Float32Array {
  const r = createRandom(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.next() * 2 - 1);
}

/** Gradients of sum(f(x, w)²) with respect to x and w, on one backend. */
async function grads(backend: string, f: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor, xs: number[], ws: number[]) {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const x = tf.tensor4d(rand(xs, 1), xs as [number, number, number, number]);
  const w = tf.tensor4d(rand(ws, 2), ws as [number, number, number, number]);
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(f(a as tf.Tensor4D, b as tf.Tensor4D))));
  const [dx, dw] = g([x, w]);
  const out = [await dx!.data(), await dw!.data()];
  tf.dispose([x, w, dx!, dw!]);
  expect(tf.memory().numTensors, `${backend} leaked tensors`).toBe(before);
  return out;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return m;
}

// The WASM gradients (our kernels) are compared with the CPU backend's reference implementation.
describe('WASM gradient kernels match the CPU backend', () => {
  const cases: [string, number[], number[], (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor][] = [
    ['conv2d 3×3 same, stride 1', [2, 8, 8, 1], [3, 3, 1, 4], (x, w) => tf.conv2d(x, w, 1, 'same')],
    ['conv2d 3×3 valid, stride 2, 3→5 channels', [3, 9, 9, 3], [3, 3, 3, 5], (x, w) => tf.conv2d(x, w, 2, 'valid')],
    ['conv2d 2×2 same, stride 2 on odd size', [2, 7, 7, 2], [2, 2, 2, 3], (x, w) => tf.conv2d(x, w, 2, 'same')],
    [
      'depthwise 3×3 same, stride 1, multiplier 2',
      [2, 6, 6, 3],
      [3, 3, 3, 2],
      (x, w) => tf.depthwiseConv2d(x, w, 1, 'same'),
    ],
    ['depthwise 3×3 valid, stride 2', [2, 9, 9, 2], [3, 3, 2, 1], (x, w) => tf.depthwiseConv2d(x, w, 2, 'valid')],
    ['depthwise 3×3 same, stride 2', [1, 8, 8, 2], [3, 3, 2, 1], (x, w) => tf.depthwiseConv2d(x, w, 2, 'same')],
  ];
  for (const [name, xs, ws, f] of cases) {
    it(name, async () => {
      const [cpuDx, cpuDw] = await grads('cpu', f, xs, ws);
      const [wasmDx, wasmDw] = await grads('wasm', f, xs, ws);
      expect(maxRelDiff(wasmDx!, cpuDx!)).toBeLessThan(1e-4);
      expect(maxRelDiff(wasmDw!, cpuDw!)).toBeLessThan(1e-4);
    });
  }
});
