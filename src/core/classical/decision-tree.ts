import type { Random } from '../util/random.ts';

/**
 * A fitted CART tree as flat arrays (JSON-friendly). Node i is a leaf when `feature[i] < 0`;
 * otherwise rows with x[feature] <= threshold go to `left[i]`, others to `right[i]`.
 * `value` holds `width` numbers per node: class probabilities, or the mean target.
 */
export interface TreeState {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  width: number;
}

export interface TreeOptions {
  /** 'gini' for classes (y = class index), 'mse' for a real target. */
  criterion: 'gini' | 'mse';
  /** Number of classes for gini. */
  classes: number;
  maxDepth: number;
  minSamplesLeaf: number;
  minSamplesSplit?: number;
  /** Features tried per split; all when undefined. */
  maxFeatures?: number;
  /** Needed when maxFeatures < d. */
  rng?: Random;
}

/**
 * Fits a CART decision tree (Breiman et al. 1984) the way scikit-learn's DecisionTreeClassifier /
 * DecisionTreeRegressor do: best split by Gini impurity or squared error, thresholds halfway between
 * consecutive distinct values, optional sample weights, depth and leaf-size limits.
 * Cost: O(depth · d · n log n).
 * @example fitTree(X, y, n, d, { criterion: 'gini', classes: 2, maxDepth: 3, minSamplesLeaf: 1 })
 */
export function fitTree(
  X: Float32Array,
  y: ArrayLike<number>,
  n: number,
  d: number,
  opt: TreeOptions,
  weights?: ArrayLike<number>,
  rows?: Uint32Array,
): TreeState {
  const width = opt.criterion === 'gini' ? opt.classes : 1;
  const tree: TreeState = { feature: [], threshold: [], left: [], right: [], value: [], width };
  const w = (i: number) => (weights ? weights[i]! : 1);
  const minLeaf = Math.max(1, opt.minSamplesLeaf);
  const minSplit = Math.max(2, opt.minSamplesSplit ?? 2, 2 * minLeaf);
  const featureIdx = Array.from({ length: d }, (_, j) => j);
  const keys = new Float32Array(n);

  function leafValue(idx: Uint32Array): number[] {
    if (opt.criterion === 'gini') {
      const counts = new Array<number>(width).fill(0);
      let total = 0;
      for (const i of idx) {
        counts[y[i]!]! += w(i);
        total += w(i);
      }
      return counts.map((c) => (total > 0 ? c / total : 0));
    }
    let s = 0,
      t = 0;
    for (const i of idx) {
      s += w(i) * y[i]!;
      t += w(i);
    }
    return [t > 0 ? s / t : 0];
  }

  function impurityOf(idx: Uint32Array): number {
    if (opt.criterion === 'gini') {
      const counts = new Float64Array(width);
      let t = 0;
      for (const i of idx) {
        counts[y[i]!]! += w(i);
        t += w(i);
      }
      let g = 1;
      for (const c of counts) g -= (c / t) ** 2;
      return g;
    }
    let s = 0,
      s2 = 0,
      t = 0;
    for (const i of idx) {
      s += w(i) * y[i]!;
      s2 += w(i) * y[i]! * y[i]!;
      t += w(i);
    }
    return s2 / t - (s / t) ** 2;
  }

  function grow(idx: Uint32Array, depth: number): number {
    const node = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(...leafValue(idx));
    if (depth >= opt.maxDepth || idx.length < minSplit || impurityOf(idx) <= 1e-12) return node;

    let candidates = featureIdx;
    if (opt.maxFeatures !== undefined && opt.maxFeatures < d && opt.rng) {
      const f = featureIdx.slice();
      for (let i = 0; i < opt.maxFeatures; i++) {
        const j = i + opt.rng.int(d - i);
        [f[i], f[j]] = [f[j]!, f[i]!];
      }
      candidates = f.slice(0, opt.maxFeatures);
    }

    let bestScore = Infinity,
      bestFeature = -1,
      bestThreshold = 0;
    const m = idx.length;
    const sorted = new Uint32Array(m);
    const leftCounts = new Float64Array(width),
      totalCounts = new Float64Array(width);
    let totalW = 0,
      totalS = 0,
      totalS2 = 0;
    for (const i of idx) {
      totalW += w(i);
      if (opt.criterion === 'gini') totalCounts[y[i]!]! += w(i);
      else {
        totalS += w(i) * y[i]!;
        totalS2 += w(i) * y[i]! * y[i]!;
      }
    }
    for (const f of candidates) {
      for (let a = 0; a < m; a++) {
        sorted[a] = idx[a]!;
        keys[idx[a]!] = X[idx[a]! * d + f]!;
      }
      sorted.sort((a, b) => keys[a]! - keys[b]! || a - b);
      if (keys[sorted[0]!] === keys[sorted[m - 1]!]) continue;
      leftCounts.fill(0);
      let lw = 0,
        ls = 0,
        ls2 = 0;
      for (let p = 0; p < m - 1; p++) {
        const i = sorted[p]!;
        const wi = w(i);
        lw += wi;
        if (opt.criterion === 'gini') leftCounts[y[i]!]! += wi;
        else {
          ls += wi * y[i]!;
          ls2 += wi * y[i]! * y[i]!;
        }
        const nLeft = p + 1;
        if (nLeft < minLeaf || m - nLeft < minLeaf) continue;
        const a = keys[i]!,
          b = keys[sorted[p + 1]!]!;
        if (a === b) continue;
        const rw = totalW - lw;
        if (lw <= 0 || rw <= 0) continue;
        let score: number;
        if (opt.criterion === 'gini') {
          let gl = 1,
            gr = 1;
          for (let c = 0; c < width; c++) {
            gl -= (leftCounts[c]! / lw) ** 2;
            gr -= ((totalCounts[c]! - leftCounts[c]!) / rw) ** 2;
          }
          score = lw * gl + rw * gr;
        } else {
          const rs = totalS - ls,
            rs2 = totalS2 - ls2;
          score = ls2 - (ls * ls) / lw + (rs2 - (rs * rs) / rw);
        }
        if (bestFeature < 0 || score < bestScore - 1e-12 * Math.abs(bestScore)) {
          bestScore = score;
          bestFeature = f;
          let t = (a + b) / 2;
          if (t === b) t = a;
          bestThreshold = t;
        }
      }
    }
    if (bestFeature < 0) return node;
    const leftIdx: number[] = [],
      rightIdx: number[] = [];
    for (const i of idx) (X[i * d + bestFeature]! <= bestThreshold ? leftIdx : rightIdx).push(i);
    tree.feature[node] = bestFeature;
    tree.threshold[node] = bestThreshold;
    tree.left[node] = grow(Uint32Array.from(leftIdx), depth + 1);
    tree.right[node] = grow(Uint32Array.from(rightIdx), depth + 1);
    return node;
  }

  grow(rows ?? Uint32Array.from({ length: n }, (_, i) => i), 0);
  return tree;
}

/** The leaf a row falls in. */
export function treeLeaf(tree: TreeState, X: ArrayLike<number>, row: number, d: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0)
    node = X[row * d + tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  return node;
}

/** Adds `scale` × the leaf value of each row into `out` (n × width). */
export function accumulateTree(
  tree: TreeState,
  X: ArrayLike<number>,
  n: number,
  d: number,
  out: Float64Array,
  scale = 1,
): void {
  const wdt = tree.width;
  for (let r = 0; r < n; r++) {
    const leaf = treeLeaf(tree, X, r, d);
    for (let c = 0; c < wdt; c++) out[r * wdt + c]! += scale * tree.value[leaf * wdt + c]!;
  }
}

/** Number of nodes and depth, for display. */
export function treeSize(tree: TreeState): { nodes: number; leaves: number; depth: number } {
  const depthOf = (node: number): number =>
    tree.feature[node]! < 0 ? 0 : 1 + Math.max(depthOf(tree.left[node]!), depthOf(tree.right[node]!));
  return { nodes: tree.feature.length, leaves: tree.feature.filter((f) => f < 0).length, depth: depthOf(0) };
}
