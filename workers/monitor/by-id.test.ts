import { beforeAll, describe, expect, it } from 'vitest';
import { trainedOnWine } from '../train/api-test-kit.ts';

describe('monitoring API: runs named by id', () => {
  let w: Awaited<ReturnType<typeof trainedOnWine>>;
  beforeAll(async () => {
    w = await trainedOnWine();
  });

  it('drift of the run’s own dataset against its training rows, the run read by id or given', async () => {
    const byId = await w.train.monitorDrift('wine-mlp', w.ds.id, { alpha: 0.05, multivariate: false });
    const given = await w.train.monitorDrift({ run: w.run, model: w.model }, w.ds.id, {
      alpha: 0.05,
      multivariate: false,
    });
    if (!byId.ok || !given.ok) throw new Error('drift failed');
    expect(byId.value.features.length).toBeGreaterThan(0);
    expect(byId.value.features).toEqual(given.value.features);
    expect(byId.value.drifted).toEqual(given.value.drifted);
    expect(byId.value.performance).toEqual(given.value.performance);
  });

  it('an unknown run is a not-found Result', async () => {
    const r = await w.train.monitorDrift('nobody', w.ds.id, { alpha: 0.05, multivariate: false });
    expect(!r.ok && r.error.kind).toBe('not-found');
  });
});
