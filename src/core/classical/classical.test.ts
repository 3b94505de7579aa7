import { describe, expect, it } from 'vitest';
import { SKLEARN, shippedTable } from '../../../tests/unit/fixtures.ts';
import { encodeLabels, fitPreprocessor, transformFeatures } from '../data/preprocess.ts';
import { inferSchema } from '../data/schema.ts';
import { accuracy } from '../metrics/accuracy.ts';
import { argmaxRows } from '../metrics/argmax-rows.ts';
import type { ClassicalState } from '../contracts/model.ts';
import type { Task } from '../contracts/data.ts';
import { predictClassical } from '../families/index.ts';
import { withDefaults } from '../families/index.ts';
import { familyOf } from '../families/index.ts';

type ModelSpec = Record<string, number | string> & { kind: string };
const DEFAULT_MODEL_SPEC = {};

/** Fits a classical family on plain arrays through its registry entry. */
function fitClassical(
  spec: ModelSpec,
  X: Float32Array,
  y: ArrayLike<number>,
  n: number,
  d: number,
  task: Task,
  classes: number,
  seed: number,
): ClassicalState {
  const { kind, ...params } = spec;
  const family = familyOf(kind)!;
  return { family: kind, state: family.fitState!(withDefaults(family, params), { X, y, n, d, task, classes, seed }) };
}

function split(file: string, label: string) {
  const table = shippedTable(file);
  const schema = inferSchema(table, label);
  const all = Array.from({ length: table.rowCount }, (_, i) => i);
  const train = Uint32Array.from(all.filter((i) => i % 4 !== 0));
  const test = Uint32Array.from(all.filter((i) => i % 4 === 0));
  const pre = fitPreprocessor(table, schema, train);
  if (!pre.ok) throw new Error(pre.error.message);
  const get = (rows: Uint32Array) => {
    const X = transformFeatures(pre.value, table, rows);
    const y = encodeLabels(pre.value, table, rows);
    if (!X.ok || !y.ok) throw new Error('encode');
    return { X: X.value, y: y.value as Int32Array };
  };
  return { pre: pre.value, train: get(train), test: get(test) };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

// Reference: scikit-learn 1.2.1 DecisionTreeClassifier, GradientBoostingClassifier, KNeighborsClassifier,
// GaussianNB, RandomForestClassifier on the same rows and standardized features
// (tests/fixtures/make_fixtures.py). Trees, boosting, kNN and naive Bayes are deterministic given the
// data and are compared probability by probability; the forest's bootstrap uses another RNG, so it is
// compared by test accuracy.
describe('classical models match scikit-learn', () => {
  const tolerance: Record<string, number> = { tree: 1e-9, gbt: 1e-6, knn: 1e-9, 'naive-bayes': 1e-6 };
  for (const ref of SKLEARN.classical as {
    dataset: string;
    label: string;
    kind: ModelSpec['kind'];
    params: Partial<ModelSpec>;
    test_accuracy: number;
    test_proba: number[];
  }[]) {
    it(`${ref.kind} on ${ref.dataset}`, () => {
      const { pre, train, test } = split(ref.dataset, ref.label);
      const d = pre.inputSize;
      const k = (pre.label as { classes: string[] }).classes.length;
      const spec = { ...DEFAULT_MODEL_SPEC, ...ref.params, kind: ref.kind };
      const model = fitClassical(spec, train.X, train.y, train.y.length, d, 'classification', k, 0);
      const proba = predictClassical(model, test.X, test.y.length, d);
      const acc = accuracy(test.y, argmaxRows(proba, k));
      if (ref.kind === 'forest') {
        expect(Math.abs(acc - ref.test_accuracy)).toBeLessThan(0.06);
      } else {
        expect(maxDiff(proba, ref.test_proba)).toBeLessThan(tolerance[ref.kind]!);
        expect(acc).toBeCloseTo(ref.test_accuracy, 10);
      }
    });
  }

  const reg = SKLEARN.classical_regression as {
    X: number[];
    y: number[];
    train: number;
    models: { kind: ModelSpec['kind']; params: Partial<ModelSpec>; pred: number[] }[];
  };
  for (const ref of reg.models) {
    it(`${ref.kind} regression`, () => {
      const d = 4,
        n = reg.train;
      const X = Float32Array.from(reg.X);
      const model = fitClassical(
        { ...DEFAULT_MODEL_SPEC, ...ref.params, kind: ref.kind },
        X.subarray(0, n * d),
        Float64Array.from(reg.y.slice(0, n)),
        n,
        d,
        'regression',
        1,
        0,
      );
      const pred = predictClassical(model, X.subarray(n * d), reg.y.length - n, d);
      expect(maxDiff(pred, ref.pred)).toBeLessThan(1e-6);
    });
  }

  it('is deterministic for a seed and serializes to JSON and back', () => {
    const { pre, train, test } = split('wine.csv', 'cultivar');
    const spec = { ...DEFAULT_MODEL_SPEC, kind: 'forest' as const, nEstimators: 10 };
    const a = fitClassical(spec, train.X, train.y, train.y.length, pre.inputSize, 'classification', 3, 5);
    const b = fitClassical(spec, train.X, train.y, train.y.length, pre.inputSize, 'classification', 3, 5);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const back = JSON.parse(JSON.stringify(a));
    expect(Array.from(predictClassical(back, test.X, test.y.length, pre.inputSize))).toEqual(
      Array.from(predictClassical(a, test.X, test.y.length, pre.inputSize)),
    );
  });
});
