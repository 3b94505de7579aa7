import { fitBoost, predictBoost, type BoostState } from '../classical/gradient-boosting.ts';
import { defineClassicalFamily } from './classical-family.ts';
import { MAX_DEPTH_FIELD, MIN_LEAF_FIELD, TREES_FIELD } from './fields.ts';

type BoostParams = {
  nEstimators: number;
  boostLearningRate: number;
  maxDepth: number;
  minSamplesLeaf: number;
  subsample: number;
};

/** Gradient-boosted trees (Friedman 2001): each tree fits the gradient of the loss of the sum so far. */
export const gbt = defineClassicalFamily<BoostParams, BoostState>({
  kind: 'gbt',
  label: 'Gradient-boosted trees',
  description:
    'Shallow trees added one at a time, each correcting the errors of the sum so far, shrunk by the ' +
    'boosting rate. Often the most accurate on tables; many deep rounds overfit — watch validation loss.',
  tasks: ['classification', 'regression'],
  fields: [
    { ...TREES_FIELD, label: 'Boosting rounds' },
    {
      name: 'boostLearningRate',
      label: 'Boosting rate',
      help: 'Shrinkage of each round (smaller needs more rounds, generalises better).',
      group: 'model',
      type: 'float',
      default: 0.1,
      min: 1e-4,
      max: 1,
      flag: 'boost-lr',
    },
    MAX_DEPTH_FIELD,
    MIN_LEAF_FIELD,
    {
      name: 'subsample',
      label: 'Row subsample',
      help: 'Share of rows each round sees (1 = all; less is stochastic boosting).',
      group: 'model',
      type: 'float',
      default: 1,
      min: 0.05,
      max: 1,
    },
  ],
  searchSpace: [
    { path: 'nEstimators', kind: 'int', lo: 10, hi: 200, log: true },
    { path: 'boostLearningRate', kind: 'float', lo: 0.01, hi: 0.5, log: true },
    { path: 'maxDepth', kind: 'int', lo: 1, hi: 6 },
    { path: 'subsample', kind: 'float', lo: 0.5, hi: 1 },
  ],
  describe: (p) => `GBT ${p.nEstimators}×d${p.maxDepth}`,
  rounds: (p) => p.nEstimators,
  fitState: (p, { X, y, n, d, task, classes, seed }, onRound, every = 1) =>
    fitBoost(
      X,
      y,
      n,
      d,
      {
        task,
        classes,
        nEstimators: p.nEstimators,
        learningRate: p.boostLearningRate,
        maxDepth: p.maxDepth,
        minSamplesLeaf: p.minSamplesLeaf,
        subsample: p.subsample,
        seed,
      },
      (s, r) => {
        if (onRound && (r % every === 0 || r === p.nEstimators)) onRound(r, (Xq, m) => predictBoost(s, Xq, m, d, r));
      },
    ),
  predictState: (s, X, n, d) => predictBoost(s, X, n, d),
});
