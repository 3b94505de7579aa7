import { asNetwork, asOnnx } from '../model/model-kind.ts';
import { upgradeConfig } from '../store/upgrade.ts';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerOrtWebRunner } from '../../../bin/ort-web-runner.ts';
import { shippedTable } from '../../../tests/unit/fixtures.ts';
import { datasetVersionId } from '../data/dataset-hash.ts';
import { inferSchema } from '../data/schema.ts';
import { artifactsToModel, disposeModel } from '../model/artifacts.ts';
import { filesToBundle, bundleToFiles } from '../model/model-bundle.ts';
import { prepareData } from '../model/prepare.ts';
import { predictMatrix } from '../model/predict-table.ts';
import { runTraining } from '../model/run-training.ts';
import { type RunRecord, type TrainedModel } from '../model/spec.ts';
import { splitMetrics } from '../model/split-metrics.ts';
import { exportDenseOnnx } from '../onnx/export-dense.ts';
import { compressModel } from './compress.ts';
import { fromHalfBits, toHalfBits } from './float16.ts';
import { quantizeTensor } from './quantize.ts';
import { svd } from './svd.ts';

ort.env.wasm.numThreads = 1;

describe('building blocks', () => {
  it('float16 rounding matches IEEE binary16', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(1e6)).toBe(0x7c00);
    expect(toHalfBits(0.1)).toBe(0x2e66);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(fromHalfBits(toHalfBits(2 ** -24))).toBe(2 ** -24);
    expect(fromHalfBits(0x3555)).toBeCloseTo(0.333251953125, 12);
  });
  it('int8 quantization round-trips within half a step, per channel and asymmetric', () => {
    const x = Float32Array.from({ length: 60 }, (_, i) => Math.sin(i) * (1 + (i % 3)));
    for (const symmetric of [true, false])
      for (const perChannel of [true, false]) {
        const q = quantizeTensor(x, 3, { symmetric, perChannel });
        x.forEach((v, i) =>
          expect(Math.abs(q.dequantized[i]! - v)).toBeLessThanOrEqual(
            q.params.scale[perChannel ? i % 3 : 0]! / 2 + 1e-7,
          ),
        );
      }
  });
  it('SVD reconstructs the matrix at full rank', () => {
    const m = 7,
      n = 4;
    const A = Float64Array.from({ length: m * n }, (_, i) => Math.cos(i * 1.7) * (i % 5));
    const { U, S, V } = svd(A, m, n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += U[i * n + k]! * S[k]! * V[j * n + k]!;
        expect(Math.abs(s - A[i * n + j]!)).toBeLessThan(1e-10);
      }
    for (let k = 1; k < n; k++) expect(S[k]!).toBeLessThanOrEqual(S[k - 1]!);
  });
});

describe('compressModel on a digits MLP', () => {
  let trained: { run: RunRecord; model: TrainedModel };
  let test: { X: Float32Array; y: Int32Array };
  const accuracyOf = async (m: TrainedModel) =>
    splitMetrics(m.preprocessor, await predictMatrix(m, test.X, test.y.length), test.y).accuracy!;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    const table = shippedTable('digits-8x8.csv');
    const schema = inferSchema(table, 'digit');
    const split = { kind: 'stratified' as const, fractions: [0.7, 0.15, 0.15] as [number, number, number], seed: 1 };
    const r = await runTraining({
      runId: 'p',
      runName: 'p',
      table,
      dataset: { id: datasetVersionId(table), name: 'd' },
      schema,
      split,
      config: upgradeConfig({ epochs: 15, learningRate: 0.005, model: { kind: 'mlp', hidden: [128, 64] } }),
      environment: { backend: 'cpu', backendReason: '', runtime: 't', appVersion: 't' },
    });
    if (!r.ok) throw new Error(r.error.message);
    trained = r.value;
    const p = prepareData(table, schema, split);
    if (!p.ok) throw new Error('prep');
    test = { X: p.value.test.X, y: p.value.test.y as Int32Array };
  });

  it('int8 (per tensor, symmetric) is ≤ 26% of float32 and loses ≤ 1 point of accuracy', async () => {
    const base = await accuracyOf(trained.model);
    const c = compressModel(trained.model, { method: 'int8', perChannel: false, symmetric: true });
    if (!c.ok) throw new Error(c.error.message);
    expect(c.value.info.storedBytes / c.value.info.parentBytes).toBeLessThanOrEqual(0.26);
    expect(base - (await accuracyOf(c.value.model))).toBeLessThanOrEqual(0.01);
  });

  it('fp16 halves the size and keeps accuracy; binary shrinks ~30× and hurts; pruning reports its sparsity', async () => {
    const base = await accuracyOf(trained.model);
    const h = compressModel(trained.model, { method: 'fp16' });
    if (!h.ok) throw new Error('fp16');
    expect(h.value.info.storedBytes).toBe(h.value.info.parentBytes / 2);
    expect(Math.abs(base - (await accuracyOf(h.value.model)))).toBeLessThanOrEqual(0.004);
    const b = compressModel(trained.model, { method: 'binary' });
    if (!b.ok) throw new Error('binary');
    expect(b.value.info.storedBytes / b.value.info.parentBytes).toBeLessThan(0.05);
    const p = compressModel(trained.model, { method: 'prune', sparsity: 0.8, scope: 'global' });
    if (!p.ok) throw new Error('prune');
    expect(p.value.info.sparsity).toBeGreaterThan(0.78);
    expect(p.value.info.gzipBytes).toBeLessThan(p.value.info.parentBytes * 0.5);
    const pl = compressModel(trained.model, { method: 'prune', sparsity: 0.5, scope: 'layer' });
    expect(pl.ok && pl.value.info.sparsity).toBeGreaterThan(0.48);
    expect((compressModel(trained.model, { method: 'prune', sparsity: 1.5 }) as { ok: boolean }).ok).toBe(false);
  });

  it('low-rank factorization rebuilds a working model with fewer parameters', async () => {
    const c = compressModel(trained.model, { method: 'lowrank', energy: 0.9 });
    if (!c.ok) throw new Error(c.error.message);
    expect(c.value.info.params).toBeLessThan(asNetwork(trained.model).artifacts.weightData.byteLength / 4);
    expect(Object.keys(c.value.info.ranks!).length).toBeGreaterThan(0);
    const m = await artifactsToModel(c.value.model.artifacts!);
    disposeModel(m);
    expect(await accuracyOf(c.value.model)).toBeGreaterThan(0.8);
  });

  it('int8 exports to ONNX in QDQ form; onnxruntime matches the tfjs model; the bundle keeps it', async () => {
    for (const perChannel of [true, false])
      for (const symmetric of [true, false]) {
        const c = compressModel(trained.model, { method: 'int8', perChannel, symmetric });
        if (!c.ok) throw new Error('int8');
        const bytes = exportDenseOnnx(c.value.model.artifacts!, 64, 'test', c.value.info.quant);
        if (!bytes.ok) throw new Error(bytes.error.message);
        const f32 = exportDenseOnnx(asNetwork(trained.model).artifacts, 64);
        expect(bytes.value.byteLength).toBeLessThan((f32.ok ? f32.value.byteLength : 0) * 0.35);
        const session = await ort.InferenceSession.create(bytes.value);
        const n = 50;
        const out = await session.run({ features: new ort.Tensor('float32', test.X.slice(0, n * 64), [n, 64]) });
        await session.release();
        const tfOut = await predictMatrix({ ...c.value.model, compression: undefined }, test.X.slice(0, n * 64), n);
        const got = out.outputs!.data as Float32Array;
        let diff = 0;
        for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i]! - tfOut[i]!));
        expect(diff, `perChannel=${perChannel} symmetric=${symmetric}`).toBeLessThan(1e-4);
      }
    const c = compressModel(trained.model, { method: 'int8' });
    if (!c.ok) throw new Error('int8');
    const back = filesToBundle(bundleToFiles({ run: trained.run, model: c.value.model }), 'dir');
    expect(back.ok && back.value.model.compression?.method).toBe('int8');
  });
});

describe('distillation', () => {
  it('a small MLP learns from a forest teacher through soft targets alone (α = 1)', async () => {
    await tf.setBackend('cpu');
    const { distillRun } = await import('./distill.ts');
    const table = shippedTable('wine.csv');
    const schema = inferSchema(table, 'cultivar');
    const split = { kind: 'stratified' as const, fractions: [0.7, 0.15, 0.15] as [number, number, number], seed: 2 };
    const teacher = await runTraining({
      runId: 't',
      runName: 'forest',
      table,
      dataset: { id: datasetVersionId(table), name: 'w' },
      schema,
      split,
      config: upgradeConfig({ model: { kind: 'forest', nEstimators: 30 } }),
      environment: { backend: 'cpu', backendReason: '', runtime: 't', appVersion: 't' },
    });
    if (!teacher.ok) throw new Error(teacher.error.message);
    const before = tf.memory().numTensors;
    const d = await distillRun(
      teacher.value.run,
      teacher.value.model,
      table,
      { student: { hidden: [8] }, temperature: 4, alpha: 1, epochs: 60, learningRate: 0.02 },
      { runId: 's' },
    );
    if (!d.ok) throw new Error(d.error.message);
    expect(tf.memory().numTensors).toBe(before);
    expect(d.value.run.metrics.test!.accuracy).toBeGreaterThan(0.8);
    expect(d.value.run.compression!.parentRunId).toBe('t');
    expect(asNetwork(d.value.model).artifacts.weightData.byteLength / 4).toBe(13 * 8 + 8 + 8 * 3 + 3);
  });
});

describe('activation range estimation', () => {
  it('min-max takes the extremes, percentile and entropy clip a rare outlier', async () => {
    const { estimateRange } = await import('./activation-ranges.ts');
    const x = Float32Array.from({ length: 20000 }, (_, i) => Math.sin(i * 12.9898) * 2);
    x[5] = 100;
    expect(estimateRange(x, 'minmax').max).toBe(100);
    expect(estimateRange(x, 'percentile').max).toBeLessThan(3);
    const e = estimateRange(x, 'entropy');
    expect(e.max).toBeLessThan(20);
    expect(e.max).toBeGreaterThan(1.5);
    expect(e.min).toBe(-e.max);
    // With no outliers, clipping only loses information: the threshold stays near the maximum
    // (clipped mass counts against a candidate, as in TensorRT's calibrator).
    const u = Float32Array.from({ length: 20000 }, (_, i) => (i % 1000) / 100);
    expect(estimateRange(u, 'entropy').max).toBeGreaterThan(8);
  });
});

describe('static int8 (quantized activations)', () => {
  beforeAll(registerOrtWebRunner);
  it('calibrates activation ranges on training rows, runs in onnxruntime, and warns on a small calibration set', async () => {
    await tf.setBackend('cpu');
    const { compressRun } = await import('./compress-run.ts');
    const table = shippedTable('digits-8x8.csv');
    const schema = inferSchema(table, 'digit');
    const split = { kind: 'stratified' as const, fractions: [0.7, 0.15, 0.15] as [number, number, number], seed: 3 };
    const r = await runTraining({
      runId: 'f',
      runName: 'f',
      table,
      dataset: { id: datasetVersionId(table), name: 'd' },
      schema,
      split,
      config: upgradeConfig({ epochs: 12, learningRate: 0.005, model: { kind: 'mlp', hidden: [64] } }),
      environment: { backend: 'cpu', backendReason: '', runtime: 't', appVersion: 't' },
    });
    if (!r.ok) throw new Error(r.error.message);
    for (const rangeMethod of ['minmax', 'percentile', 'entropy'] as const) {
      const q = await compressRun(
        r.value.run,
        r.value.model,
        table,
        { method: 'int8-static', rangeMethod },
        { runId: `q-${rangeMethod}` },
      );
      if (!q.ok) throw new Error(q.error.message);
      expect(asOnnx(q.value.model).onnx).toBeDefined();
      expect(Object.keys(q.value.run.compression!.info.activations!)).toEqual(['dense_0', 'output']);
      expect(
        r.value.run.metrics.test!.accuracy! - q.value.run.metrics.test!.accuracy!,
        rangeMethod,
      ).toBeLessThanOrEqual(0.03);
      expect(q.warnings).toHaveLength(0);
    }
    const small = await compressRun(
      r.value.run,
      r.value.model,
      table,
      { method: 'int8-static', calibrationRows: 20 },
      { runId: 'small' },
    );
    expect(small.ok && small.warnings[0]!.message).toMatch(/20 row\(s\); at least 100/);
  });

  it("quantizes a CNN's convolution inputs too, and stays close to it", async () => {
    await tf.setBackend('cpu');
    const { compressRun } = await import('./compress-run.ts');
    const table = shippedTable('digits-8x8.csv');
    const schema = inferSchema(table, 'digit');
    const split = { kind: 'stratified' as const, fractions: [0.7, 0.15, 0.15] as [number, number, number], seed: 2 };
    const r = await runTraining({
      runId: 'c',
      runName: 'c',
      table,
      dataset: { id: datasetVersionId(table), name: 'c' },
      schema,
      split,
      config: upgradeConfig({
        epochs: 4,
        learningRate: 0.005,
        model: { kind: 'cnn', filters: [4], hidden: [16], batchNorm: true },
      }),
      environment: { backend: 'cpu', backendReason: '', runtime: 't', appVersion: 't' },
    });
    if (!r.ok) throw new Error(r.error.message);
    for (const rangeMethod of ['minmax', 'entropy'] as const) {
      const q = await compressRun(
        r.value.run,
        r.value.model,
        table,
        { method: 'int8-static', rangeMethod },
        { runId: `qc-${rangeMethod}` },
      );
      if (!q.ok) throw new Error(q.error.message);
      expect(Object.keys(q.value.run.compression!.info.activations!)).toEqual(['conv_0', 'dense_0', 'output']);
      expect(
        r.value.run.metrics.test!.accuracy! - q.value.run.metrics.test!.accuracy!,
        rangeMethod,
      ).toBeLessThanOrEqual(0.03);
    }
  });

  it('keeps a binary network (one sigmoid output) accurate: its single ONNX column is read as P(second class)', async () => {
    await tf.setBackend('cpu');
    const { compressRun } = await import('./compress-run.ts');
    const table = shippedTable('breast-cancer-wisconsin.csv');
    const schema = inferSchema(table, 'diagnosis');
    const split = { kind: 'stratified' as const, fractions: [0.7, 0.15, 0.15] as [number, number, number], seed: 1 };
    const r = await runTraining({
      runId: 'b',
      runName: 'b',
      table,
      dataset: { id: datasetVersionId(table), name: 'b' },
      schema,
      split,
      config: upgradeConfig({ epochs: 10, learningRate: 0.005, model: { kind: 'mlp', hidden: [32] } }),
      environment: { backend: 'cpu', backendReason: '', runtime: 't', appVersion: 't' },
    });
    if (!r.ok) throw new Error(r.error.message);
    const q = await compressRun(
      r.value.run,
      r.value.model,
      table,
      { method: 'int8-static', rangeMethod: 'minmax' },
      { runId: 'qb' },
    );
    if (!q.ok) throw new Error(q.error.message);
    expect(r.value.run.metrics.test!.accuracy!).toBeGreaterThan(0.9);
    expect(r.value.run.metrics.test!.accuracy! - q.value.run.metrics.test!.accuracy!).toBeLessThanOrEqual(0.03);
    // Probabilities agree with the float network's, row by row.
    const p = prepareData(table, schema, split, 'b', 'classification');
    if (!p.ok) throw new Error(p.error.message);
    const n = p.value.test.y.length;
    const a = await predictMatrix(r.value.model, p.value.test.X, n),
      b = await predictMatrix(q.value.model, p.value.test.X, n);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    expect(worst).toBeLessThan(0.2);
  });
});

describe('compression with fine-tuning', () => {
  it('pruning 90% loses less with fine-tuning than one-shot; QAT keeps int8 accurate', async () => {
    await tf.setBackend('cpu');
    const { fineTuneRun } = await import('./fine-tune.ts');
    const { compressRun } = await import('./compress-run.ts');
    const table = shippedTable('digits-8x8.csv');
    const schema = inferSchema(table, 'digit');
    const split = { kind: 'stratified' as const, fractions: [0.7, 0.15, 0.15] as [number, number, number], seed: 5 };
    const r = await runTraining({
      runId: 'base',
      runName: 'base',
      table,
      dataset: { id: datasetVersionId(table), name: 'd' },
      schema,
      split,
      config: upgradeConfig({ epochs: 12, learningRate: 0.005, model: { kind: 'mlp', hidden: [64] } }),
      environment: { backend: 'cpu', backendReason: '', runtime: 't', appVersion: 't' },
    });
    if (!r.ok) throw new Error(r.error.message);
    const before = tf.memory().numTensors;
    const oneShot = await compressRun(
      r.value.run,
      r.value.model,
      table,
      { method: 'prune', sparsity: 0.9 },
      { runId: 'p1' },
    );
    const tuned = await fineTuneRun(
      r.value.run,
      r.value.model,
      table,
      { method: 'prune', sparsity: 0.9, epochs: 6, learningRate: 0.002, gradual: true },
      { runId: 'p2' },
    );
    if (!oneShot.ok || !tuned.ok) throw new Error('prune');
    expect(tuned.value.run.compression!.info.sparsity).toBeGreaterThan(0.85);
    expect(tuned.value.run.metrics.test!.accuracy!).toBeGreaterThan(oneShot.value.run.metrics.test!.accuracy!);
    const qat = await fineTuneRun(
      r.value.run,
      r.value.model,
      table,
      { method: 'qat', epochs: 3, learningRate: 0.001 },
      { runId: 'q' },
    );
    if (!qat.ok) throw new Error(qat.error.message);
    expect(qat.value.run.compression!.info.method).toBe('int8');
    expect(r.value.run.metrics.test!.accuracy! - qat.value.run.metrics.test!.accuracy!).toBeLessThanOrEqual(0.02);
    expect(tf.memory().numTensors).toBe(before);
  });
});
