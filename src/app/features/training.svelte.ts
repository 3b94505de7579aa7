import { upgradeConfig } from '../../core/store/upgrade.ts';
import { defaultConfig } from '../../core/families/index.ts';
import { proxy } from 'comlink';
import type { SplitKind, SplitSpec } from '../../core/data/split.ts';
import { inferTask } from '../../core/data/preprocess.ts';
import { describeConfig } from '../../core/families/index.ts';
import { startedRun } from '../../core/model/started-run.ts';
import type { UserBaseline } from '../../core/baselines/baselines.ts';
import type { LrRangeReport, OverfitReport } from '../../core/model/debug-aids.ts';
import { type EpochRecord, type RunRecord, type TrainConfig, type TrainProgress } from '../../core/model/spec.ts';
import type { Problem } from '../../core/util/result.ts';
import type { Session } from '../session.svelte.ts';
import { deviceMemoryBudget, withRunLock } from '../run-lock.ts';

/** The run being trained in this tab: its live progress and learning curves. */
export interface TrainingState {
  runId: string;
  runName: string;
  history: EpochRecord[];
  task: 'classification' | 'regression';
  cancelling: boolean;
}

/** Results of the debugging checks (overfit one batch, learning-rate range test). */
export interface DebugState {
  running: 'overfit' | 'lr' | null;
  overfit?: OverfitReport | Problem;
  lr?: LrRangeReport | Problem;
}

/** A job for the training worker: what to train on, how to split, which config. */
export interface TrainJob {
  runId: string;
  runName: string;
  datasetId: string;
  schema: NonNullable<Session['schema']>;
  split: SplitSpec;
  config: TrainConfig;
  memoryBudget: number;
}

/**
 * Training: the configuration form, the split, the run in progress (recorded before it starts, held
 * by a Web Lock, saved at the end), ensembles (bagged, boosted, or combined from ticked runs), the
 * person's own baseline and the debugging checks. The form fields are `$state` (components bind to
 * them); results are `$state.raw`.
 */
export class TrainingFeature {
  config = $state<TrainConfig>(upgradeConfig(defaultConfig()));
  splitKind = $state<SplitKind>('stratified');
  timeColumn = $state<string | undefined>(undefined);
  fractions = $state.raw<[number, number, number]>([0.7, 0.15, 0.15]);
  /** Train an ensemble of the configured model instead of one model. */
  ensembleMethod = $state<'none' | 'bag' | 'adaboost'>('none');
  ensembleMembers = $state(10);
  /** A figure for an existing solution or a human, shown beside the baselines. */
  userBaseline = $state.raw<UserBaseline | null>(null);
  /** The run training now, if any. */
  live = $state.raw<TrainingState | null>(null);
  /** Its latest progress report (apart from `live`: it changes every few batches). */
  progress = $state.raw<TrainProgress | null>(null);
  debug = $state.raw<DebugState>({ running: null });

  /**
   * @param s the session
   * @param tuning whether a hyperparameter search is running (training waits for it)
   */
  constructor(
    private readonly s: Session,
    private readonly tuning: () => boolean,
  ) {
    // A new dataset brings its own split: the one it was saved with, or one suited to its task.
    s.onDataset((info) => {
      if (info.split) {
        this.splitKind = info.split.kind;
        this.timeColumn = info.split.timeColumn;
      } else {
        this.splitKind = inferTask(info.schema) === 'classification' ? 'stratified' : 'random';
        this.timeColumn = info.schema.columns.find((c) => c.type === 'date')?.name;
      }
    });
  }

  /** The split the next run will use. */
  splitSpec(): SplitSpec {
    return {
      kind: this.splitKind,
      fractions: [...this.fractions],
      seed: this.config.seed,
      timeColumn: this.splitKind === 'time' ? this.timeColumn : undefined,
    };
  }

  /** The job the next run would be (shared by training, the debugging checks and the tuner). */
  job(runId = 'check'): TrainJob {
    return {
      runId,
      runName: runId,
      datasetId: this.s.dataset!.id,
      schema: this.s.schema!,
      split: this.splitSpec(),
      config: $state.snapshot(this.config) as TrainConfig,
      memoryBudget: deviceMemoryBudget(),
    };
  }

  /**
   * Trains in the worker with live progress. The run is recorded as `running` before training (and
   * after each epoch), held by a Web Lock while this tab trains it, and saved with its model at the
   * end — finished, cancelled or failed. Configuration problems are reported before anything starts.
   */
  async train(): Promise<void> {
    const s = this.s;
    if (!s.dataset || !s.schema || this.live || this.debug.running || this.tuning()) return;
    s.error = null;
    const runId = crypto.randomUUID();
    const base = this.job(runId);
    const { config, split, schema } = base;
    let runName = `${describeConfig(config)} · ${s.dataset.name} · #${s.runs.length + 1}`;
    const st = s.backend;
    const placeholder = startedRun({
      id: runId,
      name: runName,
      dataset: { id: s.dataset.id, name: s.dataset.name, rows: s.dataset.rowCount },
      schema,
      split,
      config,
      environment: {
        backend: st?.backend ?? 'cpu',
        backendReason: st?.reason ?? '',
        threads: st?.threads,
        simd: st?.simd,
        runtime: navigator.userAgent,
        appVersion: __APP_VERSION__,
      },
    });
    placeholder.experimentId = s.experimentId;
    placeholder.tags = [];
    const method = this.ensembleMethod;
    const members = Math.round(this.ensembleMembers);
    if (method !== 'none') {
      const model = describeConfig(config);
      const label = `${method === 'bag' ? 'Bagged' : 'AdaBoost'} ${this.ensembleMembers}× ${model}`;
      runName = placeholder.name = runName.replace(model, label);
    }
    this.live = { runId, runName, history: [], task: s.task, cancelling: false };
    this.progress = null;
    const onProgress = (p: TrainProgress) => {
      if (this.live?.runId === runId) this.progress = p;
    };
    const onEpoch = (e: EpochRecord) => {
      if (this.live?.runId !== runId) return;
      this.live = { ...this.live, history: [...this.live.history, e] };
      placeholder.history = this.live.history;
      void s.repo.saveRunRecord(placeholder);
    };
    const onMember = (done: number, total: number) => {
      if (this.live?.runId === runId)
        this.progress = {
          epoch: done,
          epochs: total,
          step: 1,
          stepsPerEpoch: 1,
          samplesPerSecond: 0,
          batchLoss: NaN,
          fraction: done / total,
        };
    };
    const user = this.userBaseline && Number.isFinite(this.userBaseline.value) ? [this.userBaseline] : [];
    const job = { ...base, runName, userBaselines: user };
    const res = await withRunLock(runId, async () => {
      await s.repo.saveRunRecord(placeholder);
      await s.refreshLists();
      if (method !== 'none') return s.trainer.trainEnsemble(job, method, members, proxy(onMember));
      return s.trainer.train(job, proxy(onProgress), proxy(onEpoch));
    });
    this.live = null;
    this.progress = null;
    if (!res.ok) {
      s.error = res.error;
      s.warnings = res.warnings;
      if (res.error.kind === 'training-failed')
        await s.repo.saveRunRecord({ ...placeholder, status: 'failed', message: res.error.message });
      else await s.repo.deleteRun(runId);
      await s.refreshLists();
      return;
    }
    s.warnings = res.warnings;
    const saved = await s.repo.saveRun({ ...res.value.run, experimentId: s.experimentId, tags: [] }, res.value.model);
    if (!saved.ok) s.error = saved.error;
    await s.refreshLists();
    s.selectRun(runId);
  }

  /** Stops the running training within one batch. */
  async cancel(): Promise<void> {
    if (!this.live) return;
    this.live = { ...this.live, cancelling: true };
    await this.s.trainer.cancel();
  }

  /** Runs a debugging check (overfit one batch, LR range test) in the worker. */
  async runCheck(which: 'overfit' | 'lr'): Promise<void> {
    if (!this.s.dataset || !this.s.schema || this.live || this.debug.running) return;
    this.debug = { ...this.debug, running: which };
    const t = this.s.trainer;
    const res = which === 'overfit' ? await t.overfitBatch(this.job()) : await t.lrRange(this.job());
    this.debug = { ...this.debug, running: null, [which]: res.ok ? res.value : res.error };
  }

  /** Uses the LR range test's suggestion as the learning rate. */
  useSuggestedRate(): void {
    const lr = this.debug.lr;
    if (lr && 'suggested' in lr)
      this.config = {
        ...this.config,
        params: { ...this.config.params, learningRate: Number(lr.suggested.toPrecision(2)) },
      };
  }

  /** Combines the ticked runs into a majority-vote, averaging or stacking ensemble, saved as a new run. */
  async combinePicked(method: 'vote-hard' | 'vote-soft' | 'stack'): Promise<void> {
    const s = this.s;
    const runs = s.picked.map((id) => s.runs.find((r) => r.id === id)).filter((r): r is RunRecord => r !== undefined);
    if (runs.length < 2 || this.live) return;
    s.error = null;
    const first = runs[0]!;
    if (!(await s.ensureDataset(first))) {
      s.error = s.missingDataset(first, ' to combine these runs');
      return;
    }
    const runId = crypto.randomUUID();
    const label = { 'vote-hard': 'Vote', 'vote-soft': 'Average', stack: 'Stack' }[method];
    const name = `${label} of ${runs.length} · ${first.dataset.name} · #${s.runs.length + 1}`;
    // The worker reads the members' runs and models by id (cached there); a missing model is `not-found`.
    const res = await s.trainer.combine(
      runs.map((r) => r.id),
      method,
      runId,
      name,
    );
    if (!res.ok) {
      s.error = res.error;
      return;
    }
    const saved = await s.repo.saveRun(res.value.run, res.value.model);
    if (!saved.ok) s.error = saved.error;
    s.picked = [];
    await s.refreshLists();
    s.selectRun(runId);
  }
}
