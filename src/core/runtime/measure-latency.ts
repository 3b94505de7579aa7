import type { Result } from '../util/result.ts';

/** One runtime's timing of a model: latency at batch 1 and throughput at batch 256. */
export interface LatencyRow {
  runtime: string;
  p50: number;
  p95: number;
  throughput: number;
  note?: string;
  /** ORT WebGPU: the largest difference of its outputs from ORT WASM's on the same 256 rows. */
  maxDiff?: number;
}

/** An onnxruntime-web execution provider. */
export type OrtProvider = 'wasm' | 'webgpu';

/** A network loaded on the tfjs backend that is active now. */
export interface TfjsPredictor {
  predict(X: Float32Array, n: number): Promise<unknown>;
  dispose(): void;
}

/**
 * The runtimes, injected: the worker passes tfjs and onnxruntime-web, tests pass the Node builds
 * (or fakes with a fake clock).
 */
export interface LatencyRuntimes {
  /** Starts a tfjs backend; resolves true when exactly that backend runs now (false or a throw: skip it). */
  activateTfjs(backend: string): Promise<boolean>;
  /** Loads the network on the active tfjs backend. */
  loadTfjs(): Promise<TfjsPredictor>;
  /** Runs ONNX bytes on n rows of d features and returns the outputs. */
  runOrt(model: Uint8Array, X: Float32Array, n: number, d: number, ep: OrtProvider): Promise<Float32Array>;
  /** Milliseconds clock (default `performance.now`). */
  now?: () => number;
}

/** What to time. */
export interface LatencyTarget {
  /** Encoded features per row. */
  inputSize: number;
  /** tfjs backends to time the network on, in order ([] when the model has no tfjs network). */
  tfjsBackends: readonly string[];
  /** The model's ONNX bytes, or why there are none (reported as a note on each ORT row). */
  onnx: Result<Uint8Array>;
  /** ORT execution providers, `wasm` first: its outputs are the reference for the others' `maxDiff`. */
  ortProviders: readonly OrtProvider[];
  /** Appended to the ORT runtime labels, e.g. ` (int8 QDQ)`. */
  ortLabel?: string;
}

/** Batch size of the throughput measurement. */
export const THROUGHPUT_BATCH = 256;

/**
 * Times `f` `reps` times after one warm-up call; p50 is the sorted time at ⌊0.5·reps⌋, p95 at
 * min(reps − 1, ⌊0.95·reps⌋) (nearest rank, no interpolation).
 */
export async function timeCalls(
  f: () => Promise<unknown>,
  reps: number,
  now: () => number = () => performance.now(),
): Promise<{ p50: number; p95: number }> {
  await f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    await f();
    ts.push(now() - t0);
  }
  ts.sort((a, b) => a - b);
  return { p50: ts[Math.floor(ts.length * 0.5)]!, p95: ts[Math.min(ts.length - 1, Math.floor(ts.length * 0.95))]! };
}

const failedRow = (runtime: string, note: string): LatencyRow => ({
  runtime,
  p50: NaN,
  p95: NaN,
  throughput: NaN,
  note,
});

/**
 * Latency (p50/p95 of a batch of 1) and throughput (rows/s at batch 256, from the p50 of that batch) of
 * one network on each tfjs backend and each onnxruntime-web execution provider. Inputs are synthetic
 * rows of the right width (sin of the index), so no dataset is needed. A tfjs backend that does not
 * start is skipped; a runtime that fails while predicting gives a row with `note` and NaN timings —
 * nothing is thrown for a runtime's failure. The caller restores the tfjs backend it was using.
 *
 * Cost: 40 + 10 timed batch-1 calls and 10 + 3 batch-256 calls on wasm/cpu (10 + 3 on GPU backends);
 * ORT: 20 + 6 (wasm), 10 + 4 (webgpu), plus one batch for the output comparison.
 * @example
 * const rows = await measureLatency({ inputSize: 4, tfjsBackends: ['cpu'], onnx, ortProviders: ['wasm'] }, runtimes);
 * // [{ runtime: 'tfjs cpu', p50, p95, throughput }, { runtime: 'onnxruntime-web wasm', … }]
 */
export async function measureLatency(target: LatencyTarget, rt: LatencyRuntimes): Promise<LatencyRow[]> {
  const d = target.inputSize;
  const now = rt.now ?? (() => performance.now());
  const x1 = Float32Array.from({ length: d }, (_, i) => Math.sin(i));
  const xMany = Float32Array.from({ length: THROUGHPUT_BATCH * d }, (_, i) => Math.sin(i * 0.37));
  const rate = (ms: number) => THROUGHPUT_BATCH / (ms / 1000);
  const rows: LatencyRow[] = [];
  for (const b of target.tfjsBackends) {
    if (!(await rt.activateTfjs(b).catch(() => false))) continue;
    const runtime = `tfjs ${b}`;
    try {
      const m = await rt.loadTfjs();
      try {
        const reps = b === 'wasm' || b === 'cpu' ? 40 : 10;
        const one = await timeCalls(() => m.predict(x1, 1), reps, now);
        const many = await timeCalls(() => m.predict(xMany, THROUGHPUT_BATCH), Math.max(3, reps / 4), now);
        rows.push({ runtime, p50: one.p50, p95: one.p95, throughput: rate(many.p50) });
      } finally {
        m.dispose();
      }
    } catch (e) {
      rows.push(failedRow(runtime, (e as Error).message));
    }
  }
  let reference: Float32Array | undefined;
  for (const ep of target.ortProviders) {
    const runtime = `onnxruntime-web ${ep}${target.ortLabel ?? ''}`;
    if (!target.onnx.ok) {
      rows.push(failedRow(runtime, target.onnx.error.message));
      continue;
    }
    const bytes = target.onnx.value;
    try {
      const one = await timeCalls(() => rt.runOrt(bytes, x1, 1, d, ep), ep === 'wasm' ? 20 : 10, now);
      const many = await timeCalls(() => rt.runOrt(bytes, xMany, THROUGHPUT_BATCH, d, ep), ep === 'wasm' ? 6 : 4, now);
      const outs = await rt.runOrt(bytes, xMany, THROUGHPUT_BATCH, d, ep);
      let maxDiff: number | undefined;
      if (ep === 'wasm') reference = outs;
      else if (reference) {
        maxDiff = 0;
        for (let i = 0; i < outs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(outs[i]! - reference[i]!));
      }
      rows.push({ runtime, p50: one.p50, p95: one.p95, throughput: rate(many.p50), maxDiff });
    } catch (e) {
      rows.push(failedRow(runtime, (e as Error).message));
    }
  }
  return rows;
}
