import { beforeAll, describe, expect, it } from 'vitest';
import { configFor } from '../../src/core/families/index.ts';
import { trainedOnWine } from './api-test-kit.ts';

describe('training API: combine runs named by id', () => {
  let w: Awaited<ReturnType<typeof trainedOnWine>>;
  beforeAll(async () => {
    w = await trainedOnWine();
    const lr = await w.train.train({
      runId: 'wine-lr',
      runName: 'wine logistic',
      datasetId: w.ds.id,
      schema: w.ds.schema,
      split: w.run.split,
      config: configFor('logistic', { epochs: 5 }),
    });
    if (!lr.ok) throw new Error(lr.error.message);
    w.store.put(lr.value.run, lr.value.model);
  });

  it('averages two stored runs into an ensemble of both, read through the run source', async () => {
    const r = await w.train.combine(['wine-mlp', 'wine-lr'], 'vote-soft', 'ens-1', 'average of 2');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.run.id).toBe('ens-1');
    expect(r.value.model.kind === 'ensemble' && r.value.model.ensemble.members).toHaveLength(2);
  });

  it('a member that is not stored is a not-found Result naming it', async () => {
    const r = await w.train.combine(['wine-mlp', 'gone'], 'vote-soft', 'ens-2', 'x');
    expect(!r.ok && r.error).toMatchObject({ kind: 'not-found', message: /gone/ });
  });
});
