import { configFor } from '../families/index.ts';
import { asNetwork } from '../model/model-kind.ts';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { shippedTable, trainRequest } from '../../../tests/unit/fixtures.ts';
import { expectNoTensorLeak } from '../../../tests/unit/tensor-leak.ts';
import { artifactsToModel, disposeModel } from '../model/artifacts.ts';
import { predictOutputs } from '../model/predict.ts';
import { runTraining } from '../model/run-training.ts';

import { modelToOnnx } from '../onnx/export-dense.ts';
import { fail, ok } from '../util/result.ts';
import { measureLatency, THROUGHPUT_BATCH, timeCalls, type LatencyRuntimes } from './measure-latency.ts';

ort.env.wasm.numThreads = 1;

/** A fake clock that each call advances by the next of `durations` (cycling), so timings are exact. */
function fakeClock(durations: number[]) {
  let t = 0,
    i = 0;
  return {
    now: () => t,
    call: async () => {
      t += durations[i++ % durations.length]!;
    },
  };
}

describe('timeCalls', () => {
  it('takes nearest-rank percentiles of the timed calls, after one untimed warm-up', async () => {
    // Warm-up takes 1000 ms and must not count; then 1..20 ms in a shuffled order.
    const order = [1000, 7, 3, 20, 1, 15, 9, 12, 5, 18, 2, 11, 4, 16, 8, 19, 6, 14, 10, 13, 17];
    const c = fakeClock(order);
    const r = await timeCalls(c.call, 20, c.now);
    // Sorted 1..20: p50 = ts[floor(20·0.5)] = ts[10] = 11; p95 = ts[min(19, floor(19))] = ts[19] = 20.
    expect(r).toEqual({ p50: 11, p95: 20 });
  });
});

describe('measureLatency with injected runtimes (fake clock)', () => {
  function runtimes(over: Partial<LatencyRuntimes> = {}) {
    const c = fakeClock([2]);
    const log: string[] = [];
    const rt: LatencyRuntimes = {
      now: c.now,
      activateTfjs: async (b) => {
        log.push(`activate ${b}`);
        if (b === 'webgpu') throw new Error('no adapter');
        return b !== 'webgl'; // webgl "falls back" to another backend: not that backend, so skipped
      },
      loadTfjs: async () => ({
        predict: async (_X, n) => {
          await c.call();
          return new Float32Array(n);
        },
        dispose: () => log.push('dispose'),
      }),
      runOrt: async (_m, X, n, _d, ep) => {
        await c.call();
        // webgpu's outputs differ from wasm's by 0.25 on the first value only.
        return Float32Array.from({ length: n }, (_, i) => X[i]! + (ep === 'webgpu' && i === 0 ? 0.25 : 0));
      },
      ...over,
    };
    return { rt, log };
  }

  it('one row per runtime that started, with ordered percentiles and throughput from the batch p50', async () => {
    const { rt, log } = runtimes();
    const rows = await measureLatency(
      {
        inputSize: 3,
        tfjsBackends: ['webgpu', 'webgl', 'wasm', 'cpu'],
        onnx: ok(new Uint8Array([1])),
        ortProviders: ['wasm', 'webgpu'],
        ortLabel: ' (int8 QDQ)',
      },
      rt,
    );
    expect(rows.map((r) => r.runtime)).toEqual([
      'tfjs wasm',
      'tfjs cpu',
      'onnxruntime-web wasm (int8 QDQ)',
      'onnxruntime-web webgpu (int8 QDQ)',
    ]);
    for (const r of rows) {
      expect(r.p50).toBe(2);
      expect(r.p95).toBeGreaterThanOrEqual(r.p50);
      // Every call takes 2 ms on the fake clock: 256 rows / 2 ms = 128,000 rows/s.
      expect(r.throughput).toBe(THROUGHPUT_BATCH / 0.002);
      expect(r.note).toBeUndefined();
    }
    expect(rows[2]!.maxDiff).toBeUndefined();
    expect(rows[3]!.maxDiff).toBe(0.25);
    expect(log.filter((l) => l === 'dispose')).toHaveLength(2);
    expect(log.filter((l) => l.startsWith('activate'))).toEqual([
      'activate webgpu',
      'activate webgl',
      'activate wasm',
      'activate cpu',
    ]);
  });

  it('a runtime that fails is a row with a note and NaN timings, not a throw', async () => {
    const { rt, log } = runtimes({
      runOrt: async (_m, _X, n, _d, ep) => {
        if (ep === 'webgpu') throw new Error('webgpu session failed');
        return new Float32Array(n);
      },
    });
    const base = rt.loadTfjs;
    rt.loadTfjs = async () => {
      const m = await base();
      return {
        ...m,
        predict: async () => {
          throw new Error('kernel missing');
        },
      };
    };
    const rows = await measureLatency(
      { inputSize: 2, tfjsBackends: ['cpu'], onnx: ok(new Uint8Array([1])), ortProviders: ['wasm', 'webgpu'] },
      rt,
    );
    expect(rows[0]).toMatchObject({ runtime: 'tfjs cpu', note: 'kernel missing' });
    expect(rows[0]!.p50).toBeNaN();
    expect(log).toContain('dispose'); // the failed network is still disposed
    expect(rows[1]!.note).toBeUndefined();
    expect(rows[2]).toMatchObject({ runtime: 'onnxruntime-web webgpu', note: 'webgpu session failed' });
    expect(rows[2]!.throughput).toBeNaN();
  });

  it('a model without ONNX bytes says why on each ORT row', async () => {
    const { rt } = runtimes();
    const rows = await measureLatency(
      {
        inputSize: 2,
        tfjsBackends: [],
        onnx: fail({ kind: 'unsupported-model', message: 'no ONNX export' }),
        ortProviders: ['wasm'],
      },
      rt,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ runtime: 'onnxruntime-web wasm', note: 'no ONNX export' });
  });
});

// The real runtimes in Node: tfjs's cpu backend, and onnxruntime-web's WASM build.
describe('measureLatency with tfjs cpu and onnxruntime-web wasm', () => {
  it('times a softmax regression trained on wine.csv on both, leaking no tensor', async () => {
    await tf.setBackend('cpu');
    const table = shippedTable('wine.csv');
    const r = await runTraining(
      trainRequest(table, 'cultivar', configFor('logistic', { epochs: 1 }), { file: 'wine.csv' }),
    );
    if (!r.ok) throw new Error(r.error.message);
    const model = r.value.model;
    const sessions = new Map<Uint8Array, Promise<ort.InferenceSession>>();
    const rows = await expectNoTensorLeak(() =>
      measureLatency(
        {
          inputSize: model.preprocessor.inputSize,
          tfjsBackends: ['no-such-backend', 'cpu'],
          onnx: modelToOnnx(model, 'test'),
          ortProviders: ['wasm'],
        },
        {
          activateTfjs: async (b) => (await tf.setBackend(b)) && tf.getBackend() === b,
          loadTfjs: async () => {
            const m = await artifactsToModel(asNetwork(model).artifacts);
            return { predict: (X, n) => predictOutputs(m, model.preprocessor, X, n), dispose: () => disposeModel(m) };
          },
          runOrt: async (bytes, X, n, d) => {
            if (!sessions.has(bytes)) sessions.set(bytes, ort.InferenceSession.create(bytes));
            const s = await sessions.get(bytes)!;
            const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', X, [n, d]) });
            return Float32Array.from(out[s.outputNames[0]!]!.data as Float32Array);
          },
        },
      ),
    );
    for (const s of sessions.values()) await (await s).release();
    expect(rows.map((x) => x.runtime)).toEqual(['tfjs cpu', 'onnxruntime-web wasm']);
    for (const row of rows) {
      expect(row.note).toBeUndefined();
      expect(row.p50).toBeGreaterThan(0);
      expect(row.p95).toBeGreaterThanOrEqual(row.p50);
      expect(Number.isFinite(row.throughput) && row.throughput > 0).toBe(true);
    }
  });
});
