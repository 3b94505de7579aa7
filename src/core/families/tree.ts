import { accumulateTree, fitTree, type TreeState } from '../classical/decision-tree.ts';
import { createRandom } from '../util/random.ts';
import { defineClassicalFamily } from './classical-family.ts';
import { MAX_DEPTH_FIELD, MIN_LEAF_FIELD } from './fields.ts';

/** A CART decision tree (Gini or squared error), as scikit-learn's DecisionTreeClassifier/Regressor. */
export const tree = defineClassicalFamily<{ maxDepth: number; minSamplesLeaf: number }, TreeState>({
  kind: 'tree',
  label: 'Decision tree',
  description:
    'Splits the rows on one feature at a time into a readable set of rules. Fast and explainable; ' +
    'a deep tree memorises the training rows, so keep the depth small or the leaves large.',
  tasks: ['classification', 'regression'],
  fields: [MAX_DEPTH_FIELD, MIN_LEAF_FIELD],
  searchSpace: [
    { path: 'maxDepth', kind: 'int', lo: 1, hi: 16 },
    { path: 'minSamplesLeaf', kind: 'int', lo: 1, hi: 32, log: true },
  ],
  describe: (p) => `Tree d${p.maxDepth}`,
  fitState: (p, { X, y, n, d, task, classes, seed }) =>
    fitTree(X, y, n, d, {
      criterion: task === 'classification' ? 'gini' : 'mse',
      classes,
      maxDepth: p.maxDepth,
      minSamplesLeaf: p.minSamplesLeaf,
      rng: createRandom(seed),
    }),
  predictState(t, X, n, d) {
    const out = new Float64Array(n * t.width);
    accumulateTree(t, X, n, d, out);
    return out;
  },
});
