// Issue 17, "served equals predicted": an int8 (QDQ) model exported to ONNX must answer the same through
// `benchtop serve` (onnxruntime-node) and onnxruntime-web as `predict` does (tfjs on the dequantized
// weights) — onnxruntime's 'all' graph optimizations fuse QDQ pairs into integer kernels that round
// differently (up to 4.8e-3 was seen).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedTable, trainRequest } from '../tests/unit/fixtures.ts';
import { artifactsToModel, disposeModel } from '../src/core/model/artifacts.ts';
import { asNetwork } from '../src/core/model/model-kind.ts';
import { onnxRunner } from '../src/core/model/onnx-runner.ts';
import { runTraining } from '../src/core/model/run-training.ts';
import { compressModel } from '../src/core/compression/compress.ts';
import { modelToOnnx } from '../src/core/onnx/export-dense.ts';
import { kserveInfer, kserveMetadata, type Endpoint } from '../src/core/serving/protocols.ts';
import { upgradeConfig } from '../src/core/store/upgrade.ts';
import { registerOrtWebRunner } from './ort-web-runner.ts';
import { NO_FAULTS, startServer } from './serve.ts';

const d = 13;
const n = 178;
let X: Float32Array;
const variants: { name: string; onnx: Uint8Array; expected: Float32Array }[] = [];

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

beforeAll(async () => {
  await tf.setBackend('cpu');
  const table = shippedTable('wine.csv');
  const r = await runTraining(
    trainRequest(table, 'cultivar', upgradeConfig({ epochs: 30, model: { kind: 'mlp', hidden: [16, 8] } }), {
      runId: 'q',
      file: 'wine.csv',
    }),
  );
  if (!r.ok) throw new Error(r.error.message);
  // Standardized-scale inputs spread wide enough to reach every quantization step.
  X = Float32Array.from({ length: n * d }, (_, i) => 2.5 * Math.sin(i * 1.7) + Math.cos(i * 0.31));
  for (const [name, spec] of [
    ['int8 per channel, symmetric', { method: 'int8', perChannel: true, symmetric: true }],
    ['int8 per tensor, asymmetric', { method: 'int8', perChannel: false, symmetric: false }],
  ] as const) {
    const q = compressModel(r.value.model, spec);
    if (!q.ok) throw new Error(q.error.message);
    const o = modelToOnnx(q.value.model);
    if (!o.ok) throw new Error(o.error.message);
    const m = await artifactsToModel(asNetwork(q.value.model).artifacts);
    const expected = tf.tidy(() => (m.predict(tf.tensor2d(X, [n, d])) as tf.Tensor).dataSync() as Float32Array);
    disposeModel(m);
    variants.push({ name, onnx: o.value, expected: expected.slice() });
  }
}, 120_000);

describe('int8 models: served and run in onnxruntime-web as predict predicts', () => {
  it('benchtop serve (onnxruntime-node) matches predict to 1e-5', async () => {
    for (const v of variants) {
      const s = await startServer({ onnx: v.onnx, name: 'q', version: '1', port: 0, origins: [], faults: NO_FAULTS });
      try {
        const e: Endpoint = { url: s.url, protocol: 'kserve-v2', model: 'q' };
        const fast = { timeoutMs: 5000, retries: 0, backoffMs: 10 };
        const meta = await kserveMetadata(e, fast);
        const p = await kserveInfer(e, meta, X, n, d, fast);
        expect(maxDiff(p.values, v.expected), v.name).toBeLessThan(1e-5);
      } finally {
        await s.close();
      }
    }
  });

  it('onnxruntime-web (the runner predict and the CLI use) matches predict to 1e-5', async () => {
    registerOrtWebRunner();
    for (const v of variants) {
      const out = await onnxRunner()(v.onnx, X, n, d);
      expect(maxDiff(out, v.expected), v.name).toBeLessThan(1e-5);
    }
  });
});
