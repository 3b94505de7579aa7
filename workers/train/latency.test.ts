import { beforeAll, describe, expect, it } from 'vitest';
import { trainedOnWine } from './api-test-kit.ts';

describe('training API: measure', () => {
  let w: Awaited<ReturnType<typeof trainedOnWine>>;
  beforeAll(async () => {
    w = await trainedOnWine();
  });

  it('times the network on tfjs cpu and onnxruntime-web wasm, then restores the backend in use', async () => {
    const before = await w.train.backend();
    const tensors = await w.train.tensors();
    const r = await w.train.measure(w.model, ['cpu']);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.map((x) => x.runtime)).toEqual(['tfjs cpu', 'onnxruntime-web wasm']);
    for (const row of r.value) {
      expect(row.note).toBeUndefined();
      expect(row.p50).toBeGreaterThan(0);
      expect(row.p95).toBeGreaterThanOrEqual(row.p50);
      expect(row.throughput).toBeGreaterThan(0);
    }
    expect((await w.train.backend()).backend).toBe(before.backend);
    expect(await w.train.tensors()).toBe(tensors);
  });

  it('labels int8 models as QDQ on onnxruntime-web', async () => {
    const int8 = { kind: 'compress', spec: { method: 'int8', perChannel: true, symmetric: true } } as const;
    const q = await w.train.deriveFrom({ run: w.run, model: w.model }, int8, 'q');
    if (!q.ok) throw new Error(q.error.message);
    const r = await w.train.measure(q.value.model, ['cpu']);
    expect(r.ok && r.value.map((x) => x.runtime)).toEqual(['tfjs cpu', 'onnxruntime-web wasm (int8 QDQ)']);
  });

  it('a model with neither a network nor ONNX bytes is refused', async () => {
    const r = await w.train.measure({
      kind: 'classical',
      classical: { family: 'tree', state: {} },
      preprocessor: w.model.preprocessor,
    });
    expect(!r.ok && r.error.kind).toBe('unsupported-model');
  });
});
