import type { Problem } from '../../core/util/result.ts';
import { createRandom } from '../../core/util/random.ts';
import type { PredictionSet } from '../storage/repository.ts';
import type { Session } from '../session.svelte.ts';
import { jobProgress } from '../job-progress.ts';
import { measureBatchOnline, type BatchOnlineMeasure } from '../batch-online.ts';

/** Batch versus online prediction for one run: the precomputed set, and the measured lookups. */
export interface BatchState {
  runId: string | null;
  busy: 'precompute' | 'measure' | null;
  progress: [number, number] | null;
  set: PredictionSet | null;
  measure: BatchOnlineMeasure | null;
  error: Problem | null;
}

/**
 * Batch prediction (every dataset row through the model, stored in IndexedDB) against online
 * prediction (one row at a time in the worker), with a measurement of both.
 */
export class BatchFeature {
  state = $state.raw<BatchState>({ runId: null, busy: null, progress: null, set: null, measure: null, error: null });

  constructor(private readonly s: Session) {}

  /** Loads a run's precomputed prediction set, if any. */
  async load(runId: string): Promise<void> {
    const set = (await this.s.repo.getPredictionSet(runId)) ?? null;
    const b = this.state;
    this.state = { ...b, runId, set, ...(b.runId === runId ? {} : { measure: null, error: null }) };
  }

  /** Batch prediction: every dataset row through the model in the worker, stored in IndexedDB. */
  async precompute(runId: string): Promise<void> {
    const s = this.s;
    const run = s.runs.find((r) => r.id === runId);
    if (!run) return;
    if (!(await s.ensureDataset(run))) {
      this.state = { ...this.state, runId, error: s.missingDataset(run, '') };
      return;
    }
    this.state = { ...this.state, runId, busy: 'precompute', progress: [0, run.dataset.rows], error: null };
    try {
      // The worker reads the run's model by id (cached there).
      const r = await s.trainer.predictDataset(
        runId,
        run.dataset.id,
        jobProgress(
          () => this.state.busy === 'precompute',
          (progress) => (this.state = { ...this.state, progress }),
        ),
      );
      if (!r.ok) {
        this.state = { ...this.state, error: r.error };
        return;
      }
      const saved = await s.repo.savePredictions(
        {
          runId,
          datasetId: run.dataset.id,
          rows: r.value.rows,
          width: r.value.width,
          chunkRows: 1024,
          createdAt: new Date().toISOString(),
          predictMs: r.value.ms,
        },
        r.value.outputs,
      );
      this.state = saved.ok
        ? { ...this.state, set: saved.value, measure: null }
        : { ...this.state, error: saved.error };
    } finally {
      this.state = { ...this.state, busy: null, progress: null };
    }
  }

  /**
   * Measures, for the same `samples` random rows, a lookup of the precomputed prediction (one
   * IndexedDB read from this page) against an on-demand prediction (a round trip to the worker, which
   * keeps the model loaded and encodes and predicts the row), and checks the two agree.
   */
  async measure(runId: string, samples = 200, seed = 1): Promise<void> {
    const s = this.s;
    const set = this.state.set;
    const run = s.runs.find((r) => r.id === runId);
    if (!run || !set || set.runId !== runId) return;
    if (!(await s.ensureDataset(run))) return;
    this.state = { ...this.state, busy: 'measure', progress: [0, samples], error: null };
    try {
      const rng = createRandom(seed);
      const rows = Array.from({ length: samples }, () => rng.int(set.rows));
      // The worker loads the model by id on the first call and keeps it loaded, as a serving process does.
      const online = async (row: number) => {
        const r = await s.trainer.predictOnline(runId, run.dataset.id, row);
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      };
      const measure = await measureBatchOnline(
        rows,
        (row) => s.repo.lookupPrediction(set, row),
        online,
        (done) => (this.state = { ...this.state, progress: [done, samples] }),
      );
      this.state = { ...this.state, measure };
    } catch (e) {
      this.state = { ...this.state, error: { kind: 'measure-failed', message: (e as Error).message } };
    } finally {
      this.state = { ...this.state, busy: null, progress: null };
    }
  }
}
