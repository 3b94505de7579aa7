import { upgradeConfig } from '../store/upgrade.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { csvTable, shippedTable } from '../../../tests/unit/fixtures.ts';
import { calibrateRun } from '../calibration/calibrate-model.ts';
import { datasetVersionId } from '../data/dataset-hash.ts';
import { encodeLabels } from '../data/preprocess.ts';
import { inferSchema } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import { runTraining } from '../model/run-training.ts';
import { type RunRecord, type TrainedModel } from '../model/spec.ts';
import { runBehaviourTest } from './behaviour.ts';
import { evaluateModel } from './evaluation.ts';

async function train(
  table: Table,
  label: string,
  model: Record<string, unknown>,
  seed = 1,
): Promise<{ run: RunRecord; model: TrainedModel }> {
  const r = await runTraining({
    runId: 'r',
    runName: 'r',
    table,
    dataset: { id: datasetVersionId(table), name: 't' },
    schema: inferSchema(table, label),
    split: { kind: 'stratified', fractions: [0.6, 0.2, 0.2], seed },
    config: upgradeConfig({ model, seed, epochs: 30, learningRate: 0.02 }),
    environment: { backend: 'cpu', backendReason: '', runtime: 't', appVersion: 't' },
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('evaluateModel', () => {
  let credit: Table;
  let m: { run: RunRecord; model: TrainedModel };
  beforeAll(async () => {
    credit = shippedTable('german-credit.csv');
    m = await train(credit, 'class', { kind: 'gbt', nEstimators: 30, maxDepth: 3 });
  });

  it('reports every metric with intervals, coverage, errors and user slices', async () => {
    const rows = Uint32Array.from({ length: 1000 }, (_, i) => i);
    const r = await evaluateModel(m.model, credit, rows, 'german-credit.csv', {
      slices: [
        { conditions: [{ column: 'personal_status', op: 'eq', value: 'female div/dep/mar' }] },
        {
          conditions: [
            { column: 'age', op: 'range', min: 18, max: 26 },
            { column: 'housing', op: 'eq', value: 'rent' },
          ],
        },
      ],
      resamples: 200,
    });
    if (!r.ok) throw new Error(r.error.message);
    const e = r.value.metrics;
    if (e.task !== 'classification') throw new Error('task');
    expect(e.n).toBe(1000);
    expect(e.intervals.accuracy.lo).toBeLessThanOrEqual(e.report.accuracy);
    expect(e.intervals.accuracy.hi).toBeGreaterThanOrEqual(e.report.accuracy);
    expect(e.roc).toHaveLength(1);
    expect(e.coverage[0]).toMatchObject({ threshold: 0, coverage: 1 });
    expect(e.coverage.at(-1)!.coverage).toBeLessThan(1);
    expect(e.errors.every((x, i, a) => i === 0 || a[i - 1]!.confidence >= x.confidence)).toBe(true);
    expect(r.value.slices[0]!.size).toBe(310);
    expect(r.value.slices[1]!.name).toBe('18 ≤ age < 26 ∧ housing = rent');
    expect(r.value.slices[1]!.size).toBeGreaterThan(0);
  });

  it('the slice finder flags a slice planted to fail, with multiple-testing control', async () => {
    // A synthetic task whose label is noise exactly where region = "east" and tier = "b".
    const rows = Array.from({ length: 1200 }, (_, i) => {
      const region = ['north', 'south', 'east', 'west'][i % 4]!;
      const tier = ['a', 'b', 'c'][Math.floor(i / 4) % 3]!;
      const x = ((i * 37) % 100) / 10;
      const noisy = region === 'east' && tier === 'b';
      const label = noisy ? (((i * 7919) % 13) % 2 ? 'yes' : 'no') : x > 5 ? 'yes' : 'no';
      return `${region},${tier},${x},${label}`;
    });
    const t = csvTable(['region,tier,x,label', ...rows].join('\n'));
    const model = await train(t, 'label', { kind: 'tree', maxDepth: 3 });
    const r = await evaluateModel(
      model.model,
      t,
      Uint32Array.from({ length: 1200 }, (_, i) => i),
      'synthetic.csv',
      { resamples: 50 },
    );
    if (!r.ok) throw new Error(r.error.message);
    const top = r.value.foundSlices[0]!;
    expect(top.name).toMatch(/region = east|tier = b/);
    expect(
      r.value.foundSlices.some((s) => s.name === 'region = east ∧ tier = b' || s.name === 'tier = b ∧ region = east'),
    ).toBe(true);
    expect(top.adjustedP).toBeLessThan(0.05);
    expect(top.gap).toBeLessThan(-0.2);
  });

  it('names missing, extra and mistyped columns; unseen labels are a note, not NaN', async () => {
    const bad = csvTable('checking_status,duration\n<0,6\n');
    const r = await evaluateModel(m.model, bad, Uint32Array.of(0), 'bad.csv');
    expect(!r.ok && r.error.kind).toBe('column-mismatch');
    expect(!r.ok && r.error.message).toMatch(/lacks the feature columns .*"credit_history"/);
    const header = credit.columns.map((c) => c.name);
    const rowsText = [
      '<0,six,critical/other existing credit,radio/tv,1169,no known savings,>=7,4,male single,none,4,real estate,67,none,own,2,skilled,1,yes,yes,excellent,1',
      '<0,6,critical/other existing credit,radio/tv,1169,no known savings,>=7,4,male single,none,4,real estate,67,none,own,2,skilled,1,yes,yes,good,2',
    ];
    const t = csvTable([[...header, 'extra'].join(','), ...rowsText].join('\n'));
    const r2 = await evaluateModel(m.model, t, Uint32Array.of(0, 1), 'odd.csv', { findSlices: false, resamples: 10 });
    if (!r2.ok) throw new Error(r2.error.message);
    const kinds = r2.value.notes.map((n) => n.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['extra-columns', 'mistyped-column', 'unusable-labels', 'single-class']),
    );
    expect(r2.value.notes.find((n) => n.kind === 'mistyped-column')!.column).toBe('duration');
    expect(r2.value.rows).toBe(1);
  });

  it('behavioural tests: perturbation curve, invariance rate with examples, directional violations', async () => {
    const rows = Uint32Array.from({ length: 300 }, (_, i) => i);
    const y = encodeLabels(m.model.preprocessor, credit, rows);
    if (!y.ok) throw new Error('labels');
    const p = await runBehaviourTest(m.model, credit, rows, y.value, {
      kind: 'perturbation',
      strengths: [0, 0.5, 2],
      swapCategories: true,
    });
    expect(p.ok && p.value.kind === 'perturbation' && p.value.values.length).toBe(3);
    const inv = await runBehaviourTest(m.model, credit, rows, y.value, {
      kind: 'invariance',
      column: 'personal_status',
    });
    if (!inv.ok || inv.value.kind !== 'invariance') throw new Error('invariance');
    expect(inv.value.tested).toBeGreaterThan(300);
    expect(inv.value.changedRate).toBeGreaterThanOrEqual(0);
    expect(inv.value.examples.length).toBe(Math.min(20, Math.round(inv.value.changedRate * inv.value.tested)));
    const dir = await runBehaviourTest(m.model, credit, rows, y.value, {
      kind: 'directional',
      column: 'duration',
      delta: 24,
      target: 'bad',
      expect: 'increase',
    });
    expect(dir.ok && dir.value.kind === 'directional' && dir.value.tested).toBe(300);
    const wrong = await runBehaviourTest(m.model, credit, rows, y.value, { kind: 'invariance', column: 'duration' });
    expect(!wrong.ok && wrong.error.kind).toBe('bad-test');
  });

  it('calibrating keeps accuracy under temperature scaling and points to its parent run', async () => {
    const digits = shippedTable('digits-8x8.csv');
    const mlp = await train(digits, 'digit', { kind: 'mlp', hidden: [64] });
    const c = await calibrateRun(mlp.run, mlp.model, digits, 'temperature', { runId: 'cal' });
    if (!c.ok) throw new Error(c.error.message);
    expect(c.value.run.calibration!.parentRunId).toBe('r');
    expect(c.value.run.calibration!.after.accuracy).toBe(c.value.run.calibration!.before.accuracy);
    expect(c.value.run.calibration!.after.logLoss).toBeLessThanOrEqual(c.value.run.calibration!.before.logLoss + 0.05);
    expect(c.value.model.calibrator!.method).toBe('temperature');
    const iso = await calibrateRun(m.run, m.model, credit, 'isotonic', { runId: 'cal2' });
    expect(iso.ok).toBe(true);
    const platt3 = await calibrateRun(mlp.run, mlp.model, digits, 'platt', { runId: 'x' });
    expect(!platt3.ok && platt3.error.message).toMatch(/two classes/);
  });
});
