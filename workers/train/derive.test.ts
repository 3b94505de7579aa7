import { asNetwork } from '../../src/core/model/model-kind.ts';
import type { DeriveOp } from '../../src/core/pipeline/derive-op.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainedOnWine } from './api-test-kit.ts';
import { modelBuffers, transferables } from '../../src/core/model/model-buffers.ts';

const int8: DeriveOp = { kind: 'compress', spec: { method: 'int8', perChannel: true, symmetric: true } };

describe('training API: derive by id (calibrate, compress, fine-tune, distill)', () => {
  let w: Awaited<ReturnType<typeof trainedOnWine>>;
  beforeAll(async () => {
    w = await trainedOnWine();
  });

  it('calibrates a run into a new run that points back to it', async () => {
    const before = await w.train.tensors();
    const r = await w.train.derive('wine-mlp', { kind: 'calibrate', method: 'temperature' }, 'cal-1');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.run.id).toBe('cal-1');
    expect(r.value.run.calibration).toMatchObject({ method: 'temperature', parentRunId: 'wine-mlp' });
    expect(r.value.model.calibrator?.method).toBe('temperature');
    expect(await w.train.tensors()).toBe(before);
    // The child shares the cached parent's weights in the core; the worker hands back its own copy,
    // so transferring it cannot detach the cached parent.
    const [child] = transferables(r);
    expect(child).toBeDefined();
    expect(child).not.toBe(asNetwork(w.model).artifacts.weightData);
    expect(child!.byteLength).toBe(asNetwork(w.model).artifacts.weightData.byteLength);
  });

  it('compresses a run (int8) into a new run, smaller, with the parent recorded', async () => {
    const r = await w.train.derive('wine-mlp', int8, 'q-1');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.run.id).toBe('q-1');
    const c = r.value.run.compression!;
    expect(c.parentRunId).toBe('wine-mlp');
    expect(c.info.storedBytes).toBeLessThan(c.info.parentBytes);
    expect(r.value.run.metrics.validation.accuracy).toBeGreaterThan(0.5);
    expect(transferables(r)).toEqual(modelBuffers(r.value.model));
  });

  it('fine-tunes (QAT) a run by id into an int8 child of it', async () => {
    const op: DeriveOp = { kind: 'fine-tune', method: 'qat', epochs: 1, learningRate: 0.001 };
    const r = await w.train.derive('wine-mlp', op, 'qat-1');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.run.id).toBe('qat-1');
    expect(r.value.run.compression?.parentRunId).toBe('wine-mlp');
  });

  it('distils a student from the parent, or from a teacher read by id through the same source', async () => {
    const op: DeriveOp = { kind: 'distill', hidden: [8], temperature: 2, alpha: 0.5, epochs: 1 };
    const a = await w.train.derive('wine-mlp', op, 'd-1');
    if (!a.ok) throw new Error(a.error.message);
    expect(a.value.run.compression?.parentRunId).toBe('wine-mlp');
    expect(a.value.model.kind).toBe('network');
    const b = await w.train.derive('wine-mlp', { ...op, teacherRunId: 'wine-mlp' }, 'd-2');
    expect(b.ok).toBe(true);
    const c = await w.train.derive('wine-mlp', { ...op, teacherRunId: 'nobody' }, 'd-3');
    expect(!c.ok && c.error).toMatchObject({ kind: 'not-found', message: /teacher run nobody/ });
  });

  it('reads a run once for two calls, and again after forget', async () => {
    w.train.forget('wine-mlp');
    const reads = { ...w.store.reads };
    expect((await w.train.derive('wine-mlp', int8, 'q-2')).ok).toBe(true);
    expect((await w.train.derive('wine-mlp', int8, 'q-3')).ok).toBe(true);
    expect(w.store.reads).toEqual({ run: reads.run + 1, model: reads.model + 1 });
    expect(await w.train.cachedRuns()).toContain('wine-mlp');
    w.train.forget('wine-mlp');
    expect(await w.train.cachedRuns()).not.toContain('wine-mlp');
    expect((await w.train.derive('wine-mlp', int8, 'q-4')).ok).toBe(true);
    expect(w.store.reads).toEqual({ run: reads.run + 2, model: reads.model + 2 });
  });

  it('an unknown id, or a run without a model, is a not-found Result naming it', async () => {
    const r = await w.train.derive('no-such-run', int8, 'x');
    expect(!r.ok && r.error).toMatchObject({ kind: 'not-found', message: /no-such-run/ });
    w.store.put({ ...w.run, id: 'bare', name: 'bare run' });
    const b = await w.train.derive('bare', int8, 'x');
    expect(!b.ok && b.error).toMatchObject({ kind: 'not-found', message: /"bare run" \(bare\) has no saved model/ });
  });

  it("a run whose dataset is not loaded fails with the data worker's message", async () => {
    w.store.put({ ...w.run, id: 'lost', dataset: { ...w.run.dataset, id: 'gone' } }, w.model);
    const a = await w.train.derive('lost', { kind: 'calibrate', method: 'temperature' }, 'x');
    const b = await w.train.derive('lost', { kind: 'compress', spec: { method: 'int8' } }, 'y');
    expect(!a.ok && a.error.kind).toBe('not-loaded');
    expect(!b.ok && b.error.kind).toBe('not-loaded');
  });

  it('a throw inside the core comes back as a <kind>-failed Result, not an exception', async () => {
    // A network without its weights: tfjs throws building it.
    const net = asNetwork(w.model);
    const broken = { ...net, artifacts: { ...net.artifacts, weightData: new ArrayBuffer(0) } };
    const r = await w.train.deriveFrom(
      { run: w.run, model: broken },
      { kind: 'compress', spec: { method: 'int8' } },
      'z',
    );
    expect(!r.ok && r.error).toMatchObject({ kind: 'compression-failed', message: /^Compression failed: / });
    expect(transferables(r)).toEqual([]);
  });
});
