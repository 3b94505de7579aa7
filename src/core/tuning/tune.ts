import type { TrainConfig } from '../model/spec.ts';
import { createRandom } from '../util/random.ts';
import { MedianStopper } from './median-stopping.ts';
import { gridPoints, randomSample, tpeSample, type Observation, type SearchKind } from './samplers.ts';
import { applyParams, type ParamValues, type SearchSpace } from './search-space.ts';

export interface TrialResult {
  id: number;
  values: ParamValues;
  /** Validation score, lower is better (error rate, or RMSE). */
  score: number;
  /** The validation metric as people read it (accuracy, RMSE). */
  metric: number;
  status: 'finished' | 'pruned' | 'failed';
  steps: number;
  durationMs: number;
  message?: string;
  /** Which pool worker ran it (the app's parallel pool). */
  worker?: number;
  startedAt?: number;
}

/** Runs one trial: trains `config` on the training split and scores it on validation. */
export type TrialRunner = (
  config: TrainConfig,
  trial: number,
  report: (step: number, score: number) => boolean | Promise<boolean>,
) => Promise<{ score: number; metric: number; steps: number; pruned: boolean; message?: string; worker?: number }>;

export interface TuneOptions {
  search: SearchKind;
  trials: number;
  seed: number;
  /** Trials in flight at once (a pool of workers in the app; 1 on the command line). */
  parallel: number;
  /** Stop trials that fall behind the median (median stopping rule). */
  earlyStop: boolean;
  onTrial?: (t: TrialResult) => void;
  isCancelled?: () => boolean;
}

/**
 * Hyperparameter search: proposes configurations (grid, random or TPE), runs up to `parallel`
 * trials at once through `run`, prunes laggards by the median stopping rule, and returns every
 * trial with the best one. The runner only ever sees training and validation data — tuning cannot
 * touch the test split.
 */
export async function tune(
  base: TrainConfig,
  space: SearchSpace,
  run: TrialRunner,
  opt: TuneOptions,
): Promise<{ trials: TrialResult[]; best: TrialResult | null }> {
  const rng = createRandom(opt.seed);
  const grid = opt.search === 'grid' ? gridPoints(space, opt.trials, rng) : null;
  const total = grid ? grid.length : opt.trials;
  const stopper = opt.earlyStop ? new MedianStopper() : null;
  const trials: TrialResult[] = [];
  let next = 0;
  const propose = (): ParamValues => {
    if (grid) return grid[next]!;
    if (opt.search === 'random') return randomSample(space, rng);
    const obs: Observation[] = trials
      .filter((t) => t.status !== 'failed')
      .map((t) => ({ values: t.values, score: t.score }));
    return tpeSample(space, obs, rng);
  };
  const worker = async () => {
    while (next < total && !opt.isCancelled?.()) {
      const id = next;
      const values = propose();
      next++;
      const started = performance.now();
      let result: TrialResult;
      try {
        const r = await run(applyParams(base, values), id, (step, score) => stopper?.report(id, step, score) ?? false);
        result = {
          id,
          values,
          score: r.score,
          metric: r.metric,
          status: r.pruned ? 'pruned' : Number.isFinite(r.score) ? 'finished' : 'failed',
          steps: r.steps,
          durationMs: performance.now() - started,
          startedAt: started,
          message: r.message,
          worker: r.worker,
        };
      } catch (e) {
        result = {
          id,
          values,
          score: Infinity,
          metric: NaN,
          status: 'failed',
          steps: 0,
          durationMs: performance.now() - started,
          message: (e as Error).message,
        };
      }
      trials.push(result);
      opt.onTrial?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opt.parallel, total)) }, worker));
  trials.sort((a, b) => a.id - b.id);
  const finished = trials.filter((t) => t.status === 'finished');
  const best = finished.length ? finished.reduce((a, b) => (b.score < a.score ? b : a)) : null;
  return { trials, best };
}

/** Best score after each trial, for the best-so-far curve. */
export function bestSoFar(trials: readonly TrialResult[]): number[] {
  let best = Infinity;
  return [...trials]
    .sort((a, b) => a.id - b.id)
    .map((t) => (best = t.status === 'finished' ? Math.min(best, t.score) : best));
}
