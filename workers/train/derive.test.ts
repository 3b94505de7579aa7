import { asNetwork } from '../../src/core/model/model-kind.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainedOnWine } from './api-test-kit.ts';

describe('training API: calibrate and compress', () => {
  let w: Awaited<ReturnType<typeof trainedOnWine>>;
  beforeAll(async () => {
    w = await trainedOnWine();
  });

  it('calibrates a run into a new run that points back to it', async () => {
    const before = await w.train.tensors();
    const r = await w.train.calibrate(w.run, w.model, 'temperature', 'cal-1');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.run.id).toBe('cal-1');
    expect(r.value.run.calibration).toMatchObject({ method: 'temperature', parentRunId: 'wine-mlp' });
    expect(r.value.model.calibrator?.method).toBe('temperature');
    expect(await w.train.tensors()).toBe(before);
  });

  it('compresses a run (int8) into a new run, smaller, with the parent recorded', async () => {
    const r = await w.train.compress(w.run, w.model, { method: 'int8', perChannel: true, symmetric: true }, 'q-1');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.run.id).toBe('q-1');
    const c = r.value.run.compression!;
    expect(c.parentRunId).toBe('wine-mlp');
    expect(c.info.storedBytes).toBeLessThan(c.info.parentBytes);
    expect(r.value.run.metrics.validation.accuracy).toBeGreaterThan(0.5);
  });

  it("a run whose dataset is not loaded fails with the data worker's message", async () => {
    const lost = { ...w.run, dataset: { ...w.run.dataset, id: 'gone' } };
    const a = await w.train.calibrate(lost, w.model, 'temperature', 'x');
    const b = await w.train.compress(lost, w.model, { method: 'int8' }, 'y');
    expect(!a.ok && a.error.kind).toBe('not-loaded');
    expect(!b.ok && b.error.kind).toBe('not-loaded');
  });

  it('a throw inside the core comes back as a <kind>-failed Result, not an exception', async () => {
    // A network without its weights: tfjs throws building it.
    const net = asNetwork(w.model);
    const broken = { ...net, artifacts: { ...net.artifacts, weightData: new ArrayBuffer(0) } };
    const r = await w.train.compress(w.run, broken, { method: 'int8' }, 'z');
    expect(!r.ok && r.error).toMatchObject({ kind: 'compression-failed', message: /^Compression failed: / });
  });
});
