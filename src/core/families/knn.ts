import { fitKnn, predictKnn, type KnnState } from '../classical/knn.ts';
import { defineClassicalFamily } from './classical-family.ts';

/** k-nearest neighbours on the standardised inputs (Euclidean), as scikit-learn's KNeighbors*. */
export const knn = defineClassicalFamily<{ k: number; knnWeights: string }, KnnState>({
  kind: 'knn',
  label: 'k-nearest neighbours',
  description:
    'Predicts from the k training rows closest to each row. No training cost, but it keeps every ' +
    'row and predicts slowly on large tables; every feature counts equally after scaling.',
  tasks: ['classification', 'regression'],
  fields: [
    {
      name: 'k',
      label: 'Neighbours (k)',
      help: 'How many nearest rows vote.',
      group: 'model',
      type: 'int',
      default: 5,
      min: 1,
      max: 'rows',
    },
    {
      name: 'knnWeights',
      label: 'Weights',
      help: 'Every neighbour counts the same, or closer ones count more.',
      group: 'model',
      type: 'choice',
      default: 'uniform',
      choices: ['uniform', 'distance'],
      choiceLabels: { uniform: 'uniform', distance: 'by distance' },
      flag: 'knn-weights',
    },
  ],
  searchSpace: [
    { path: 'k', kind: 'int', lo: 1, hi: 50, log: true },
    { path: 'knnWeights', kind: 'choice', values: ['uniform', 'distance'] },
  ],
  describe: (p) => `kNN k=${p.k}`,
  fitState: (p, { X, y, n, d, task, classes }) =>
    fitKnn(
      X,
      y,
      n,
      d,
      p.k,
      p.knnWeights === 'distance' ? 'distance' : 'uniform',
      task === 'classification' ? classes : 0,
    ),
  predictState: (s, X, n) => predictKnn(s, X, n),
});
