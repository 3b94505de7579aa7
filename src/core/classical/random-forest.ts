import { createRandom } from '../util/random.ts';
import { accumulateTree, fitTree, type TreeState } from './decision-tree.ts';

export interface ForestState {
  trees: TreeState[];
  width: number;
}

/**
 * Random forest (Breiman 2001): each tree is grown on a bootstrap sample of the rows, trying a
 * random subset of features at each split ('sqrt' → ⌈√d⌉ as scikit-learn does for classifiers);
 * predictions average the trees' class probabilities (or values).
 * Cost: nEstimators × one tree.
 * @param onTree called after each tree with the forest so far (for learning curves).
 */
export function fitForest(
  X: Float32Array,
  y: ArrayLike<number>,
  n: number,
  d: number,
  opt: {
    criterion: 'gini' | 'mse';
    classes: number;
    nEstimators: number;
    maxDepth: number;
    minSamplesLeaf: number;
    maxFeatures: 'sqrt' | 'all';
    seed: number;
  },
  onTree?: (forest: ForestState) => void,
): ForestState {
  const rng = createRandom(opt.seed);
  const maxFeatures = opt.maxFeatures === 'sqrt' ? Math.max(1, Math.ceil(Math.sqrt(d))) : d;
  const forest: ForestState = { trees: [], width: opt.criterion === 'gini' ? opt.classes : 1 };
  const counts = new Float64Array(n);
  for (let t = 0; t < opt.nEstimators; t++) {
    // Bootstrap as sample weights (a row drawn twice counts twice), like scikit-learn.
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rng.int(n)]!++;
    const rows = Uint32Array.from({ length: n }, (_, i) => i).filter((i) => counts[i]! > 0);
    forest.trees.push(
      fitTree(
        X,
        y,
        n,
        d,
        {
          criterion: opt.criterion,
          classes: opt.classes,
          maxDepth: opt.maxDepth,
          minSamplesLeaf: opt.minSamplesLeaf,
          maxFeatures,
          rng,
        },
        counts,
        rows,
      ),
    );
    onTree?.(forest);
  }
  return forest;
}

/** Average of the trees' outputs, n × width. */
export function predictForest(
  f: ForestState,
  X: ArrayLike<number>,
  n: number,
  d: number,
  upTo = f.trees.length,
): Float64Array {
  const out = new Float64Array(n * f.width);
  for (let t = 0; t < upTo; t++) accumulateTree(f.trees[t]!, X, n, d, out, 1 / upTo);
  return out;
}
