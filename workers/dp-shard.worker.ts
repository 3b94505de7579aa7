// One data-parallel training worker (the lesson on synchronous vs asynchronous SGD): holds a shard of
// the data and returns mini-batch gradients of softmax regression at the weights it is sent.
import { expose } from 'comlink';
import { shardGradient } from '../src/core/lessons/data-parallel.ts';

let compute: ReturnType<typeof shardGradient> | null = null;
let delayMs = 0;

expose({
  init(X: Float32Array, y: Int32Array, d: number, k: number, delay: number) {
    compute = shardGradient(X, y, d, k);
    delayMs = delay;
  },
  async grad(W: Float32Array, batch: number, seed: number) {
    if (!compute) throw new Error('shard not initialized');
    // An optional straggler: this worker is slower by `delay` ms per gradient.
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    return compute(W, batch, seed);
  },
});
