import { latencySummary } from '../core/serving/remote-predict.ts';

type Latency = { p50: number; p95: number; p99: number; mean: number };

export interface BatchOnlineMeasure {
  samples: number;
  /** Precomputed: one IndexedDB read; online: a round trip to the worker; workerOnly: the worker's own time. */
  lookup: Latency;
  online: Latency;
  workerOnly: Latency;
  /** The first online call, which loads the model in the worker. */
  firstOnlineMs: number;
  /** Largest difference between a stored and an on-demand prediction, and rows within 1e-4. */
  maxDiff: number;
  agree: number;
}

/**
 * Batch against online prediction, from this page, on the same rows: `lookup(row)` reads a stored
 * prediction, `online(row, first)` asks the worker to predict it (`first` loads the model there and
 * is timed apart). Both answers are compared. Used by the app and by `npm run bench`.
 */
export async function measureBatchOnline(
  rows: readonly number[],
  lookup: (row: number) => Promise<ArrayLike<number> | undefined>,
  online: (row: number, first: boolean) => Promise<{ outputs: ArrayLike<number>; ms: number }>,
  onProgress?: (done: number) => void,
): Promise<BatchOnlineMeasure> {
  const t0 = performance.now();
  await online(rows[0]!, true);
  const firstOnlineMs = performance.now() - t0;
  const lookupMs: number[] = [],
    onlineMs: number[] = [],
    workerMs: number[] = [];
  let maxDiff = 0,
    agree = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const t1 = performance.now();
    const stored = await lookup(row);
    lookupMs.push(performance.now() - t1);
    if (!stored) throw new Error(`Row ${row} has no precomputed prediction.`);
    const t2 = performance.now();
    const on = await online(row, false);
    onlineMs.push(performance.now() - t2);
    workerMs.push(on.ms);
    let d = 0;
    for (let j = 0; j < stored.length; j++) d = Math.max(d, Math.abs(stored[j]! - on.outputs[j]!));
    maxDiff = Math.max(maxDiff, d);
    if (d <= 1e-4) agree++;
    if ((i + 1) % 20 === 0) onProgress?.(i + 1);
  }
  return {
    samples: rows.length,
    lookup: latencySummary(lookupMs),
    online: latencySummary(onlineMs),
    workerOnly: latencySummary(workerMs),
    firstOnlineMs,
    maxDiff,
    agree,
  };
}
