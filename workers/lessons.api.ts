// Lessons in the training worker: the simulations and the data-parallel training experiment. The other
// lessons call the worker's training, calibration, compression, evaluation and monitoring directly.
import type { Table } from '../src/core/data/table.ts';
import { inferSchema, withRole } from '../src/core/data/schema.ts';
import { prepareData } from '../src/core/model/prepare.ts';
import { abVersusBandit, type AbBanditResult } from '../src/core/lessons/ab-vs-bandit.ts';
import { feedbackLoop, type LoopOptions, type LoopResult } from '../src/core/lessons/feedback-loop.ts';
import {
  asyncSgd,
  softmaxLossGrad,
  syncSgd,
  type DpTrace,
  type GradientWorker,
} from '../src/core/lessons/data-parallel.ts';
import type { Result } from '../src/core/util/result.ts';
import { fail, ok } from '../src/core/util/result.ts';

type TableSource = (id: string) => Promise<Result<{ table: Table; name: string }>>;
export type ShardSpawner = (
  X: Float32Array,
  y: Int32Array,
  d: number,
  k: number,
  delayMs: number,
) => Promise<GradientWorker & { terminate(): void }>;

export interface DataParallelResult {
  workers: number;
  rows: number;
  sync: DpTrace;
  async: DpTrace;
  /** Synchronous SGD with a 4× larger global batch, at the same and at 4× the learning rate. */
  bigBatch: DpTrace;
  bigBatchScaledLr: DpTrace;
  batch: number;
  lr: number;
}

export function createLessonsApi(o: { table: TableSource; spawnShard?: ShardSpawner }) {
  let cancelled = false;
  return {
    async lessonAbBandit(p: {
      rateA: number;
      rateB: number;
      requests: number;
      alpha: number;
      seed: number;
    }): Promise<AbBanditResult> {
      return abVersusBandit(p);
    },

    async lessonFeedbackLoop(p: LoopOptions): Promise<LoopResult[]> {
      return (['naive', 'explore', 'positional'] as const).map((policy) => feedbackLoop(policy, p));
    },

    /**
     * Softmax regression on a dataset's training split, sharded across `workers` Web Workers (nested in
     * this one): synchronous against asynchronous SGD on the same gradient budget, and a 4× larger
     * global batch at the same and at 4× the learning rate. Loss is measured on the validation split.
     */
    async lessonDataParallel(
      datasetId: string,
      label: string,
      p: { workers: number; batch: number; lr: number; budget: number; stragglerMs: number; seed: number },
      onProgress?: (done: number, total: number) => void,
    ): Promise<Result<DataParallelResult>> {
      if (!o.spawnShard)
        return fail({ kind: 'no-workers', message: 'This environment cannot start training workers.' });
      cancelled = false;
      const t = await o.table(datasetId);
      if (!t.ok) return t;
      const schema = withRole(inferSchema(t.value.table, label), label, 'label');
      const prep = prepareData(
        t.value.table,
        schema,
        { kind: 'stratified', fractions: [0.8, 0.2, 0], seed: p.seed },
        t.value.name,
        'classification',
      );
      if (!prep.ok) return prep;
      const { pre, train, validation } = prep.value;
      if (pre.label.task !== 'classification')
        return fail({ kind: 'bad-task', message: 'The data-parallel lesson trains a classifier.' });
      const d = pre.inputSize,
        k = pre.label.classes.length,
        n = train.y.length;
      const W = Math.max(1, Math.min(8, Math.floor(p.workers)));
      const shards: (GradientWorker & { terminate(): void })[] = [];
      try {
        for (let s = 0; s < W; s++) {
          const rows = Array.from({ length: n }, (_, i) => i).filter((i) => i % W === s);
          const X = new Float32Array(rows.length * d);
          rows.forEach((r, i) => X.set(train.X.subarray(r * d, (r + 1) * d), i * d));
          // The last worker is the straggler when a delay is set.
          shards.push(
            await o.spawnShard(
              X,
              Int32Array.from(rows, (r) => train.y[r]!),
              d,
              k,
              s === W - 1 ? p.stragglerMs : 0,
            ),
          );
        }
        const evalIdx = Int32Array.from({ length: validation.y.length }, (_, i) => i);
        const evalLoss = (w: Float32Array) =>
          softmaxLossGrad(validation.X, validation.y as Int32Array, d, k, w, evalIdx).loss;
        let done = 0;
        const total = 4;
        const base = {
          d,
          k,
          evalLoss,
          batch: p.batch,
          lr: p.lr,
          budget: p.budget,
          seed: p.seed,
          evalEvery: 2,
          isCancelled: () => cancelled,
        };
        const sync = await syncSgd(shards, base);
        onProgress?.(++done, total);
        const asy = await asyncSgd(shards, base);
        onProgress?.(++done, total);
        // Same number of steps with a 4× global batch: 4× the gradient work per step.
        const steps = Math.ceil(p.budget / W);
        const big = await syncSgd(shards, { ...base, batch: p.batch * 4, budget: steps * W });
        onProgress?.(++done, total);
        const bigLr = await syncSgd(shards, { ...base, batch: p.batch * 4, lr: p.lr * 4, budget: steps * W });
        onProgress?.(++done, total);
        if (cancelled) return fail({ kind: 'cancelled', message: 'Cancelled.' });
        return ok({
          workers: W,
          rows: n,
          sync,
          async: asy,
          bigBatch: big,
          bigBatchScaledLr: bigLr,
          batch: p.batch,
          lr: p.lr,
        });
      } finally {
        for (const s of shards) s.terminate();
      }
    },

    cancelLesson(): void {
      cancelled = true;
    },
  };
}
