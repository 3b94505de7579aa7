import { fitLinearSvm, predictLinearSvm, type LinearSvmState } from '../classical/linear-svm.ts';
import { defineClassicalFamily } from './classical-family.ts';

/** A linear support-vector machine (squared hinge, L2), as scikit-learn's `LinearSVC`. */
export const linearSvm = defineClassicalFamily<{ C: number; tol: number; maxIter: number }, LinearSvmState>({
  kind: 'linear-svm',
  label: 'Linear SVM',
  description:
    'A linear boundary with the widest margin between the classes (one-vs-rest for more than two). ' +
    'Robust on many features and few rows; it gives scores, not probabilities — calibrate it.',
  tasks: ['classification'],
  fields: [
    {
      name: 'C',
      label: 'C (inverse regularisation)',
      help: 'Larger C fits the training rows harder; smaller C widens the margin.',
      group: 'model',
      type: 'float',
      default: 1,
      min: 1e-6,
      max: 1e6,
      flag: 'svm-c',
    },
    {
      name: 'tol',
      label: 'Tolerance',
      help: 'Stop when the dual projected gradient spreads less than this.',
      group: 'model',
      type: 'float',
      default: 1e-4,
      min: 1e-12,
      max: 1,
      flag: 'svm-tol',
    },
    {
      name: 'maxIter',
      label: 'Max passes',
      help: 'Coordinate-descent passes over the rows at most.',
      group: 'model',
      type: 'int',
      default: 1000,
      min: 1,
      max: 100000,
      flag: 'svm-max-iter',
    },
  ],
  searchSpace: [{ path: 'C', kind: 'float', lo: 1e-3, hi: 1e2, log: true }],
  describe: (p) => `Linear SVM C=${p.C}`,
  fitState: (p, { X, y, n, d, classes, seed }) =>
    fitLinearSvm(X, y, n, d, classes, { C: p.C, tol: p.tol, maxIter: p.maxIter, seed }),
  predictState: (s, X, n) => predictLinearSvm(s, X, n),
});
