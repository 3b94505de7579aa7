import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedTable } from '../../../tests/unit/fixtures.ts';
import { expectNoTensorLeak } from '../../../tests/unit/tensor-leak.ts';
import type { TrainedModel } from '../contracts/model.ts';
import { inferSchema } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import type { Params } from '../contracts/train-config.ts';
import { configFor } from '../families/index.ts';
import { predictMatrix } from '../model/predict-table.ts';
import { prepareData, type PreparedData } from '../model/prepare.ts';
import { fitModel } from '../model/run-training.ts';
import { splitMetrics } from '../model/split-metrics.ts';
import { predictAny } from './predict-any.ts';
import { FINGERPRINT_ROWS, SAMPLE_ROWS, scoreRun } from './score-run.ts';

const split = { kind: 'stratified' as const, fractions: [0.6, 0.2, 0.2] as [number, number, number], seed: 3 };

describe('scoreRun', () => {
  let penguins: Table, p: PreparedData, mlp: TrainedModel, logistic: TrainedModel;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    // Palmer penguins (shipped): species from measurements plus two categorical columns (island, sex).
    penguins = shippedTable('penguins.json');
    const prepared = prepareData(penguins, inferSchema(penguins, 'Species'), split, 'penguins.json');
    if (!prepared.ok) throw new Error(prepared.error.message);
    p = prepared.value;
    const fit = (kind: 'mlp' | 'logistic', params: Partial<Params>) =>
      fitModel(p.pre, p.task, p.train, p.validation, configFor(kind, params, 7));
    mlp = (await fit('mlp', { hidden: [8], epochs: 5 })).model;
    logistic = (await fit('logistic', {})).model;
  });

  it('gives the metrics splitMetrics gives on each split, and the first validation rows as fingerprint', async () => {
    const splits = { table: penguins, ...p };
    const s = await expectNoTensorLeak(() => scoreRun(splits, mlp, { seed: 7 }));
    if (!s.ok) throw new Error(s.error.message);
    for (const name of ['train', 'validation', 'test'] as const) {
      const set = p[name];
      const want = splitMetrics(p.pre, await predictMatrix(mlp, set.X, set.y.length), set.y);
      expect(s.value.metrics[name]).toEqual(want);
    }
    const k = (p.pre.label as { classes: string[] }).classes.length;
    expect(s.value.fingerprint.rows).toEqual(Array.from(p.validation.rows.subarray(0, FINGERPRINT_ROWS)));
    const fp = await predictMatrix(mlp, p.validation.X.subarray(0, FINGERPRINT_ROWS * p.pre.inputSize), 16);
    expect(s.value.fingerprint.outputs.length).toBe(FINGERPRINT_ROWS * k);
    s.value.fingerprint.outputs.forEach((v, i) => expect(v).toBeCloseTo(fp[i]!, 6));
    expect(s.value.samples).toHaveLength(SAMPLE_ROWS);
    expect(s.value.slices.map((x) => x.feature)).toContain('Island');
    expect(s.value.heldOut.split).toBe('test');
    expect(s.value.ece).toBeUndefined();
  });

  it('keeps known metrics, scores a reference for ECE before/after, and reads rows for another encoding', async () => {
    const splits = { table: penguins, ...p };
    const known = { validation: { loss: 0.5, accuracy: 0.9 } };
    const s = await scoreRun(splits, mlp, { seed: 7, known, reference: logistic });
    if (!s.ok) throw new Error(s.error.message);
    expect(s.value.metrics.validation).toEqual(known.validation);
    const refOut = await predictAny(logistic, penguins, p.test.rows);
    expect(refOut.ok && Array.from(refOut.value)).toEqual(Array.from(s.value.heldOut.reference!));
    expect(s.value.ece!.before).toBeGreaterThanOrEqual(0);
    expect(s.value.ece!.after).toBeGreaterThanOrEqual(0);
    // A model with its own (equal, not identical) preprocessor encodes the rows itself: the same scores.
    const own: TrainedModel = { ...logistic, preprocessor: structuredClone(logistic.preprocessor) };
    const a = await scoreRun(splits, logistic, { seed: 7 });
    const b = await scoreRun(splits, own, { seed: 7 });
    expect(b.ok && b.value.metrics).toEqual(a.ok && a.value.metrics);
  });

  it('scores an ensemble from table rows', async () => {
    const ens: TrainedModel = {
      kind: 'ensemble',
      ensemble: { method: 'vote-soft', members: [mlp, logistic] },
      preprocessor: p.pre,
    };
    const s = await expectNoTensorLeak(() => scoreRun({ table: penguins, ...p }, ens, { seed: 1 }));
    if (!s.ok) throw new Error(s.error.message);
    const a = await predictMatrix(mlp, p.test.X, p.test.y.length);
    const b = await predictMatrix(logistic, p.test.X, p.test.y.length);
    const mean = a.map((v, i) => v / 2 + b[i]! / 2);
    expect(s.value.metrics.test!.accuracy).toBe(splitMetrics(p.pre, mean, p.test.y).accuracy);
  });
});
