import { describe, expect, it } from 'vitest';
import { shippedTable } from '../../../tests/unit/fixtures.ts';
import { inferSchema } from '../data/schema.ts';
import { datasetVersionId } from '../data/dataset-hash.ts';
import { registerOrtWebRunner } from '../../../bin/ort-web-runner.ts';
import { ProtoWriter } from './protobuf-writer.ts';
import { exportDenseOnnx } from './export-dense.ts';
import { importOnnxModel } from './import-onnx.ts';
import { inspectOnnx } from './inspect.ts';

registerOrtWebRunner();

/** A softmax-regression ONNX model over raw inputs, with known weights. */
function handMade(d: number, k: number, nanAt?: number): { bytes: Uint8Array; W: Float32Array; b: Float32Array } {
  const W = Float32Array.from({ length: d * k }, (_, i) => (i === nanAt ? NaN : Math.sin(i) * 0.01));
  const b = Float32Array.from({ length: k }, (_, i) => i * 0.1);
  const topology = {
    class_name: 'Sequential',
    config: {
      layers: [{ class_name: 'Dense', config: { name: 'out', units: k, activation: 'softmax', use_bias: true } }],
    },
  };
  const weightData = new Float32Array([...W, ...b]).buffer;
  const r = exportDenseOnnx(
    {
      modelTopology: topology,
      weightSpecs: [
        { name: 'out/kernel', shape: [d, k], dtype: 'float32' },
        { name: 'out/bias', shape: [k], dtype: 'float32' },
      ],
      weightData,
    },
    d,
  );
  if (!r.ok) throw new Error(r.error.message);
  return { bytes: r.value, W, b };
}

const env = { backend: 'wasm' as const, backendReason: '', runtime: 't', appVersion: 't' };

describe('importing an ONNX model', () => {
  const table = shippedTable('wine.csv');
  const ds = { id: datasetVersionId(table), name: 'wine.csv' };
  const schema = inferSchema(table, 'cultivar');
  const split = { kind: 'stratified' as const, fractions: [0.6, 0.2, 0.2] as [number, number, number], seed: 1 };

  it('refuses a model whose weights hold NaN (a diverged run), naming the file, the tensor and the index', async () => {
    const { bytes } = handMade(13, 3, 7);
    const r = await importOnnxModel(bytes, 'diverged.onnx', table, ds, schema, split, { runId: 'o', environment: env });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ kind: 'bad-onnx', file: 'diverged.onnx' });
      expect(r.error.message).toMatch(/^diverged\.onnx's initializer "[^"]+" holds NaN at index 7;/);
    }
  });

  it('reads metadata and scores the model on the dataset', async () => {
    const { bytes } = handMade(13, 3);
    const info = inspectOnnx(bytes, 'hand.onnx');
    expect(info.ok && info.value).toMatchObject({
      inputs: [{ name: 'features', elemType: 'float32', shape: ['N', 13] }],
      outputs: [{ name: 'outputs', shape: ['N', 3] }],
      operators: { Gemm: 1, Softmax: 1 },
    });
    const r = await importOnnxModel(bytes, 'hand.onnx', table, ds, schema, split, { runId: 'o', environment: env });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.run.config.kind).toBe('onnx');
    expect(r.value.run.metrics.test!.accuracy).toBeGreaterThanOrEqual(0);
    expect(r.value.run.message).toContain('Gemm×1');
  });

  it('refuses corrupt, truncated, mismatched and unsupported models with the reason', async () => {
    const { bytes } = handMade(13, 3);
    const junk = await importOnnxModel(new Uint8Array([0xff, 0xff, 0xff]), 'junk.onnx', table, ds, schema, split, {
      runId: 'x',
      environment: env,
    });
    expect(!junk.ok && junk.error.kind).toBe('bad-onnx');
    const cut = await importOnnxModel(bytes.slice(0, bytes.length - 40), 'cut.onnx', table, ds, schema, split, {
      runId: 'x',
      environment: env,
    });
    expect(!cut.ok && cut.error.message).toMatch(/cut\.onnx is not a readable ONNX model|cut\.onnx/);
    const narrow = await importOnnxModel(handMade(5, 3).bytes, 'narrow.onnx', table, ds, schema, split, {
      runId: 'x',
      environment: env,
    });
    expect(!narrow.ok && narrow.error.kind).toBe('shape-mismatch');
    // An operator onnxruntime does not know, in a custom domain.
    const vi = (name: string, dims: (number | string)[]) => {
      const shape = new ProtoWriter();
      for (const d of dims)
        shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
      return new ProtoWriter()
        .string(1, name)
        .message(2, new ProtoWriter().message(1, new ProtoWriter().int(1, 1).message(2, shape)));
    };
    const node = new ProtoWriter()
      .string(1, 'features')
      .string(2, 'outputs')
      .string(3, 'n')
      .string(4, 'Frobnicate')
      .string(7, 'com.example');
    const graph = new ProtoWriter()
      .message(1, node)
      .string(2, 'g')
      .message(11, vi('features', ['N', 13]))
      .message(12, vi('outputs', ['N', 3]));
    const model = new ProtoWriter()
      .int(1, 8)
      .message(7, graph)
      .message(8, new ProtoWriter().string(1, '').int(2, 13))
      .message(8, new ProtoWriter().string(1, 'com.example').int(2, 1))
      .finish();
    const odd = await importOnnxModel(model, 'odd.onnx', table, ds, schema, split, { runId: 'x', environment: env });
    expect(!odd.ok && odd.error.kind).toBe('unsupported-onnx');
    expect(!odd.ok && odd.error.message).toMatch(/odd\.onnx/);
    expect(!odd.ok && odd.error.message).toMatch(/Frobnicate/);
  });
});
