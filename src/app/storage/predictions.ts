import type { IDBPDatabase } from 'idb';
import type { Result } from '../../core/util/result.ts';
import { ok } from '../../core/util/result.ts';
import type { BenchtopDB, PredictionSet } from './schema.ts';
import { storageProblem } from './storage-problem.ts';

// Precomputed predictions (batch prediction): a run's outputs for every dataset row in chunks of
// `chunkRows` rows, so a lookup reads one chunk. Used by the repository; idb stays inside storage/.

/**
 * Stores a run's predictions, replacing any earlier set in the same transaction (a failed write — a
 * full quota — keeps the old set); `announce` runs once it is stored.
 */
export async function savePredictions(
  db: IDBPDatabase<BenchtopDB>,
  set: Omit<PredictionSet, 'writeMs' | 'bytes'>,
  outputs: Float32Array,
  announce: () => void,
): Promise<Result<PredictionSet>> {
  const t0 = performance.now();
  const per = set.chunkRows * set.width;
  const full: PredictionSet = { ...set, writeMs: 0, bytes: outputs.byteLength };
  try {
    const tx = db.transaction(['predictionSets', 'predictionChunks'], 'readwrite');
    const chunks = tx.objectStore('predictionChunks');
    await chunks.delete(IDBKeyRange.bound([set.runId, 0], [set.runId, Infinity]));
    const writes: Promise<unknown>[] = [];
    for (let c = 0; c * per < outputs.length; c++)
      writes.push(chunks.put({ runId: set.runId, chunk: c, values: outputs.slice(c * per, (c + 1) * per) }));
    writes.push(tx.objectStore('predictionSets').put(full));
    await Promise.all([...writes, tx.done]);
  } catch (e) {
    return storageProblem(e, 'the precomputed predictions');
  }
  announce();
  full.writeMs = performance.now() - t0;
  await db.put('predictionSets', full).catch(() => undefined);
  return ok(full);
}

/** One row's precomputed outputs: one keyed read of its chunk. */
export async function lookupPrediction(
  db: IDBPDatabase<BenchtopDB>,
  set: PredictionSet,
  row: number,
): Promise<Float32Array | undefined> {
  const c = await db.get('predictionChunks', [set.runId, Math.floor(row / set.chunkRows)]);
  if (!c) return undefined;
  const at = (row % set.chunkRows) * set.width;
  return c.values.subarray(at, at + set.width);
}

/** Deletes a run's precomputed predictions. */
export async function deletePredictions(db: IDBPDatabase<BenchtopDB>, runId: string): Promise<void> {
  const tx = db.transaction(['predictionSets', 'predictionChunks'], 'readwrite');
  await Promise.all([
    tx.objectStore('predictionSets').delete(runId),
    tx.objectStore('predictionChunks').delete(IDBKeyRange.bound([runId, 0], [runId, Infinity])),
    tx.done,
  ]);
}
