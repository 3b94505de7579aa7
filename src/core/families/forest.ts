import { fitForest, predictForest, type ForestState } from '../classical/random-forest.ts';
import { defineClassicalFamily } from './classical-family.ts';
import { MAX_DEPTH_FIELD, MIN_LEAF_FIELD, TREES_FIELD } from './fields.ts';

type ForestParams = { nEstimators: number; maxDepth: number; minSamplesLeaf: number; maxFeatures: string };

/** A random forest: bootstrapped trees on random feature subsets, averaged (Breiman 2001). */
export const forest = defineClassicalFamily<ForestParams, ForestState>({
  kind: 'forest',
  label: 'Random forest',
  description:
    'Many trees, each fitted on a bootstrap sample with a random subset of features per split, ' +
    'averaged. A strong default on tables; costs memory and prediction time per tree.',
  tasks: ['classification', 'regression'],
  fields: [
    TREES_FIELD,
    MAX_DEPTH_FIELD,
    MIN_LEAF_FIELD,
    {
      name: 'maxFeatures',
      label: 'Features per split',
      help: 'Features tried at each split: √d (decorrelates the trees) or all.',
      group: 'model',
      type: 'choice',
      default: 'sqrt',
      choices: ['sqrt', 'all'],
      choiceLabels: { sqrt: '√d', all: 'all' },
      flag: 'max-features',
    },
  ],
  searchSpace: [
    { path: 'nEstimators', kind: 'int', lo: 10, hi: 200, log: true },
    { path: 'maxDepth', kind: 'int', lo: 2, hi: 16 },
    { path: 'minSamplesLeaf', kind: 'int', lo: 1, hi: 16, log: true },
    { path: 'maxFeatures', kind: 'choice', values: ['sqrt', 'all'] },
  ],
  describe: (p) => `Forest ${p.nEstimators}×d${p.maxDepth}`,
  rounds: (p) => p.nEstimators,
  fitState: (p, { X, y, n, d, task, classes, seed }, onRound, every = 1) =>
    fitForest(
      X,
      y,
      n,
      d,
      {
        criterion: task === 'classification' ? 'gini' : 'mse',
        classes,
        nEstimators: p.nEstimators,
        maxDepth: p.maxDepth,
        minSamplesLeaf: p.minSamplesLeaf,
        maxFeatures: p.maxFeatures === 'all' ? 'all' : 'sqrt',
        seed,
      },
      (f) => {
        const t = f.trees.length;
        if (onRound && (t % every === 0 || t === p.nEstimators)) onRound(t, (Xq, m) => predictForest(f, Xq, m, d, t));
      },
    ),
  predictState: (s, X, n, d) => predictForest(s, X, n, d),
});
