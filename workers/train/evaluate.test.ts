import { beforeAll, describe, expect, it } from 'vitest';
import { runSplitRows } from '../../src/core/evaluation/report.ts';
import { createTrainApi } from '../train.api.ts';
import { trainedOnWine } from './api-test-kit.ts';

describe('training API: evaluate', () => {
  let w: Awaited<ReturnType<typeof trainedOnWine>>;
  beforeAll(async () => {
    w = await trainedOnWine();
  });

  it("scores the model on the run's test split: the same rows and accuracy the run recorded", async () => {
    const r = await w.train.evaluate('wine-mlp', w.ds.id, 'test');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({
      format: 'benchtop-evaluation@1',
      runId: 'wine-mlp',
      runName: 'wine mlp',
      split: 'test',
      behaviour: [],
      abstainBelow: null,
    });
    const { data } = w;
    const t = await data.getTable(w.ds.id);
    if (!t.ok) throw new Error(t.error.message);
    const split = runSplitRows(w.run, t.value.table);
    expect(split.ok && r.value.evaluation.rows).toBe(split.ok && split.value.test.length);
    const m = r.value.evaluation.metrics;
    if (m.task !== 'classification') throw new Error('wine is a classification dataset');
    expect(m.classes).toHaveLength(3);
    expect(m.report.accuracy).toBeCloseTo(w.run.metrics.test!.accuracy!, 6);
  });

  it('every row of the dataset with split "all", and the abstention threshold carried through', async () => {
    const r = await w.train.evaluate({ run: w.run, model: w.model }, w.ds.id, 'all', { abstainBelow: 0.6 });
    expect(r.ok && r.value.evaluation.rows).toBe(178);
    expect(r.ok && r.value.abstainBelow).toBe(0.6);
  });

  it('a dataset that is not loaded, or no data worker at all, is a failure Result', async () => {
    const r = await w.train.evaluate(w.run.id, 'nope', 'test');
    expect(!r.ok && r.error.kind).toBe('not-loaded');
    const alone = createTrainApi({ runtime: 'node', appVersion: 'test' });
    const a = await alone.evaluate({ run: w.run, model: w.model }, w.ds.id, 'test');
    expect(!a.ok && a.error.kind).toBe('no-data-source');
  });
});
