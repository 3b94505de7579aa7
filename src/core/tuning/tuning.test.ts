import { upgradeConfig } from '../store/upgrade.ts';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { shippedTable } from '../../../tests/unit/fixtures.ts';
import { inferSchema } from '../data/schema.ts';
import { createRandom } from '../util/random.ts';
import { MedianStopper } from './median-stopping.ts';
import { gridPoints, randomSample, tpeSample } from './samplers.ts';
import { applyParams, defaultSpace, type SearchSpace } from './search-space.ts';
import { makeTrialRunner, prepareTuningData } from './trial-runner.ts';
import { bestSoFar, tune } from './tune.ts';

const space: SearchSpace = [
  { path: 'learningRate', kind: 'float', lo: 1e-4, hi: 1e-1, log: true },
  { path: 'model.maxDepth', kind: 'int', lo: 1, hi: 10 },
  { path: 'model.knnWeights', kind: 'choice', values: ['uniform', 'distance'] },
];

describe('search space and samplers', () => {
  it('random samples respect ranges and log scales, deterministically', () => {
    const a = Array.from(
      { length: 200 },
      (
        (rng) => () =>
          randomSample(space, rng)
      )(createRandom(1)),
    );
    for (const v of a) {
      expect(v.learningRate).toBeGreaterThanOrEqual(1e-4);
      expect(v.learningRate).toBeLessThanOrEqual(1e-1);
      expect(Number.isInteger(v['model.maxDepth'])).toBe(true);
    }
    // Log scale: about half the draws below the geometric midpoint 10^-2.5.
    const below = a.filter((v) => (v.learningRate as number) < 10 ** -2.5).length;
    expect(below).toBeGreaterThan(70);
    expect(below).toBeLessThan(130);
    const b = Array.from(
      { length: 200 },
      (
        (rng) => () =>
          randomSample(space, rng)
      )(createRandom(1)),
    );
    expect(b).toEqual(a);
  });
  it('grid covers every combination', () => {
    const g = gridPoints(space, 1000, createRandom(1));
    expect(g).toHaveLength(4 * 4 * 2);
    expect(gridPoints(space, 5, createRandom(1))).toHaveLength(5);
  });
  it('TPE concentrates on the good region of a 1-D quadratic', () => {
    const s: SearchSpace = [{ path: 'x', kind: 'float', lo: 0, hi: 10 }];
    const rng = createRandom(3);
    const hist: { values: Record<string, number>; score: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const v = tpeSample(s, hist, rng) as Record<string, number>;
      hist.push({ values: v, score: (v.x! - 7) ** 2 });
    }
    const late = hist.slice(20).map((h) => h.values.x!);
    const nearOptimum = late.filter((x) => Math.abs(x - 7) < 1.5).length;
    expect(nearOptimum).toBeGreaterThan(10); // random search would put ~30% there
  });
  it('applyParams writes paths and turns list choices into arrays', () => {
    const c = applyParams(upgradeConfig({}), { learningRate: 0.01, 'model.hidden': '64,32' });
    expect(c.params.learningRate).toBe(0.01);
    expect(c.params.hidden).toEqual([64, 32]);
    const t = applyParams(upgradeConfig({ model: { kind: 'tree' } }), { maxDepth: 3 });
    expect(t).toMatchObject({ kind: 'tree', params: { maxDepth: 3, minSamplesLeaf: 1 } });
  });
  it('median stopping stops a trial worse than the median of the others at the same step', () => {
    const m = new MedianStopper(2, 1);
    for (const t of [0, 1, 2]) for (let s = 1; s <= 3; s++) m.report(t, s, 0.1 * (t + 1));
    expect(m.report(3, 1, 0.9)).toBe(false); // grace period
    expect(m.report(3, 2, 0.9)).toBe(true);
    expect(m.report(4, 2, 0.05)).toBe(false);
  });
});

describe('tune', () => {
  it('finds a good tree depth on breast cancer without ever seeing the test split', async () => {
    const table = shippedTable('breast-cancer-wisconsin.csv');
    const data = prepareTuningData(table, inferSchema(table, 'diagnosis'), {
      kind: 'stratified',
      fractions: [0.6, 0.2, 0.2],
      seed: 1,
    });
    if (!data.ok) throw new Error(data.error.message);
    expect(Object.keys(data.value).sort()).toEqual(['pre', 'task', 'train', 'validation']);
    const base = upgradeConfig({ model: { kind: 'tree' } });
    const seen: number[] = [];
    const r = await tune(base, defaultSpace('tree'), makeTrialRunner(data.value), {
      search: 'bayes',
      trials: 12,
      seed: 2,
      parallel: 3,
      earlyStop: false,
      onTrial: (t) => seen.push(t.id),
    });
    expect(r.trials).toHaveLength(12);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(r.best!.metric).toBeGreaterThan(0.9);
    const curve = bestSoFar(r.trials);
    expect(curve.at(-1)).toBe(r.best!.score);
    for (let i = 1; i < curve.length; i++) expect(curve[i]!).toBeLessThanOrEqual(curve[i - 1]!);
  });
  it('prunes slow neural trials with the median rule', async () => {
    await tf.setBackend('wasm');
    const table = shippedTable('wine.csv');
    const data = prepareTuningData(table, inferSchema(table, 'cultivar'), {
      kind: 'stratified',
      fractions: [0.6, 0.2, 0.2],
      seed: 1,
    });
    if (!data.ok) throw new Error(data.error.message);
    const base = upgradeConfig({ model: { kind: 'logistic' }, epochs: 8 });
    const r = await tune(
      base,
      [{ path: 'learningRate', kind: 'float', lo: 1e-5, hi: 0.1, log: true }],
      makeTrialRunner(data.value),
      { search: 'random', trials: 10, seed: 5, parallel: 1, earlyStop: true },
    );
    expect(r.trials.some((t) => t.status === 'pruned')).toBe(true);
    expect(r.trials.filter((t) => t.status === 'pruned').every((t) => t.steps < 8)).toBe(true);
  });
});
