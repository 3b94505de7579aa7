import { asNetwork } from '../src/core/model/model-kind.ts';
import { upgradeConfig } from '../src/core/store/upgrade.ts';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedTable, trainRequest } from '../tests/unit/fixtures.ts';
import { artifactsToModel, disposeModel } from '../src/core/model/artifacts.ts';
import { runTraining } from '../src/core/model/run-training.ts';
import { exportDenseOnnx } from '../src/core/onnx/export-dense.ts';
import { ServingError } from '../src/core/serving/http.ts';
import {
  health,
  kserveInfer,
  kserveMetadata,
  planInputs,
  tfServingPredict,
  tfServingStatus,
  type Endpoint,
} from '../src/core/serving/protocols.ts';
import { latencySummary, predictRemote } from '../src/core/serving/remote-predict.ts';
import { compareLocalRemote } from '../src/core/serving/compare.ts';
import { compressModel } from '../src/core/compression/compress.ts';
import { NO_FAULTS, startServer } from './serve.ts';

const fast = { timeoutMs: 2000, retries: 0, backoffMs: 10 };
let onnx: Uint8Array;
let trained: import('../src/core/model/spec.ts').TrainedModel;
let X: Float32Array;
let expected: Float32Array;
const n = 12,
  d = 13;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const table = shippedTable('wine.csv');
  const r = await runTraining(
    trainRequest(table, 'cultivar', upgradeConfig({ epochs: 3, model: { kind: 'mlp', hidden: [8] } }), {
      runId: 's',
      file: 'w',
    }),
  );
  if (!r.ok) throw new Error(r.error.message);
  const e = exportDenseOnnx(asNetwork(r.value.model).artifacts, d);
  if (!e.ok) throw new Error(e.error.message);
  onnx = e.value;
  trained = r.value.model;
  X = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i * 1.7));
  const m = await artifactsToModel(asNetwork(r.value.model).artifacts);
  expected = tf.tidy(() => (m.predict(tf.tensor2d(X, [n, d])) as tf.Tensor).dataSync() as Float32Array).slice();
  disposeModel(m);
});

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('benchtop serve --per-feature-inputs: features mapped to named inputs', () => {
  it('matches features by name, follows an explicit map, and refuses a missing input', async () => {
    const features = trained.preprocessor.inputNames;
    const s = await startServer({
      onnx,
      name: 'wine',
      version: '1',
      port: 0,
      origins: [],
      faults: NO_FAULTS,
      perFeatureInputs: features,
    });
    try {
      const e: Endpoint = { url: s.url, protocol: 'kserve-v2', model: 'wine' };
      const meta = await kserveMetadata(e, fast);
      expect(meta.inputs.map((t) => t.name)).toEqual(features);
      const p = await kserveInfer(e, meta, X, n, d, fast, planInputs(meta, d, features));
      expect(maxDiff(p.values, expected)).toBeLessThan(1e-5);
      // Binary too, each feature its own tensor.
      const b = await kserveInfer({ ...e, binary: true }, meta, X, n, d, fast, planInputs(meta, d, features));
      expect(maxDiff(b.values, expected)).toBeLessThan(1e-5);
      // Swapping two features through the map changes the answer (the map is obeyed).
      const swapped = Object.fromEntries(features.map((f, i) => [f, [features[i === 0 ? 1 : i === 1 ? 0 : i]!]]));
      const q = await kserveInfer(e, meta, X, n, d, fast, planInputs(meta, d, features, swapped));
      expect(maxDiff(q.values, expected)).toBeGreaterThan(1e-4);
      // A server input left out: the server says which.
      const short = { ...meta, inputs: meta.inputs.slice(1) };
      await expect(kserveInfer(e, short, X, n, d, fast, planInputs(short, d, features))).rejects.toThrow(
        new RegExp(`HTTP 400: missing inputs for model 'wine': ${features[0]}`),
      );
    } finally {
      await s.close();
    }
  });
});

describe('benchtop serve (onnxruntime-node on loopback)', () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    s = await startServer({
      onnx,
      name: 'wine',
      version: '3',
      port: 0,
      origins: ['http://localhost:4173'],
      faults: NO_FAULTS,
    });
  });
  afterAll(() => s.close());

  it('speaks KServe V2: health, metadata from the ONNX graph, infer matching the tfjs model', async () => {
    const e: Endpoint = { url: s.url, protocol: 'kserve-v2', model: 'wine', version: '3' };
    expect(await health(e, fast)).toEqual({ live: true, ready: true, modelReady: true });
    const meta = await kserveMetadata(e, fast);
    expect(meta.inputs).toEqual([{ name: 'features', datatype: 'FP32', shape: [-1, d] }]);
    const p = await kserveInfer(e, meta, X, n, d, fast);
    expect(p.width).toBe(3);
    expect(maxDiff(p.values, expected)).toBeLessThan(1e-5);
    // A wrong width is refused by the server with its reason.
    await expect(
      kserveInfer(e, { ...meta, inputs: [{ ...meta.inputs[0]!, shape: [-1, 5] }] }, X, 2, 5, fast),
    ).rejects.toThrow(/HTTP 400: unexpected shape for input 'features'/);
    await expect(kserveMetadata({ ...e, version: '9' }, fast)).rejects.toThrow(/HTTP 404: Version '9'/);
  });

  it("speaks Triton's binary tensor extension: the same outputs as JSON, fewer bytes", async () => {
    const e: Endpoint = { url: s.url, protocol: 'kserve-v2', model: 'wine' };
    const meta = await kserveMetadata(e, fast);
    const json = await kserveInfer(e, meta, X, n, d, fast);
    const bin = await kserveInfer({ ...e, binary: true }, meta, X, n, d, fast);
    expect(Array.from(bin.values)).toEqual(Array.from(json.values));
    const { kserveInferTimed } = await import('../src/core/serving/protocols.ts');
    const tj = (await kserveInferTimed(e, meta, X, n, d, fast)).timing,
      tb = (await kserveInferTimed({ ...e, binary: true }, meta, X, n, d, fast)).timing;
    expect(tb.bytesSent).toBeLessThan(tj.bytesSent);
    expect(tb.bytesReceived).toBeLessThan(tj.bytesReceived);
  });

  it('speaks TF Serving: status, row and columnar predict', async () => {
    const e: Endpoint = { url: s.url, protocol: 'tfserving', model: 'wine' };
    expect((await tfServingStatus(e, fast))[0]!.state).toBe('AVAILABLE');
    for (const format of ['row', 'columnar'] as const)
      expect(maxDiff((await tfServingPredict(e, X, n, d, format, fast)).values, expected)).toBeLessThan(1e-5);
  });

  it('predicts in batches with a concurrency limit, rows back in order, with timings and progress', async () => {
    for (const e of [
      { url: s.url, protocol: 'kserve-v2', model: 'wine' },
      { url: s.url, protocol: 'tfserving', model: 'wine' },
    ] as Endpoint[]) {
      const meta = e.protocol === 'kserve-v2' ? await kserveMetadata(e, fast) : null;
      for (const [batchSize, concurrency] of [
        [5, 3],
        [1, 4],
        [100, 1],
      ]) {
        const progress: number[] = [];
        const r = await predictRemote(e, meta, X, n, d, {
          batchSize,
          concurrency,
          http: fast,
          onProgress: (done) => progress.push(done),
        });
        expect(r.width).toBe(3);
        expect(maxDiff(r.values, expected), `${e.protocol} ${batchSize}×${concurrency}`).toBeLessThan(1e-5);
        expect(r.calls).toHaveLength(Math.ceil(n / batchSize));
        expect(progress.at(-1)).toBe(n);
        expect(r.calls.reduce((a, c) => a + c.bytesSent, 0)).toBeGreaterThan(n * d);
      }
    }
    const ctl = new AbortController();
    ctl.abort();
    await expect(
      predictRemote({ url: s.url, protocol: 'tfserving', model: 'wine' }, null, X, n, d, {
        batchSize: 1,
        concurrency: 1,
        http: fast,
        signal: ctl.signal,
      }),
    ).rejects.toThrow(/Cancelled/);
    expect(latencySummary([5, 1, 3, 2, 4])).toEqual({ p50: 3, p95: 5, p99: 5, mean: 3 });
  });

  it("sends CORS headers to the app's origin only, and answers preflights", async () => {
    const ok = await fetch(`${s.url}/v2/models/wine`, { headers: { origin: 'http://localhost:4173' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:4173');
    const other = await fetch(`${s.url}/v2/models/wine`, { headers: { origin: 'http://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${s.url}/v2/models/wine/infer`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:4173', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
  });
});

describe('benchtop serve fault injection', () => {
  it('errors, malformed bodies, stalls and latency reach the client as named failures', async () => {
    const kinds: Record<string, string> = {};
    for (const [fault, faults] of [
      ['error', { errorRate: 1 }],
      ['malformed', { malformedRate: 1 }],
      ['stall', { stallRate: 1 }],
    ] as const) {
      const s = await startServer({
        onnx,
        name: 'wine',
        version: '1',
        port: 0,
        origins: [],
        faults: { ...NO_FAULTS, ...faults },
      });
      try {
        const e: Endpoint = { url: s.url, protocol: 'kserve-v2', model: 'wine' };
        const meta = await kserveMetadata(e, fast); // metadata is never faulted
        kinds[fault] = await kserveInfer(e, meta, X, 1, d, { ...fast, timeoutMs: 300 }).then(
          () => 'ok',
          (err: ServingError) => err.kind,
        );
      } finally {
        await s.close();
      }
    }
    expect(kinds).toEqual({ error: 'http', malformed: 'malformed', stall: 'timeout' });
    const slow = await startServer({
      onnx,
      name: 'wine',
      version: '1',
      port: 0,
      origins: [],
      faults: { ...NO_FAULTS, latencyMs: 150 },
    });
    try {
      const t0 = performance.now();
      await health({ url: slow.url, protocol: 'kserve-v2', model: 'wine' }, fast);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(3 * 140); // three calls, each delayed
    } finally {
      await slow.close();
    }
  });
});

describe('local against remote', () => {
  it('the same model agrees everywhere; a binarized one disagrees, and the rows are listed', async () => {
    const y = Int32Array.from({ length: n }, (_, i) => i % 3);
    const evenAccuracy = (o: Float64Array) => {
      let hit = 0;
      for (let i = 0; i < n; i += 2)
        hit += Number([0, 1, 2].reduce((m, j) => (o[i * 3 + j]! > o[i * 3 + m]! ? j : m), 0) === y[i]);
      return hit / (n / 2);
    };
    const local = Float64Array.from(expected);
    const same = await startServer({ onnx, name: 'wine', version: '1', port: 0, origins: [], faults: NO_FAULTS });
    const bin = compressModel(trained, { method: 'binary' });
    if (!bin.ok) throw new Error('binary');
    const binOnnx = exportDenseOnnx(bin.value.model.artifacts!, d);
    if (!binOnnx.ok) throw new Error(binOnnx.error.message);
    const other = await startServer({
      onnx: binOnnx.value,
      name: 'wine',
      version: '1',
      port: 0,
      origins: [],
      faults: NO_FAULTS,
    });
    try {
      const run = async (url: string) => {
        const r = await predictRemote({ url, protocol: 'tfserving', model: 'wine' }, null, X, n, d, {
          batchSize: 4,
          concurrency: 2,
          http: fast,
        });
        return compareLocalRemote({
          pre: trained.preprocessor,
          y,
          local: { outputs: local, callMs: [1, 2], rowsPerSecond: 1000 },
          remote: {
            raw: r.values,
            width: r.width,
            callMs: r.calls.map((c) => c.totalMs),
            rowsPerSecond: n / (r.wallMs / 1000),
            bytesSent: r.calls.reduce((a, c) => a + c.bytesSent, 0),
          },
          price: { perMillionRequests: 2, rowsPerRequest: 4 },
          slices: (o) => [
            { feature: 'parity', category: 'even', n: n / 2, metric: 'accuracy', value: evenAccuracy(o) },
          ],
        });
      };
      const a = await run(same.url);
      expect(a.agreement).toBe(1);
      expect(a.maxDiff).toBeLessThan(1e-5);
      expect(a.disagreements).toEqual([]);
      expect(a.remote.metrics.accuracy).toBeCloseTo(a.local.metrics.accuracy!, 10);
      expect(a.costPerMillion).toBe(0.5);
      const b = await run(other.url);
      // Hand count of the rows where the binarized model's class differs from the float model's.
      const binLocal = await artifactsToModel(bin.value.model.artifacts!);
      const binOut = tf.tidy(() =>
        (binLocal.predict(tf.tensor2d(X, [n, d])) as tf.Tensor).argMax(-1).dataSync().slice(),
      );
      disposeModel(binLocal);
      const floatCls = Array.from({ length: n }, (_, i) =>
        [0, 1, 2].reduce((m, j) => (expected[i * 3 + j]! > expected[i * 3 + m]! ? j : m), 0),
      );
      const differ = floatCls.filter((c, i) => c !== binOut[i]).length;
      expect(differ).toBeGreaterThan(0);
      expect(b.agreement).toBeCloseTo(1 - differ / n, 10);
      expect(b.disagreements).toHaveLength(differ);
      expect(a.slices[0]!.delta).toBe(0);
      expect(b.slices[0]!.delta).toBeCloseTo(b.slices[0]!.remote - b.slices[0]!.local, 12);
      expect(b.slices[0]!.local).toBeCloseTo(evenAccuracy(local), 12);
      for (const r of b.disagreements)
        expect(trained.preprocessor.label.task === 'classification' && r.local).not.toBe(r.remote);
    } finally {
      await same.close();
      await other.close();
    }
  });
});
