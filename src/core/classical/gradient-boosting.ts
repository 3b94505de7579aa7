import { createRandom } from '../util/random.ts';
import { fitTree, treeLeaf, type TreeState } from './decision-tree.ts';

/**
 * Gradient-boosted trees (Friedman 2001) as scikit-learn's GradientBoostingClassifier/Regressor:
 * - regression: squared error, F₀ = mean, each tree fits y − F, leaves are mean residuals;
 * - binary: log-loss, F₀ = log-odds of the prior, trees fit y − σ(F), leaves take the Newton step
 *   Σr / Σp(1−p);
 * - multi-class: one tree per class per round on yₖ − softmaxₖ(F), leaves (K−1)/K · Σr / Σ|r|(1−|r|).
 * Each tree splits by squared error (Friedman's MSE gives the same splits); F += rate × leaf.
 */
export interface BoostState {
  mode: 'regression' | 'binary' | 'multiclass';
  init: number[];
  rate: number;
  /** rounds × trees-per-round (1, or K for multi-class). */
  rounds: TreeState[][];
  classes: number;
}

export interface BoostOptions {
  task: 'classification' | 'regression';
  classes: number;
  nEstimators: number;
  learningRate: number;
  maxDepth: number;
  minSamplesLeaf: number;
  subsample: number;
  seed: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Raw scores F (n × width) of the first `upTo` rounds. */
function rawScores(s: BoostState, X: ArrayLike<number>, n: number, d: number, upTo = s.rounds.length): Float64Array {
  const width = s.mode === 'multiclass' ? s.classes : 1;
  const F = new Float64Array(n * width);
  for (let i = 0; i < n; i++) for (let c = 0; c < width; c++) F[i * width + c] = s.init[c]!;
  for (let r = 0; r < upTo; r++) {
    const trees = s.rounds[r]!;
    for (let c = 0; c < trees.length; c++)
      for (let i = 0; i < n; i++) F[i * width + c]! += s.rate * trees[c]!.value[treeLeaf(trees[c]!, X, i, d)]!;
  }
  return F;
}

/** Probabilities (n × K) for classification, or predictions (n) for regression. */
export function predictBoost(
  s: BoostState,
  X: ArrayLike<number>,
  n: number,
  d: number,
  upTo = s.rounds.length,
): Float64Array {
  const F = rawScores(s, X, n, d, upTo);
  if (s.mode === 'regression') return F;
  if (s.mode === 'binary') {
    const out = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(F[i]!);
      out[i * 2] = 1 - p;
      out[i * 2 + 1] = p;
    }
    return out;
  }
  const K = s.classes;
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let c = 0; c < K; c++) m = Math.max(m, F[i * K + c]!);
    let z = 0;
    for (let c = 0; c < K; c++) z += Math.exp(F[i * K + c]! - m);
    for (let c = 0; c < K; c++) out[i * K + c] = Math.exp(F[i * K + c]! - m) / z;
  }
  return out;
}

/**
 * Fits boosted trees. `onRound` sees the model after each round (for learning curves and early stop).
 * Cost: nEstimators × width × one regression tree.
 */
export function fitBoost(
  X: Float32Array,
  y: ArrayLike<number>,
  n: number,
  d: number,
  opt: BoostOptions,
  onRound?: (s: BoostState, round: number) => void,
): BoostState {
  const rng = createRandom(opt.seed);
  const mode: BoostState['mode'] =
    opt.task === 'regression' ? 'regression' : opt.classes === 2 ? 'binary' : 'multiclass';
  const width = mode === 'multiclass' ? opt.classes : 1;
  let init: number[];
  if (mode === 'regression') {
    let s = 0;
    for (let i = 0; i < n; i++) s += y[i]!;
    init = [s / n];
  } else {
    const counts = new Float64Array(opt.classes);
    for (let i = 0; i < n; i++) counts[y[i]!]!++;
    const eps = 1e-12;
    init =
      mode === 'binary'
        ? [Math.log(Math.max(eps, counts[1]! / n) / Math.max(eps, counts[0]! / n))]
        : Array.from(counts, (c) => Math.log(Math.max(eps, c / n)));
  }
  const state: BoostState = { mode, init, rate: opt.learningRate, rounds: [], classes: opt.classes };
  const F = new Float64Array(n * width);
  for (let i = 0; i < n; i++) for (let c = 0; c < width; c++) F[i * width + c] = init[c]!;
  const residual = new Float64Array(n);
  const prob = new Float64Array(n * width);
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  for (let round = 0; round < opt.nEstimators; round++) {
    let rows = all;
    if (opt.subsample < 1) {
      const m = Math.max(1, Math.round(opt.subsample * n));
      const perm = all.slice();
      for (let i = 0; i < m; i++) {
        const j = i + rng.int(n - i);
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      rows = perm.slice(0, m).sort();
    }
    if (mode === 'multiclass') {
      for (let i = 0; i < n; i++) {
        let m = -Infinity;
        for (let c = 0; c < width; c++) m = Math.max(m, F[i * width + c]!);
        let z = 0;
        for (let c = 0; c < width; c++) z += Math.exp(F[i * width + c]! - m);
        for (let c = 0; c < width; c++) prob[i * width + c] = Math.exp(F[i * width + c]! - m) / z;
      }
    }
    const trees: TreeState[] = [];
    for (let c = 0; c < width; c++) {
      for (let i = 0; i < n; i++) {
        if (mode === 'regression') residual[i] = y[i]! - F[i]!;
        else if (mode === 'binary') residual[i] = y[i]! - sigmoid(F[i]!);
        else residual[i] = (y[i] === c ? 1 : 0) - prob[i * width + c]!;
      }
      const tree = fitTree(
        X,
        residual,
        n,
        d,
        { criterion: 'mse', classes: 1, maxDepth: opt.maxDepth, minSamplesLeaf: opt.minSamplesLeaf },
        undefined,
        rows,
      );
      if (mode !== 'regression') {
        // Newton step per leaf, over the rows used to grow the tree.
        const num = new Float64Array(tree.feature.length),
          den = new Float64Array(tree.feature.length);
        for (const i of rows) {
          const leaf = treeLeaf(tree, X, i, d);
          const r = residual[i]!;
          num[leaf]! += r;
          den[leaf]! += mode === 'binary' ? (y[i]! - r) * (1 - y[i]! + r) : Math.abs(r) * (1 - Math.abs(r));
        }
        const scale = mode === 'multiclass' ? (width - 1) / width : 1;
        for (let l = 0; l < tree.feature.length; l++)
          if (tree.feature[l]! < 0) tree.value[l] = den[l]! < 1e-150 ? 0 : (scale * num[l]!) / den[l]!;
      }
      for (let i = 0; i < n; i++) F[i * width + c]! += opt.learningRate * tree.value[treeLeaf(tree, X, i, d)]!;
      trees.push(tree);
    }
    state.rounds.push(trees);
    onRound?.(state, round + 1);
  }
  return state;
}
