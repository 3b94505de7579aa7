import type { Remote } from 'comlink';
import { proxy } from 'comlink';
import type { TrainConfig } from '../src/core/model/spec.ts';
import { checkSpace, type SearchSpace } from '../src/core/tuning/search-space.ts';
import type { SearchKind } from '../src/core/tuning/samplers.ts';
import { tune, type TrialResult } from '../src/core/tuning/tune.ts';
import type { Result } from '../src/core/util/result.ts';
import { fail, ok } from '../src/core/util/result.ts';
import type { TrainApi, TrainJob } from './train.api.ts';

export interface TuneRequest {
  job: TrainJob;
  base: TrainConfig;
  space: SearchSpace;
  search: SearchKind;
  trials: number;
  seed: number;
  earlyStop: boolean;
}

type TrialWorker = Pick<Remote<TrainApi>, 'trial'>;

/**
 * The tuning worker's API: it proposes configurations (grid, random or TPE), prunes by the median
 * rule, and farms trials out to a pool of training workers — one trial per worker at a time.
 * The page only wires the ports and renders the trials as they finish.
 */
export function createTuneApi() {
  const pool: TrialWorker[] = [];
  let cancelled = false;
  return {
    /** Adds a training worker to the pool. */
    addTrialWorker(worker: TrialWorker): void {
      pool.push(worker);
    },

    poolSize(): number {
      return pool.length;
    },

    async run(
      req: TuneRequest,
      onTrial?: (t: TrialResult) => void,
    ): Promise<Result<{ trials: TrialResult[]; best: TrialResult | null }>> {
      const bad = checkSpace(req.space);
      if (bad) return fail({ kind: 'bad-space', message: `The search space is not valid: ${bad}.` });
      if (req.space.length === 0)
        return fail({ kind: 'bad-space', message: 'The search space is empty; declare at least one hyperparameter.' });
      if (pool.length === 0)
        return fail({ kind: 'no-workers', message: 'No training workers are available for the search.' });
      if (!Number.isInteger(req.trials) || req.trials < 1 || req.trials > 1000)
        return fail({
          kind: 'bad-config',
          column: 'trials',
          message: 'Trials must be a whole number between 1 and 1000.',
        });
      cancelled = false;
      const free = pool.map((_, i) => i);
      const waiters: ((i: number) => void)[] = [];
      const acquire = () =>
        new Promise<number>((resolve) => (free.length ? resolve(free.shift()!) : waiters.push(resolve)));
      const release = (i: number) => (waiters.length ? waiters.shift()!(i) : free.push(i));
      const result = await tune(
        req.base,
        req.space,
        async (config, trial, report) => {
          const w = await acquire();
          try {
            return await pool[w]!.trial(req.job, config, trial, proxy(report), w);
          } finally {
            release(w);
          }
        },
        {
          search: req.search,
          trials: req.trials,
          seed: req.seed,
          parallel: pool.length,
          earlyStop: req.earlyStop,
          onTrial,
          isCancelled: () => cancelled,
        },
      );
      return ok(result);
    },

    /** Stops proposing new trials; those running finish. */
    async cancel(): Promise<void> {
      cancelled = true;
    },
  };
}

export type TuneApi = ReturnType<typeof createTuneApi>;
