import { proxy, transfer, wrap, type Remote } from 'comlink';
import { applyParams, type SearchSpace } from '../../core/tuning/search-space.ts';
import type { SearchKind } from '../../core/tuning/samplers.ts';
import type { TrialResult } from '../../core/tuning/tune.ts';
import type { TrainConfig } from '../../core/model/spec.ts';
import type { Problem } from '../../core/util/result.ts';
import type { TuneApi } from '../../../workers/tune.api.ts';
import type { Session } from '../session.svelte.ts';
import { connectToData, startTrainWorker } from '../remotes.ts';
import type { TrainingFeature } from './training.svelte.ts';

/** A hyperparameter search: its trials so far, the best one, and how to stop it. */
export interface SearchState {
  running: boolean;
  trials: TrialResult[];
  best: TrialResult | null;
  error: Problem | null;
  total: number | null;
  poolSize: number;
  space: SearchSpace;
  cancel?: () => void;
}

/** The options of a search, as the tuning form gives them. */
export interface SearchOptions {
  search: SearchKind;
  trials: number;
  earlyStop: boolean;
  poolSize: number;
  space: SearchSpace;
}

/**
 * Hyperparameter search over the training form's configuration: a tuning worker proposes trials and
 * a pool of training workers runs them, on the training and validation splits only.
 */
export class TuningFeature {
  search = $state.raw<SearchState>({
    running: false,
    trials: [],
    best: null,
    error: null,
    total: null,
    poolSize: 0,
    space: [],
  });

  constructor(
    private readonly s: Session,
    private readonly training: TrainingFeature,
  ) {}

  /**
   * Runs the search. The pool (1–8 training workers, sized to the machine unless set) is started
   * for this search and ended after it; the page renders trials as they finish.
   */
  async start(opts: SearchOptions): Promise<void> {
    const s = this.s;
    if (!s.dataset || !s.schema || this.training.live || this.search.running) return;
    const poolSize = Math.max(1, Math.min(8, Math.round(opts.poolSize)));
    const tuneWorker = new Worker(new URL('../../../workers/tune.worker.ts', import.meta.url), {
      type: 'module',
      name: 'benchtop-tune',
    });
    const tuner = wrap(tuneWorker) as Remote<TuneApi & { connectTrialWorker(port: MessagePort): void }>;
    const poolWorkers: Worker[] = [];
    for (let i = 0; i < poolSize; i++) {
      const { worker, remote } = startTrainWorker(`benchtop-trial-${i}`);
      poolWorkers.push(worker);
      await connectToData(s.data, remote);
      const toTuner = new MessageChannel();
      const trial = remote as typeof remote & Remote<{ serveOn(port: MessagePort): void }>;
      await trial.serveOn(transfer(toTuner.port1, [toTuner.port1]));
      await tuner.connectTrialWorker(transfer(toTuner.port2, [toTuner.port2]));
    }
    const space = opts.space;
    this.search = {
      running: true,
      trials: [],
      best: null,
      error: null,
      total: opts.search === 'grid' ? null : opts.trials,
      poolSize,
      space,
      cancel: () => void tuner.cancel(),
    };
    // Trial reports travel on their own channel and may land after the final result: ignore those.
    let done = false;
    const onTrial = (t: TrialResult) => {
      if (!done && !this.search.trials.some((x) => x.id === t.id))
        this.search = { ...this.search, trials: [...this.search.trials, t] };
    };
    const job = this.training.job();
    const res = await tuner.run(
      {
        job,
        base: job.config,
        space,
        search: opts.search,
        trials: opts.trials,
        seed: job.config.seed,
        earlyStop: opts.earlyStop,
      },
      proxy(onTrial),
    );
    done = true;
    tuneWorker.terminate();
    for (const w of poolWorkers) w.terminate();
    this.search = res.ok
      ? { ...this.search, running: false, trials: res.value.trials, best: res.value.best }
      : { ...this.search, running: false, error: res.error };
  }

  /** Copies the best trial's hyperparameters into the configuration (train it to score it on test). */
  useBest(): void {
    const best = this.search.best;
    if (best) this.training.config = applyParams($state.snapshot(this.training.config) as TrainConfig, best.values);
  }
}
