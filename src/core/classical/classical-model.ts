import type { Task } from '../data/preprocess.ts';
import type { ClassicalKind, ClassicalState, ModelSpec } from '../model/spec.ts';
import { createRandom } from '../util/random.ts';
import { accumulateTree, fitTree, type TreeState } from './decision-tree.ts';
import { fitBoost, predictBoost, type BoostState } from './gradient-boosting.ts';
import { fitKnn, predictKnn, type KnnState } from './knn.ts';
import { fitNaiveBayes, predictNaiveBayes, type NaiveBayesState } from './naive-bayes.ts';
import { fitForest, predictForest, type ForestState } from './random-forest.ts';

/** A function that scores the model fitted so far (called per round by ensembles of trees). */
export type RoundHook = (round: number, predict: (X: Float32Array, n: number) => Float64Array) => void;

/**
 * Fits a classical model on encoded features (row-major n × d) and labels (class index, or the
 * standardized target for regression). Deterministic for a seed.
 * `onRound` is called for forests (per tree) and boosting (per round), every `every` rounds.
 */
export function fitClassical(
  spec: ModelSpec,
  X: Float32Array,
  y: ArrayLike<number>,
  n: number,
  d: number,
  task: Task,
  classes: number,
  seed: number,
  onRound?: RoundHook,
  every = 1,
): ClassicalState {
  const kind = spec.kind as ClassicalKind;
  const criterion = task === 'classification' ? 'gini' : 'mse';
  const K = task === 'classification' ? classes : 0;
  switch (kind) {
    case 'tree': {
      const state = fitTree(X, y, n, d, {
        criterion,
        classes,
        maxDepth: spec.maxDepth,
        minSamplesLeaf: spec.minSamplesLeaf,
        rng: createRandom(seed),
      });
      return { kind, state };
    }
    case 'forest': {
      const state = fitForest(
        X,
        y,
        n,
        d,
        {
          criterion,
          classes,
          nEstimators: spec.nEstimators,
          maxDepth: spec.maxDepth,
          minSamplesLeaf: spec.minSamplesLeaf,
          maxFeatures: spec.maxFeatures,
          seed,
        },
        (f) => {
          const t = f.trees.length;
          if (onRound && (t % every === 0 || t === spec.nEstimators))
            onRound(t, (Xq, m) => predictForest(f, Xq, m, d, t));
        },
      );
      return { kind, state };
    }
    case 'gbt': {
      const state = fitBoost(
        X,
        y,
        n,
        d,
        {
          task,
          classes,
          nEstimators: spec.nEstimators,
          learningRate: spec.boostLearningRate,
          maxDepth: spec.maxDepth,
          minSamplesLeaf: spec.minSamplesLeaf,
          subsample: spec.subsample,
          seed,
        },
        (s, r) => {
          if (onRound && (r % every === 0 || r === spec.nEstimators))
            onRound(r, (Xq, m) => predictBoost(s, Xq, m, d, r));
        },
      );
      return { kind, state };
    }
    case 'knn':
      return { kind, state: fitKnn(X, y, n, d, spec.k, spec.knnWeights, K) };
    case 'naive-bayes':
      return { kind, state: fitNaiveBayes(X, y, n, d, classes, spec.varSmoothing) };
  }
}

/**
 * Raw outputs of a classical model: class probabilities (n × K) or standardized regression values (n).
 * Cost: depends on the family (trees O(n · depth · trees), kNN O(n · m · d)).
 */
export function predictClassical(c: ClassicalState, X: Float32Array, n: number, d: number): Float64Array {
  switch (c.kind) {
    case 'tree': {
      const t = c.state as TreeState;
      const out = new Float64Array(n * t.width);
      accumulateTree(t, X, n, d, out);
      return out;
    }
    case 'forest':
      return predictForest(c.state as ForestState, X, n, d);
    case 'gbt':
      return predictBoost(c.state as BoostState, X, n, d);
    case 'knn':
      return predictKnn(c.state as KnnState, X, n);
    case 'naive-bayes':
      return predictNaiveBayes(c.state as NaiveBayesState, X, n);
  }
}
