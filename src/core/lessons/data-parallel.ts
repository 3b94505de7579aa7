import { createRandom } from '../util/random.ts';

/**
 * Data-parallel training of softmax regression, for the lesson: each worker holds a shard and returns
 * the gradient of the mean cross-entropy on a mini-batch it draws; a parameter server combines them.
 * - synchronous SGD: every step waits for all workers and applies the average gradient (one model
 *   version per step; the slowest worker sets the pace);
 * - asynchronous SGD: each worker reads the current weights, computes, and the server applies its
 *   gradient at once — fast workers do not wait, but gradients are computed on stale weights
 *   (staleness = versions applied since the worker read them).
 * Weights: (d + 1) × k, row-major, the last row the bias.
 */
export interface GradientWorker {
  /** The gradient and mini-batch loss at `W` on `batch` rows of this worker's shard drawn with `seed`. */
  grad(W: Float32Array, batch: number, seed: number): Promise<{ grad: Float32Array; loss: number }>;
}

/** Loss and gradient of softmax regression on rows `idx` of X (n × d) with labels y. */
export function softmaxLossGrad(
  X: Float32Array,
  y: Int32Array,
  d: number,
  k: number,
  W: Float32Array,
  idx: ArrayLike<number>,
): { grad: Float32Array; loss: number } {
  const g = new Float32Array((d + 1) * k);
  const z = new Float64Array(k);
  let loss = 0;
  const m = idx.length;
  for (let t = 0; t < m; t++) {
    const i = idx[t]!;
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let s = W[d * k + c]!;
      for (let j = 0; j < d; j++) s += X[i * d + j]! * W[j * k + c]!;
      z[c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += z[c] = Math.exp(z[c]! - max);
    for (let c = 0; c < k; c++) {
      const p = z[c]! / sum,
        diff = (p - (y[i] === c ? 1 : 0)) / m;
      if (y[i] === c) loss -= Math.log(Math.max(p, 1e-12));
      for (let j = 0; j < d; j++) g[j * k + c]! += diff * X[i * d + j]!;
      g[d * k + c]! += diff;
    }
  }
  return { grad: g, loss: loss / m };
}

/** A worker's local computation over its shard (also what the Web Worker runs). */
export function shardGradient(X: Float32Array, y: Int32Array, d: number, k: number) {
  const n = y.length;
  return (W: Float32Array, batch: number, seed: number) => {
    const rng = createRandom(seed);
    const idx = Int32Array.from({ length: Math.min(batch, n) }, () => rng.int(n));
    return softmaxLossGrad(X, y, d, k, W, idx);
  };
}

export interface DpTrace {
  /** Per evaluation point: gradient computations so far, server steps (model versions), wall ms, loss. */
  gradients: number[];
  steps: number[];
  ms: number[];
  loss: number[];
  /** Staleness of every applied gradient (async; 0 for sync). */
  staleness: number[];
}

export interface DpOptions {
  d: number;
  k: number;
  /** Loss is measured on these rows. */
  evalLoss: (W: Float32Array) => number;
  /** Global batch (sync: split evenly across workers; async: each worker's batch is global / workers). */
  batch: number;
  lr: number;
  /** Gradient computations in total (same budget for both). */
  budget: number;
  seed: number;
  evalEvery: number;
  isCancelled?: () => boolean;
}

/** Zero weights, a trace with the starting loss, and a recorder of evaluation points. */
function start(o: DpOptions) {
  const W = new Float32Array((o.d + 1) * o.k);
  const tr: DpTrace = { gradients: [0], steps: [0], ms: [0], loss: [o.evalLoss(W)], staleness: [] };
  const t0 = performance.now();
  const record = (gradients: number, steps: number) => {
    tr.gradients.push(gradients);
    tr.steps.push(steps);
    tr.ms.push(performance.now() - t0);
    tr.loss.push(o.evalLoss(W));
  };
  return { W, tr, record };
}

export async function syncSgd(workers: GradientWorker[], o: DpOptions): Promise<DpTrace> {
  const { W, tr, record } = start(o);
  const per = Math.max(1, Math.floor(o.batch / workers.length));
  let grads = 0,
    step = 0;
  while (grads < o.budget && !o.isCancelled?.()) {
    const res = await Promise.all(workers.map((w, i) => w.grad(W, per, o.seed * 100003 + step * 131 + i)));
    for (let j = 0; j < W.length; j++) {
      let s = 0;
      for (const r of res) s += r.grad[j]!;
      W[j]! -= (o.lr * s) / res.length;
    }
    grads += workers.length;
    step++;
    for (let i = 0; i < workers.length; i++) tr.staleness.push(0);
    if (step % o.evalEvery === 0 || grads >= o.budget) record(grads, step);
  }
  return tr;
}

export async function asyncSgd(workers: GradientWorker[], o: DpOptions): Promise<DpTrace> {
  const { W, tr, record } = start(o);
  const per = Math.max(1, Math.floor(o.batch / workers.length));
  let version = 0,
    started = 0;
  const loop = async (w: GradientWorker, i: number) => {
    while (started < o.budget && !o.isCancelled?.()) {
      const read = version,
        seed = o.seed * 100003 + started * 131 + i;
      started++;
      const r = await w.grad(Float32Array.from(W), per, seed);
      // Each gradient is scaled as its share of a synchronous step would be: lr / workers.
      for (let j = 0; j < W.length; j++) W[j]! -= (o.lr / workers.length) * r.grad[j]!;
      tr.staleness.push(version - read);
      version++;
      if (version % (o.evalEvery * workers.length) === 0 || version >= o.budget) record(version, version);
    }
  };
  await Promise.all(workers.map(loop));
  return tr;
}
