import { upgradeConfig } from '../../src/core/store/upgrade.ts';
// The benchmark page (bench.html, built only for `npm run bench`): Benchtop's training worker on each
// backend against the naive way — tfjs on the page's main thread — measured side by side in one run.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TFJS_WASM_PATHS } from '../../workers/wasm-assets.ts';
import type { DataApi } from '../../workers/data.api.ts';
import type { TrainApi } from '../../workers/train.api.ts';
import type { BackendName } from '../../src/core/model/spec.ts';
import { parseDelimitedBytes } from '../../src/core/data/parse-delimited.ts';
import { cell } from '../../src/core/data/table.ts';
import { registryBench, seedAppRuns, type RegistryRow } from './registry-bench.ts';
import { Repository } from '../../src/app/storage/repository.ts';
import { repositoryRunSource } from '../../src/app/run-source.ts';
import { measureBatchOnline, type BatchOnlineMeasure } from '../../src/app/batch-online.ts';
import { createRandom } from '../../src/core/util/random.ts';

export interface BatchBenchRow {
  dataset: string;
  rows: number;
  predictMs: number;
  writeMs: number;
  measure: BatchOnlineMeasure;
}

export interface BenchRow {
  name: string;
  where: 'worker' | 'main thread';
  backend: string;
  samplesPerSecond: number;
  longestTaskMs: number;
  epochs: number;
  note?: string;
}

const EPOCHS: Record<string, number> = { wasm: 8, cpu: 3, webgl: 3, webgpu: 3 };

function observeLongTasks(): () => number {
  let longest = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
  });
  obs.observe({ type: 'longtask', buffered: false });
  return () => {
    obs.disconnect();
    return longest;
  };
}

/** The app's data and training workers, connected to each other as the app connects them. */
async function startWorkers() {
  const dw = new Worker(new URL('../../workers/data.worker.ts', import.meta.url), { type: 'module' });
  const tw = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module' });
  const data = wrap(dw) as Remote<DataApi & { connect(p: MessagePort): void }>;
  const trainer = wrap(tw) as Remote<TrainApi & { connectData(p: MessagePort): void }>;
  const ch = new MessageChannel();
  await data.connect(transfer(ch.port1, [ch.port1]));
  await trainer.connectData(transfer(ch.port2, [ch.port2]));
  return { dw, tw, data, trainer };
}

async function inWorker(backend: BackendName): Promise<BenchRow> {
  const { dw, tw, data, trainer } = await startWorkers();
  const ds = await data.loadCatalog('digits');
  if (!ds.ok) throw new Error(ds.error.message);
  const status = await trainer.setBackend(backend);
  const epochs = EPOCHS[backend]!;
  const stop = observeLongTasks();
  let progressEvents = 0;
  const res = await trainer.train(
    {
      runId: 'bench',
      runName: 'bench',
      datasetId: ds.value.id,
      schema: ds.value.schema,
      split: { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: 1 },
      config: upgradeConfig({ epochs }),
    },
    proxy(() => void progressEvents++),
  );
  const longest = stop();
  dw.terminate();
  tw.terminate();
  if (!res.ok) throw new Error(res.error.message);
  return {
    name: 'Benchtop worker',
    where: 'worker',
    backend: status.backend === backend ? backend : `${backend}→${status.backend}`,
    samplesPerSecond: res.value.run.samplesPerSecond,
    longestTaskMs: longest,
    epochs,
    note: status.reason,
  };
}

/** The naive way: a tf.sequential MLP 64→128→64→10 trained with model.fit on the main thread. */
async function onMainThread(backend: string | null): Promise<BenchRow> {
  if (backend) await tf.setBackend(backend);
  await tf.ready();
  const res = await fetch('datasets/digits-8x8.csv');
  const t = parseDelimitedBytes(new Uint8Array(await res.arrayBuffer()), 'digits-8x8.csv');
  if (!t.ok) throw new Error(t.error.message);
  const n = Math.round(t.value.rowCount * 0.7);
  const X = new Float32Array(n * 64),
    Y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 64; j++) X[i * 64 + j] = Number(cell(t.value.columns[j]!, i)) / 16;
    Y[i] = Number(cell(t.value.columns[64]!, i));
  }
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 128, activation: 'relu', inputShape: [64] }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
  const xs = tf.tensor2d(X, [n, 64]);
  const ys = tf.oneHot(tf.tensor1d(Y, 'int32'), 10).toFloat();
  const epochs = EPOCHS[tf.getBackend()] ?? 3;
  const stop = observeLongTasks();
  const t0 = performance.now();
  await model.fit(xs, ys, { epochs, batchSize: 32, shuffle: true, verbose: 0 });
  const dt = performance.now() - t0;
  const longest = stop();
  xs.dispose();
  ys.dispose();
  model.dispose();
  return {
    name: backend ? 'naive, main thread' : 'naive, main thread (default backend)',
    where: 'main thread',
    backend: tf.getBackend(),
    samplesPerSecond: (n * epochs) / (dt / 1000),
    longestTaskMs: longest,
    epochs,
  };
}

export interface MatmulRow {
  gflops: number;
  threads: number;
  simd: boolean;
}

async function denseLayer(): Promise<MatmulRow> {
  const w = new Worker(new URL('./matmul.worker.ts', import.meta.url), { type: 'module' });
  const api = wrap<{ dense(size: number, reps: number, threads: number): Promise<MatmulRow> }>(w);
  const r = await api.dense(1024, 8, navigator.hardwareConcurrency || 1);
  w.terminate();
  return r;
}

export interface CompressionBenchRow {
  dataset: string;
  sizeFraction: number;
  accuracyFloat: number;
  accuracyInt8: number;
  tfjsFloat: { p50: number; throughput: number };
  ortInt8: { p50: number; throughput: number };
  ortFloat: { p50: number; throughput: number };
  /** Static int8 (activation ranges by min-max on 256 training rows): quantized activations too. */
  accuracyStatic: number;
  ortStatic: { p50: number; throughput: number };
}

/** Trains an MLP in the Benchtop worker, compresses it to int8 there, and measures both. */
async function compressionBench(): Promise<CompressionBenchRow[]> {
  const { dw, tw, data, trainer } = await startWorkers();
  await trainer.setBackend('wasm');
  const out: CompressionBenchRow[] = [];
  for (const id of ['digits', 'breast-cancer'] as const) {
    const ds = await data.loadCatalog(id);
    if (!ds.ok) throw new Error(ds.error.message);
    const res = await trainer.train({
      runId: `c-${id}`,
      runName: id,
      datasetId: ds.value.id,
      schema: ds.value.schema,
      split: { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: 1 },
      config: upgradeConfig({ epochs: 15, learningRate: 0.005 }),
    });
    if (!res.ok) throw new Error(res.error.message);
    const q = await trainer.deriveFrom(
      res.value,
      { kind: 'compress', spec: { method: 'int8', perChannel: false, symmetric: true } },
      `q-${id}`,
    );
    if (!q.ok) throw new Error(q.error.message);
    const s = await trainer.deriveFrom(
      res.value,
      { kind: 'compress', spec: { method: 'int8-static', rangeMethod: 'minmax', calibrationRows: 256 } },
      `s-${id}`,
    );
    if (!s.ok) throw new Error(s.error.message);
    const f = await trainer.measure(res.value.model, ['wasm']);
    const i = await trainer.measure(q.value.model, ['wasm']);
    const st = await trainer.measure(s.value.model, ['wasm']);
    if (!f.ok || !i.ok || !st.ok) throw new Error('measure failed');
    const pick = (rows: { runtime: string; p50: number; throughput: number }[], prefix: string) => {
      const r = rows.find((x) => x.runtime.startsWith(prefix))!;
      return { p50: r.p50, throughput: r.throughput };
    };
    out.push({
      dataset: ds.value.name,
      sizeFraction: q.value.run.compression!.info.storedBytes / q.value.run.compression!.info.parentBytes,
      accuracyFloat: res.value.run.metrics.test!.accuracy!,
      accuracyInt8: q.value.run.metrics.test!.accuracy!,
      tfjsFloat: pick(f.value, 'tfjs wasm'),
      ortInt8: pick(i.value, 'onnxruntime'),
      ortFloat: pick(f.value, 'onnxruntime'),
      accuracyStatic: s.value.run.metrics.test!.accuracy!,
      ortStatic: pick(st.value, 'onnxruntime'),
    });
  }
  dw.terminate();
  tw.terminate();
  return out;
}

/**
 * Batch against online prediction as the app does it: predict every row in the worker and store the
 * answers in IndexedDB, then look up 500 random rows from the page against asking the worker (model
 * kept loaded) for each.
 */
async function batchBench(): Promise<BatchBenchRow[]> {
  const { dw, tw, data, trainer } = await startWorkers();
  await trainer.setBackend('wasm');
  const repo = await Repository.open('benchtop-bench-batch');
  // The worker reads the run and its model by id from this repository, as in the app.
  await trainer.setRunSource(proxy(repositoryRunSource(repo)));
  const out: BatchBenchRow[] = [];
  try {
    for (const id of ['digits', 'wine'] as const) {
      const ds = await data.loadCatalog(id);
      if (!ds.ok) throw new Error(ds.error.message);
      const res = await trainer.train({
        runId: `b-${id}`,
        runName: id,
        datasetId: ds.value.id,
        schema: ds.value.schema,
        split: { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: 1 },
        config: upgradeConfig({ epochs: 5 }),
      });
      if (!res.ok) throw new Error(res.error.message);
      const stored = await repo.saveRun(res.value.run, res.value.model);
      if (!stored.ok) throw new Error(stored.error.message);
      const p = await trainer.predictDataset(`b-${id}`, ds.value.id);
      if (!p.ok) throw new Error(p.error.message);
      const set = await repo.savePredictions(
        {
          runId: `b-${id}`,
          datasetId: ds.value.id,
          rows: p.value.rows,
          width: p.value.width,
          chunkRows: 1024,
          createdAt: new Date().toISOString(),
          predictMs: p.value.ms,
        },
        p.value.outputs,
      );
      if (!set.ok) throw new Error(set.error.message);
      const rng = createRandom(3);
      const rows = Array.from({ length: 500 }, () => rng.int(p.value.rows));
      const measure = await measureBatchOnline(
        rows,
        (row) => repo.lookupPrediction(set.value, row),
        async (row) => {
          const r = await trainer.predictOnline(`b-${id}`, ds.value.id, row);
          if (!r.ok) throw new Error(r.error.message);
          return r.value;
        },
      );
      out.push({
        dataset: ds.value.name,
        rows: p.value.rows,
        predictMs: p.value.ms,
        writeMs: set.value.writeMs,
        measure,
      });
    }
  } finally {
    repo.close();
    dw.terminate();
    tw.terminate();
  }
  return out;
}

export interface DriftBenchResult {
  ok: boolean;
  message?: string;
  rows: number;
  parseMs: number;
  ms: number;
  features: Record<
    string,
    { kind: string; statistic: number; p: number; psi: number; js: number; wasserstein?: number }
  >;
}

/** Per-feature drift statistics on 200,000 flights × 10 features, in a worker (see drift.worker.ts). */
function driftBench(): Promise<DriftBenchResult> {
  return new Promise((resolve) => {
    const w = new Worker(new URL('./drift.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<DriftBenchResult>) => (w.terminate(), resolve(e.data));
    w.onerror = (e) => (
      w.terminate(),
      resolve({ ok: false, message: e.message, rows: 0, parseMs: NaN, ms: NaN, features: {} })
    );
    w.postMessage({ url: '/flights-drift.csv' });
  });
}

async function main() {
  if (location.hash === '#seed-runs') {
    await seedAppRuns();
    (window as unknown as { seeded: boolean }).seeded = true;
    return;
  }
  setWasmPaths(TFJS_WASM_PATHS as Record<string, string>);
  const out = document.getElementById('out')!;
  const rows: BenchRow[] = [];
  const cases: [string, () => Promise<BenchRow>][] = [
    ['naive default', () => onMainThread(null)],
    ['naive wasm', () => onMainThread('wasm')],
    ...(['wasm', 'cpu', 'webgl', 'webgpu'] as BackendName[]).map(
      (b) => [`worker ${b}`, () => inWorker(b)] as [string, () => Promise<BenchRow>],
    ),
  ];
  for (const [label, fn] of cases) {
    try {
      rows.push(await fn());
    } catch (e) {
      rows.push({
        name: label,
        where: 'worker',
        backend: '-',
        samplesPerSecond: NaN,
        longestTaskMs: NaN,
        epochs: 0,
        note: `failed: ${(e as Error).message}`,
      });
    }
    out.textContent = JSON.stringify(rows, null, 1);
  }
  const matmul = await denseLayer().catch((e: Error) => ({ gflops: NaN, threads: 0, simd: false, error: e.message }));
  (window as unknown as { benchMatmul: MatmulRow }).benchMatmul = matmul;
  (window as unknown as { benchCompression: CompressionBenchRow[] | string }).benchCompression =
    await compressionBench().catch((e: Error) => `failed: ${e.message}`);
  (window as unknown as { benchDrift: DriftBenchResult }).benchDrift = await driftBench();
  (window as unknown as { benchBatch: BatchBenchRow[] | string }).benchBatch = await batchBench().catch(
    (e: Error) => `failed: ${e.message}`,
  );
  (window as unknown as { benchRegistry: RegistryRow[] }).benchRegistry = await registryBench().catch((e: Error) => [
    { name: `registry bench failed: ${e.message}`, ms: NaN },
  ]);
  (window as unknown as { benchResults: BenchRow[] }).benchResults = rows;
}

void main();
