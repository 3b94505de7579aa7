import { fitNaiveBayes, predictNaiveBayes, type NaiveBayesState } from '../classical/naive-bayes.ts';
import { defineClassicalFamily } from './classical-family.ts';

/** Gaussian naive Bayes, as scikit-learn's GaussianNB. */
export const naiveBayes = defineClassicalFamily<{ varSmoothing: number }, NaiveBayesState>({
  kind: 'naive-bayes',
  label: 'Gaussian naive Bayes',
  description:
    'Treats features as independent normal variables within each class. Very fast and needs little ' +
    'data; its probabilities are often overconfident — calibrate them.',
  tasks: ['classification'],
  fields: [
    {
      name: 'varSmoothing',
      label: 'Variance smoothing',
      help: "Portion of the largest variance added to every variance (scikit-learn's var_smoothing).",
      group: 'model',
      type: 'float',
      default: 1e-9,
      min: 0,
      max: 1,
      flag: 'var-smoothing',
    },
  ],
  searchSpace: [{ path: 'varSmoothing', kind: 'float', lo: 1e-12, hi: 1e-2, log: true }],
  describe: () => 'Naive Bayes',
  fitState: (p, { X, y, n, d, classes }) => fitNaiveBayes(X, y, n, d, classes, p.varSmoothing),
  predictState: (s, X, n) => predictNaiveBayes(s, X, n),
});
