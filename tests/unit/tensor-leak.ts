import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/**
 * Runs `fn` and asserts that it left no tensor behind (`tf.memory().numTensors` unchanged), the
 * tfjs-core habit for every core call that touches tensors.
 */
export async function expectNoTensorLeak<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  expect(tf.memory().numTensors, 'tensors leaked').toBe(before);
  return out;
}
