import type { Preprocessor } from '../data/preprocess.ts';
import { fitTree } from '../classical/decision-tree.ts';
import { describeSplit, type BooleanWords } from './describe-split.ts';
import { bestSingleFeatureRule } from './single-feature-rule.ts';
import type { EncodedSet } from '../model/prepare.ts';
import type { BaselineScore, SplitMetrics } from '../model/spec.ts';
import { splitMetrics } from '../model/split-metrics.ts';
import { createRandom, type Random } from '../util/random.ts';

/** A figure the person enters: an existing solution's or a human's score on one metric. */
export interface UserBaseline {
  name: string;
  metric: keyof SplitMetrics;
  value: number;
}

/** Which direction is better for a metric. */
export function higherIsBetter(metric: keyof SplitMetrics): boolean {
  return metric === 'accuracy' || metric === 'macroF1' || metric === 'r2';
}

function classPrior(y: Int32Array, k: number): Float64Array {
  const p = new Float64Array(k);
  for (const c of y) p[c]!++;
  return p.map((v) => v / y.length);
}

function drawClasses(p: Float64Array, n: number, rng: Random): Int32Array {
  return Int32Array.from({ length: n }, () => {
    let u = rng.next(),
      c = 0;
    while (c < p.length - 1 && u >= p[c]!) u -= p[c++]!;
    return c;
  });
}

const labelOf = (pre: Preprocessor, c: number) =>
  pre.label.task === 'classification' ? pre.label.classes[c]! : String(c);
const labelText = (pre: Preprocessor, c: number) => `"${labelOf(pre, c)}"`;

/**
 * Baselines every model is judged against, fitted on the training split and scored on the others:
 * - uniform: random guesses, each class equally likely (regression: uniform over the training range);
 * - prior: random guesses following the training label distribution (regression: a random training target);
 * - zero-rule: always the most frequent training class (regression: the training mean);
 * - threshold: the best single-feature threshold rule learned on train — for classes, the one with the
 *   most training rows right among rules whose two sides predict different classes (a split predicting
 *   the same class on both sides is the zero-rule; when every split does, the baseline says so and its
 *   `branches` agree); for regression a depth-1 tree;
 * - user: a figure the person entered (an existing system or a human), taken as given.
 * Randomized baselines are seeded, so they are reproducible. `words` spells yes/no columns in rule
 * texts (see `booleanWords`).
 */
export function scoreBaselines(
  pre: Preprocessor,
  train: EncodedSet,
  sets: { validation: EncodedSet; test?: EncodedSet },
  seed: number,
  user: UserBaseline[] = [],
  words: BooleanWords = {},
): BaselineScore[] {
  const out: BaselineScore[] = [];
  const score = (make: (set: EncodedSet, rng: Random) => { outputs: Float64Array; predicted?: Int32Array }) => {
    const rng = createRandom(seed ^ 0xba5e);
    const one = (set: EncodedSet) => {
      const { outputs, predicted } = make(set, rng);
      return splitMetrics(pre, outputs, set.y, predicted);
    };
    return { validation: one(sets.validation), test: sets.test && sets.test.y.length ? one(sets.test) : undefined };
  };
  const d = pre.inputSize;
  const trainValues = (input: number) => {
    const seen = new Set<number>();
    for (let i = 0; i < train.y.length && seen.size < 4; i++) seen.add(train.X[i * d + input]!);
    return [...seen];
  };
  const rule = (input: number, threshold: number) => describeSplit(pre, input, threshold, trainValues(input), words);
  if (pre.label.task === 'classification') {
    const k = pre.label.classes.length;
    const y = train.y as Int32Array;
    const prior = classPrior(y, k);
    const uniform = new Float64Array(k).fill(1 / k);
    const fill = (p: Float64Array, n: number) => {
      const o = new Float64Array(n * k);
      for (let i = 0; i < n; i++) o.set(p, i * k);
      return o;
    };
    out.push({
      kind: 'uniform',
      name: 'Random (uniform)',
      detail: `each of the ${k} classes with probability 1/${k}`,
      ...score((s, rng) => ({ outputs: fill(uniform, s.y.length), predicted: drawClasses(uniform, s.y.length, rng) })),
    });
    out.push({
      kind: 'prior',
      name: 'Random (label distribution)',
      detail: 'classes drawn with their training frequencies',
      ...score((s, rng) => ({ outputs: fill(prior, s.y.length), predicted: drawClasses(prior, s.y.length, rng) })),
    });
    const major = prior.indexOf(Math.max(...prior));
    out.push({
      kind: 'zero-rule',
      name: 'Zero-rule',
      detail: `always ${labelText(pre, major)} (${(prior[major]! * 100).toFixed(1)}% of training rows)`,
      ...score((s) => ({ outputs: fill(prior, s.y.length), predicted: new Int32Array(s.y.length).fill(major) })),
    });
    const found = bestSingleFeatureRule(train.X, y, y.length, d, k);
    const stump = found
      ? null
      : fitTree(train.X, y, y.length, d, { criterion: 'gini', classes: k, maxDepth: 1, minSamplesLeaf: 1 });
    const split = found
      ? found
      : stump && stump.feature[0]! >= 0
        ? {
            input: stump.feature[0]!,
            threshold: stump.threshold[0]!,
            left: Float64Array.from(stump.value.slice(stump.left[0]! * k, stump.left[0]! * k + k)),
            right: Float64Array.from(stump.value.slice(stump.right[0]! * k, stump.right[0]! * k + k)),
          }
        : null;
    if (split) {
      const leftClass = argmax(split.left),
        rightClass = argmax(split.right);
      const text = `${rule(split.input, split.threshold)} → ${labelText(pre, leftClass)}, otherwise ${labelText(pre, rightClass)}`;
      out.push({
        kind: 'threshold',
        name: 'Best single-feature rule',
        detail: found
          ? text
          : `no single-feature rule predicts different classes on its two sides; the best split (${text}) is the zero-rule`,
        branches: [labelOf(pre, leftClass), labelOf(pre, rightClass)],
        ...score((s) => {
          const o = new Float64Array(s.y.length * k);
          for (let i = 0; i < s.y.length; i++)
            o.set(s.X[i * d + split.input]! <= split.threshold ? split.left : split.right, i * k);
          return { outputs: o };
        }),
      });
    }
  } else {
    const label = pre.label;
    const y = train.y as Float32Array;
    let lo = Infinity,
      hi = -Infinity,
      mean = 0;
    for (const v of y) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      mean += v / y.length;
    }
    const units = (v: number) => v * label.std + label.mean;
    out.push({
      kind: 'uniform',
      name: 'Random (uniform)',
      detail: `uniform between ${units(lo).toPrecision(4)} and ${units(hi).toPrecision(4)}`,
      ...score((s, rng) => ({ outputs: Float64Array.from(s.y, () => units(lo + rng.next() * (hi - lo))) })),
    });
    out.push({
      kind: 'prior',
      name: 'Random (label distribution)',
      detail: 'a random training target',
      ...score((s, rng) => ({ outputs: Float64Array.from(s.y, () => units(y[rng.int(y.length)]!)) })),
    });
    out.push({
      kind: 'zero-rule',
      name: 'Zero-rule',
      detail: `always the training mean ${units(mean).toPrecision(4)}`,
      ...score((s) => ({ outputs: new Float64Array(s.y.length).fill(units(mean)) })),
    });
    const stump = fitTree(train.X, y, y.length, d, { criterion: 'mse', classes: 1, maxDepth: 1, minSamplesLeaf: 1 });
    if (stump.feature[0]! >= 0) {
      const [l, r] = [units(stump.value[stump.left[0]!]!), units(stump.value[stump.right[0]!]!)];
      out.push({
        kind: 'threshold',
        name: 'Best single-feature rule',
        detail: `${rule(stump.feature[0]!, stump.threshold[0]!)} → ${l.toPrecision(4)}, otherwise ${r.toPrecision(4)}`,
        branches: [l.toPrecision(4), r.toPrecision(4)],
        ...score((s) => ({
          outputs: Float64Array.from({ length: s.y.length }, (_, i) =>
            s.X[i * d + stump.feature[0]!]! <= stump.threshold[0]! ? l : r,
          ),
        })),
      });
    }
  }
  for (const u of user)
    out.push({
      kind: 'user',
      name: u.name || 'Existing solution',
      detail: `entered by you: ${u.metric} = ${u.value}`,
      validation: { loss: NaN, [u.metric]: u.value } as SplitMetrics,
    });
  return out;
}

function argmax(xs: ArrayLike<number>): number {
  let b = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[b]!) b = i;
  return b;
}

/** The metric a task is judged by. */
export function primaryMetric(task: 'classification' | 'regression'): keyof SplitMetrics {
  return task === 'classification' ? 'accuracy' : 'rmse';
}

/**
 * The strongest baseline on a metric (validation split) and the model's lift over it
 * (positive = the model is better, in the metric's own units).
 */
export function liftOverBaselines(
  model: SplitMetrics,
  baselines: readonly BaselineScore[],
  metric: keyof SplitMetrics,
): { baseline: BaselineScore; lift: number } | null {
  const hib = higherIsBetter(metric);
  const scored = baselines.filter((b) => Number.isFinite(b.validation[metric] as number));
  if (scored.length === 0 || !Number.isFinite(model[metric] as number)) return null;
  const best = scored.reduce((a, b) =>
    (hib ? b.validation[metric]! > a.validation[metric]! : b.validation[metric]! < a.validation[metric]!) ? b : a,
  );
  const diff = (model[metric] as number) - (best.validation[metric] as number);
  return { baseline: best, lift: hib ? diff : -diff };
}
