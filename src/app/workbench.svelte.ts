import { proxy, transfer, wrap, type Remote } from 'comlink';
import { CATALOG, DEFAULT_DATASET, type CatalogId } from '../core/data/catalog.ts';
import { withRole, withType, type ColumnRole, type ColumnType, type Schema } from '../core/data/schema.ts';
import type { SplitKind, SplitSpec } from '../core/data/split.ts';
import type { ParseProgress } from '../core/data/parse-delimited.ts';
import { inferTask } from '../core/data/preprocess.ts';
import { describeModel } from '../core/model/describe.ts';
import { startedRun } from '../core/model/started-run.ts';
import type { UserBaseline } from '../core/baselines/baselines.ts';
import type { LrRangeReport, OverfitReport } from '../core/model/debug-aids.ts';
import { applyParams, type SearchSpace } from '../core/tuning/search-space.ts';
import type { SearchKind } from '../core/tuning/samplers.ts';
import type { TrialResult } from '../core/tuning/tune.ts';
import type { TuneApi } from '../../workers/tune.api.ts';
import type { EvaluationReport } from '../core/evaluation/report.ts';
import type { SliceDefinition } from '../core/evaluation/slices.ts';
import type { BehaviourTest } from '../core/evaluation/behaviour.ts';
import type { CalibrationMethod } from '../core/calibration/calibrators.ts';
import { moveAlias, registerVersion, rollbackAlias } from '../core/registry/registry.ts';
import { buildModelCard, type ModelCard } from '../core/registry/model-card.ts';
import { collectBundle } from '../core/store/bundle.ts';
import {
  EMPTY_PROSE,
  type Experiment,
  type AliasMove,
  type AliasRecord,
  type ModelCardProse,
  type ModelVersion,
  type VersionRelation,
} from '../core/store/records.ts';
import {
  completeConfig,
  DEFAULT_TRAIN_CONFIG,
  type BackendName,
  type EpochRecord,
  type RunRecord,
  type TrainConfig,
  type TrainedModel,
  type TrainProgress,
} from '../core/model/spec.ts';
import type { Problem, Result } from '../core/util/result.ts';
import type { Endpoint } from '../core/serving/protocols.ts';
import type { Comparison } from '../core/serving/compare.ts';
import type { DataApi, DatasetInfo } from '../../workers/data.api.ts';
import type { FingerprintCheck, LatencyRow, ProbeResult, TrainApi } from '../../workers/train.api.ts';
import type { CompressionSpec as BaseSpec } from '../core/compression/compress.ts';

type CompressionSpec = Omit<BaseSpec, 'method'> & {
  method: BaseSpec['method'] | 'qat';
  studentHidden?: number[];
  temperature?: number;
  alpha?: number;
  fineTuneEpochs?: number;
  fineTuneRate?: number;
  gradual?: boolean;
};
import type { BackendStatus } from '../core/runtime/backend-policy.ts';
import {
  MAX_STORED_DATASET_BYTES,
  Repository,
  type PredictionSet,
  type RehearsalRecord,
} from './storage/repository.ts';
import type { RehearsalConfig, RehearsalKind } from '../core/rollout/rehearsal.ts';
import type { SideSpec } from '../core/rollout/responders.ts';
import { measureBatchOnline, type BatchOnlineMeasure } from './batch-online.ts';
import { lessonHash, runLesson, type LessonId, type LessonOutput, type Params } from './lessons.ts';
import type { MonitorReport, TimelineSummary } from '../../workers/monitor.api.ts';
import type { Alert, AlertRule, WindowSpec } from '../core/drift/timeline.ts';
import type { Expectation, ExpectationResult } from '../core/drift/expectations.ts';
import type { ContinualResult, FreshnessPoint, Trigger } from '../core/drift/continual.ts';
import { createRandom } from '../core/util/random.ts';

type DataRemote = Remote<DataApi & { connect(port: MessagePort): void }>;
type TrainRemote = Remote<TrainApi & { connectData(port: MessagePort): void }>;

export interface TrainingState {
  runId: string;
  runName: string;
  progress: TrainProgress | null;
  history: EpochRecord[];
  task: 'classification' | 'regression';
  cancelling: boolean;
}

const plain = <T>(v: T): T => $state.snapshot(v) as T;

/** An experiment setup, as a link carries it (see Workbench.setupLink). */
export interface ExperimentSetup {
  v: 1;
  dataset: { catalog: string } | { file: string };
  label: string | null;
  ignore: string[];
  types: Record<string, string>;
  split: SplitSpec;
  config: TrainConfig;
  backend: BackendName | 'auto';
}

export interface MonitorState {
  runId: string | null;
  busy: null | 'load' | 'drift' | 'timeline' | 'expectations' | 'continual' | 'fresh' | 'register';
  progress: [number, number] | null;
  /** The new data the person brought (a file or a shipped dataset), loaded in the data worker only. */
  current: { id: string; name: string; rows: number } | null;
  report: MonitorReport | null;
  timeline: {
    points: TimelineSummary[];
    alerts: Alert[];
    skipped: number;
    referenceRows: number;
    source: string;
  } | null;
  expectations: Expectation[];
  expectationResults: { on: string; results: ExpectationResult[] } | null;
  continual: (ContinualResult & { windowsUsed: number; registered?: string[] }) | null;
  fresh: { metric: 'accuracy' | 'rmse'; test: string; points: FreshnessPoint[] } | null;
  error: Problem | null;
}
const emptyMonitor = (runId: string | null): MonitorState => ({
  runId,
  busy: null,
  progress: null,
  current: null,
  report: null,
  timeline: null,
  expectations: [],
  expectationResults: null,
  continual: null,
  fresh: null,
  error: null,
});

/**
 * A progress callback for a worker job. Reports travel as their own messages and can arrive after the
 * job's result: they are ignored once the job is over, so a finished job shows no stale bar.
 */
function jobProgress(running: () => boolean, set: (p: [number, number]) => void) {
  return proxy((done: number, total: number) => {
    if (running()) set([done, total]);
  });
}

export const REHEARSAL_LABELS: Record<RehearsalKind, string> = {
  shadow: 'Shadow deployment',
  ab: 'A/B test',
  canary: 'Canary rollout',
  interleaving: 'Interleaving',
  bandit: 'Bandits',
  fallback: 'Smooth failing',
};

const lockName = (runId: string) => `benchtop-run-${runId}`;

/** Holds a Web Lock named after the run while `f` runs, so other tabs can tell the run is live. */
function withRunLock<T>(runId: string, f: () => Promise<T>): Promise<T> {
  if (!navigator.locks) return f();
  return navigator.locks.request(lockName(runId), f) as Promise<T>;
}

/** Whether some tab holds the run's lock (it is still training). */
async function isRunLive(runId: string): Promise<boolean> {
  if (!navigator.locks) return false;
  const q = await navigator.locks.query();
  return (q.held ?? []).some((l) => l.name === lockName(runId));
}

/** A quarter of the device's memory (navigator.deviceMemory, in GB) for one model's training state; 1 GB when unknown. */
function deviceMemoryBudget(): number {
  const gb = (navigator as { deviceMemory?: number }).deviceMemory;
  return gb ? (gb * 2 ** 30) / 4 : 2 ** 30;
}

/**
 * The app's state: owns the two workers and the repository; components read its fields and call
 * its methods. Nothing heavy runs here — parsing and training happen in the workers.
 */
export class Workbench {
  dataset = $state<DatasetInfo | null>(null);
  schema = $state<Schema | null>(null);
  loading = $state<{ file: string; fraction: number; rows: number } | null>(null);
  error = $state<Problem | null>(null);
  warnings = $state<Problem[]>([]);
  notice = $state<string | null>(null);

  config = $state<TrainConfig>(completeConfig(structuredClone(DEFAULT_TRAIN_CONFIG)));
  splitKind = $state<SplitKind>('stratified');
  timeColumn = $state<string | undefined>(undefined);
  fractions = $state<[number, number, number]>([0.7, 0.15, 0.15]);

  backendRequest = $state<BackendName | 'auto'>('auto');
  backend = $state<BackendStatus | null>(null);
  training = $state<TrainingState | null>(null);
  runs = $state<RunRecord[]>([]);
  selectedRunId = $state<string | null>(null);
  checks = $state<Record<string, FingerprintCheck | Problem>>({});
  ready = $state(false);

  /** Train an ensemble of the configured model instead of one model. */
  ensembleMethod = $state<'none' | 'bag' | 'adaboost'>('none');
  ensembleMembers = $state(10);
  /** Runs ticked in the list, to combine into a voting or stacking ensemble. */
  picked = $state<string[]>([]);

  /** The model registry: versions, where aliases point, and every alias move. */
  versions = $state<ModelVersion[]>([]);
  aliases = $state<AliasRecord[]>([]);
  audit = $state<AliasMove[]>([]);
  /** Storage used and available (navigator.storage.estimate) and whether it is persistent. */
  storage = $state<{ usage: number; quota: number; persisted: boolean } | null>(null);
  /** Free-text search over runs (name, tags, model, params, metrics) and the sort order of the list. */
  runQuery = $state('');
  runSort = $state<'newest' | 'oldest' | 'best' | 'name'>('newest');
  /** Experiments (named groups of runs); new runs join `experimentId`, the list shows `experimentFilter` ('all' for every run). */
  experiments = $state<Experiment[]>([]);
  experimentId = $state('default');
  experimentFilter = $state<string>('all');
  /** Runs being compared side by side (the ticked ones, when Compare is pressed). */
  comparing = $state<string[]>([]);

  /** The hyperparameter search, if one ran. */
  tuning = $state<{
    running: boolean;
    trials: TrialResult[];
    best: TrialResult | null;
    error: Problem | null;
    total: number | null;
    poolSize: number;
    space: SearchSpace;
    cancel?: () => void;
  }>({ running: false, trials: [], best: null, error: null, total: null, poolSize: 0, space: [] });

  /** Latency measurements per run. */
  latency = $state<Record<string, LatencyRow[] | Problem>>({});
  /** Local-versus-cloud: the endpoint check, the comparison in progress and its result, per run. */
  remote = $state<{
    runId: string | null;
    busy: 'probe' | 'compare' | null;
    progress: [number, number] | null;
    probe: ProbeResult | null;
    result: (Comparison & { split: string }) | null;
    error: Problem | null;
  }>({ runId: null, busy: null, progress: null, probe: null, result: null, error: null });
  /**
   * The model server the person points at, shared by the comparison and the rehearsals. The auth
   * header stays in memory unless `storeSecret` is ticked; the rest is remembered in IndexedDB.
   */
  endpointForm = $state({
    url: 'http://127.0.0.1:8500',
    protocol: 'kserve-v2' as Endpoint['protocol'],
    model: '',
    version: '',
    authHeader: '',
    storeSecret: false,
    timeoutMs: 10000,
    retries: 2,
    batchSize: 64,
    concurrency: 4,
    binary: false,
    inputMap: {} as Record<string, string>,
  });
  /** What is remembered of the endpoint, after the last save (shown beside the form). */
  endpointSaved = $state<string | null>(null);
  /** Production-test rehearsals of the selected run: the one running, its result, and the saved ones. */
  rehearsal = $state<{
    runId: string | null;
    busy: boolean;
    progress: [number, number] | null;
    result: RehearsalRecord | null;
    error: Problem | null;
    saved: RehearsalRecord[];
  }>({ runId: null, busy: false, progress: null, result: null, error: null, saved: [] });
  /** Batch versus online prediction for a run: the precomputed set, and measured lookups against on-demand predictions. */
  batch = $state<{
    runId: string | null;
    busy: 'precompute' | 'measure' | null;
    progress: [number, number] | null;
    set: PredictionSet | null;
    measure: BatchOnlineMeasure | null;
    error: Problem | null;
  }>({ runId: null, busy: null, progress: null, set: null, measure: null, error: null });
  /** Monitoring of a run's model: new data, its drift, a timeline with alerts, expectations, continual learning. */
  monitor = $state<MonitorState>(emptyMonitor(null));
  /** The lesson shown (from the link), its parameters, progress and result. */
  lesson = $state<{
    id: LessonId | null;
    params: Params;
    busy: boolean;
    progress: { done: number; total: number; what: string } | null;
    output: LessonOutput | null;
    partial: LessonOutput | null;
    error: string | null;
    ms: number;
  }>({ id: null, params: {}, busy: false, progress: null, output: null, partial: null, error: null, ms: 0 });
  /** The run being evaluated or calibrated in the worker. */
  evaluating = $state<string | null>(null);

  /** Results of the debugging checks. */
  debug = $state<{ running: 'overfit' | 'lr' | null; overfit?: OverfitReport | Problem; lr?: LrRangeReport | Problem }>(
    { running: null },
  );

  /** A figure for an existing solution or a human, shown beside the baselines. */
  userBaseline = $state<UserBaseline | null>(null);

  readonly selectedRun = $derived(this.runs.find((r) => r.id === this.selectedRunId) ?? null);
  readonly task = $derived(this.schema ? inferTask(this.schema) : 'classification');

  private data!: DataRemote;
  private trainer!: TrainRemote;
  private repo!: Repository;

  /** Starts workers, opens storage, restores the last session (or opens the default dataset). */
  async init(): Promise<void> {
    const dataWorker = new Worker(new URL('../../workers/data.worker.ts', import.meta.url), {
      type: 'module',
      name: 'benchtop-data',
    });
    const trainWorker = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), {
      type: 'module',
      name: 'benchtop-train',
    });
    this.data = wrap(dataWorker) as DataRemote;
    this.trainer = wrap(trainWorker) as TrainRemote;
    const channel = new MessageChannel();
    await this.data.connect(transfer(channel.port1, [channel.port1]));
    await this.trainer.connectData(transfer(channel.port2, [channel.port2]));

    this.repo = await Repository.open(
      undefined,
      () =>
        (this.notice =
          'An older Benchtop tab is open and blocks an update of its storage: close or reload the other tabs.'),
      () => (this.notice = 'Benchtop was updated in another tab; reload this tab to continue.'),
    );
    this.repo.onChange(() => void this.refreshLists());
    void this.refreshStorage();
    await this.repo.markInterrupted(isRunLive);
    await this.refreshLists();
    const saved = await this.repo.getEndpointSettings();
    if (saved)
      Object.assign(this.endpointForm, {
        binary: !!saved.endpoint.binary,
        inputMap: Object.fromEntries(Object.entries(saved.endpoint.inputMap ?? {}).map(([k, v]) => [k, v.join(', ')])),
        url: saved.endpoint.url,
        protocol: saved.endpoint.protocol,
        model: saved.endpoint.model,
        version: saved.endpoint.version ?? '',
        timeoutMs: saved.timeoutMs,
        retries: saved.retries,
        batchSize: saved.batchSize,
        concurrency: saved.concurrency,
        authHeader: saved.authHeader ?? '',
        storeSecret: saved.authHeader !== undefined,
      });
    const settings = await this.repo.getSettings();
    this.selectedRunId =
      settings.selectedRun && this.runs.some((r) => r.id === settings.selectedRun)
        ? settings.selectedRun
        : (this.runs[0]?.id ?? null);
    const backendPromise = this.setBackend('auto');
    if (settings.dataset?.kind === 'stored' && (await this.loadStored(settings.dataset.id))) {
      // restored
    } else if (settings.dataset?.kind === 'catalog' && settings.dataset.catalogId in CATALOG)
      await this.loadCatalog(settings.dataset.catalogId as CatalogId);
    else await this.loadCatalog(DEFAULT_DATASET);
    await backendPromise;
    this.ready = true;
    if (typeof location !== 'undefined' && location.hash.startsWith('#setup='))
      await this.applySetupHash(location.hash);
  }

  /** Chooses a backend for the training worker and shows which one runs and why. */
  async setBackend(choice: BackendName | 'auto'): Promise<void> {
    this.backendRequest = choice;
    this.backend = await this.trainer.setBackend(choice);
  }

  private accept(info: DatasetInfo, warnings: Problem[]): void {
    this.dataset = info;
    this.schema = info.schema;
    this.warnings = warnings;
    this.error = null;
    if (info.split) {
      this.splitKind = info.split.kind;
      this.timeColumn = info.split.timeColumn;
    } else {
      this.splitKind = inferTask(info.schema) === 'classification' ? 'stratified' : 'random';
      this.timeColumn = info.schema.columns.find((c) => c.type === 'date')?.name;
    }
  }

  /**
   * The experiment setup as a link: shipped dataset, label, ignored columns, column types, split,
   * every hyperparameter, seed and backend. Opening it (`#setup=…&train=1`) reproduces the run.
   * A person's own file cannot travel in a link: the link then names it and asks for it.
   */
  setupLink(): string {
    const d = this.dataset;
    const s = this.schema;
    const setup: ExperimentSetup = {
      v: 1,
      dataset: d?.source.kind === 'catalog' ? { catalog: d.source.catalogId } : { file: d?.name ?? '' },
      label: s?.label ?? null,
      ignore: s?.columns.filter((c) => c.role === 'ignore').map((c) => c.name) ?? [],
      types: Object.fromEntries(s?.columns.filter((c) => c.type !== c.inferredType).map((c) => [c.name, c.type]) ?? []),
      split: plain(this.splitSpec()),
      config: plain(this.config),
      backend: this.backendRequest,
    };
    const json = JSON.stringify(setup);
    const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(json)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    return `${location.origin}${location.pathname}#setup=${b64}&train=1`;
  }

  /** Applies a setup from a link; trains when the link says so. Returns a message when it cannot. */
  async applySetupHash(hash: string): Promise<void> {
    const q = new URLSearchParams(hash.replace(/^#/, ''));
    const raw = q.get('setup');
    if (!raw) return;
    let setup: ExperimentSetup;
    try {
      const bin = atob(raw.replace(/-/g, '+').replace(/_/g, '/'));
      setup = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)))) as ExperimentSetup;
      if (setup.v !== 1) throw new Error(`version ${setup.v}`);
    } catch (e) {
      this.notice = `This link's experiment setup cannot be read (${(e as Error).message}); nothing was changed.`;
      return;
    }
    if (!('catalog' in setup.dataset) || !(setup.dataset.catalog in CATALOG)) {
      this.notice = `This link's setup was made on the file "${'file' in setup.dataset ? setup.dataset.file : '?'}", which cannot travel in a link: import it, then apply the same settings.`;
      return;
    }
    await this.loadCatalog(setup.dataset.catalog as CatalogId);
    if (!this.schema) return;
    if (setup.label) this.setRole(setup.label, 'label');
    for (const c of setup.ignore) if (this.schema.columns.some((x) => x.name === c)) this.setRole(c, 'ignore');
    for (const [c, t] of Object.entries(setup.types))
      if (this.schema.columns.some((x) => x.name === c)) this.setType(c, t as ColumnType);
    this.splitKind = setup.split.kind;
    this.fractions = [...setup.split.fractions] as [number, number, number];
    this.timeColumn = setup.split.timeColumn;
    this.config = completeConfig({ ...setup.config, seed: setup.split.seed ?? setup.config.seed });
    if (setup.backend) await this.setBackend(setup.backend);
    this.notice = `Experiment setup applied from the link (${CATALOG[setup.dataset.catalog as CatalogId].file}, ${setup.config.model.kind}, seed ${this.config.seed}).`;
    if (q.get('train') === '1') await this.train();
  }

  /** Opens a dataset the app ships. */
  async loadCatalog(id: CatalogId): Promise<void> {
    this.loading = { file: CATALOG[id].file, fraction: 0, rows: 0 };
    const res = await this.data.loadCatalog(id);
    this.loading = null;
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    this.accept(res.value, res.warnings);
    await this.repo.saveSettings({ dataset: { kind: 'catalog', catalogId: id }, selectedRun: this.selectedRunId });
    // Record the dataset version (the data itself ships with the app).
    if (!(await this.repo.getDatasetRecord(res.value.id))) {
      const entry = CATALOG[id];
      await this.repo.saveDatasetRecord({
        id: res.value.id,
        name: res.value.name,
        rowCount: res.value.rowCount,
        columns: res.value.schema.columns.map((c) => c.name),
        schema: plain(res.value.schema),
        label: res.value.schema.label,
        provenance: `${entry.source}; ${entry.license}`,
        savedAt: new Date().toISOString(),
        bytes: 0,
      });
    }
  }

  private async loadStored(id: string): Promise<boolean> {
    const stored = await this.repo.getDatasetRecord(id);
    const bytes = await this.repo.getDatasetData(id);
    if (!stored || !bytes) return false;
    const res = await this.data.restoreTable(transfer(bytes, [bytes.buffer]), stored.name, stored.label);
    if (!res.ok) return false;
    this.accept(res.value, []);
    return true;
  }

  /**
   * Imports a person's file. On any error the message names file/row/column and the dataset that
   * was loaded stays loaded.
   */
  async importFile(file: File): Promise<void> {
    this.error = null;
    this.loading = { file: file.name, fraction: 0, rows: 0 };
    // Progress arrives over its own channel and can land after the result: ignore late ones.
    let done = false;
    const onProgress = (p: ParseProgress) => {
      if (!done)
        this.loading = {
          file: file.name,
          fraction: p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : 0,
          rows: p.rows,
        };
    };
    let res;
    try {
      res = await this.data.importFile(file, proxy(onProgress));
    } finally {
      done = true;
      this.loading = null;
    }
    if (!res.ok) {
      this.error = res.error;
      this.warnings = res.warnings;
      return;
    }
    this.accept(res.value, res.warnings);
    const record = {
      id: res.value.id,
      name: res.value.name,
      rowCount: res.value.rowCount,
      columns: res.value.schema.columns.map((c) => c.name),
      schema: plain(res.value.schema),
      label: res.value.schema.label,
      provenance: `imported file ${file.name} (${file.size.toLocaleString('en-US')} bytes)`,
      savedAt: new Date().toISOString(),
      bytes: 0,
    };
    if (res.value.bytes <= MAX_STORED_DATASET_BYTES) {
      const t = await this.data.encodeTable(res.value.id);
      if (t.ok) {
        const saved = await this.repo.saveDatasetRecord(record, t.value);
        if (saved.ok)
          await this.repo.saveSettings({
            dataset: { kind: 'stored', id: res.value.id },
            selectedRun: this.selectedRunId,
          });
        else this.warnings = [...this.warnings, saved.error];
      }
    } else {
      await this.repo.saveDatasetRecord(record);
      this.warnings = [
        ...this.warnings,
        {
          kind: 'not-stored',
          file: file.name,
          message: `${file.name} is too large to keep across reloads (over ${MAX_STORED_DATASET_BYTES / 2 ** 20} MB in memory); re-import it after a reload.`,
        },
      ];
    }
  }

  setRole(column: string, role: ColumnRole): void {
    if (this.schema) this.schema = withRole(plain(this.schema), column, role);
  }

  setType(column: string, type: ColumnType): void {
    if (this.schema) this.schema = withType(plain(this.schema), column, type);
  }

  /** The split the next run will use. */
  splitSpec(): SplitSpec {
    return {
      kind: this.splitKind,
      fractions: plain(this.fractions),
      seed: this.config.seed,
      timeColumn: this.splitKind === 'time' ? this.timeColumn : undefined,
    };
  }

  /**
   * Trains in the worker with live progress. The run is recorded as `running` before training (and
   * after each epoch), held by a Web Lock while this tab trains it, and saved with its model at the
   * end — finished, cancelled or failed. Configuration problems are reported before anything starts.
   */
  async train(): Promise<void> {
    if (!this.dataset || !this.schema || this.training || this.debug.running || this.tuning.running) return;
    this.error = null;
    const runId = crypto.randomUUID();
    const runName = `${describeModel(this.config.model)} · ${this.dataset.name} · #${this.runs.length + 1}`;
    const config = plain(this.config);
    const split = this.splitSpec();
    const schema = plain(this.schema);
    const st = this.backend;
    const placeholder = startedRun({
      id: runId,
      name: runName,
      dataset: { id: this.dataset.id, name: this.dataset.name, rows: this.dataset.rowCount },
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
    placeholder.experimentId = this.experimentId;
    placeholder.tags = [];
    this.training = { runId, runName, progress: null, history: [], task: this.task, cancelling: false };
    const onProgress = (p: TrainProgress) => {
      if (this.training?.runId === runId) this.training.progress = p;
    };
    const onEpoch = (e: EpochRecord) => {
      if (this.training?.runId !== runId) return;
      this.training.history = [...this.training.history, e];
      placeholder.history = plain(this.training.history);
      void this.repo.saveRunRecord(placeholder);
    };
    const user = this.userBaseline && Number.isFinite(this.userBaseline.value) ? [plain(this.userBaseline)] : [];
    const job = {
      runId,
      runName,
      datasetId: this.dataset.id,
      schema,
      split,
      config,
      userBaselines: user,
      memoryBudget: deviceMemoryBudget(),
    };
    const method = this.ensembleMethod;
    if (method !== 'none') {
      placeholder.name = runName.replace(
        describeModel(config.model),
        `${method === 'bag' ? 'Bagged' : 'AdaBoost'} ${this.ensembleMembers}× ${describeModel(config.model)}`,
      );
      job.runName = placeholder.name;
      this.training.runName = placeholder.name;
    }
    const onMember = (done: number, total: number) => {
      if (this.training?.runId === runId)
        this.training.progress = {
          epoch: done,
          epochs: total,
          step: 1,
          stepsPerEpoch: 1,
          samplesPerSecond: 0,
          batchLoss: NaN,
          fraction: done / total,
        };
    };
    const res = await withRunLock(runId, async () => {
      await this.repo.saveRunRecord(placeholder);
      await this.refreshLists();
      if (method !== 'none')
        return this.trainer.trainEnsemble(job, method, Math.round(this.ensembleMembers), proxy(onMember));
      return this.trainer.train(job, proxy(onProgress), proxy(onEpoch));
    });
    this.training = null;
    if (!res.ok) {
      this.error = res.error;
      this.warnings = res.warnings;
      if (res.error.kind === 'training-failed')
        await this.repo.saveRunRecord({ ...placeholder, status: 'failed', message: res.error.message });
      else await this.repo.deleteRun(runId);
      await this.refreshLists();
      return;
    }
    this.warnings = res.warnings;
    const saved = await this.repo.saveRun(
      { ...res.value.run, experimentId: this.experimentId, tags: [] },
      res.value.model,
    );
    if (!saved.ok) this.error = saved.error;
    await this.refreshLists();
    this.selectRun(runId);
  }

  /** The job the next run would be (shared by training and the debugging checks). */
  private job(runId = 'check') {
    return {
      runId,
      runName: runId,
      datasetId: this.dataset!.id,
      schema: plain(this.schema!),
      split: this.splitSpec(),
      config: plain(this.config),
      memoryBudget: deviceMemoryBudget(),
    };
  }

  /** Runs a debugging check (overfit one batch, LR range test) in the worker. */
  async runCheck(which: 'overfit' | 'lr'): Promise<void> {
    if (!this.dataset || !this.schema || this.training || this.debug.running) return;
    this.debug = { ...this.debug, running: which };
    const res =
      which === 'overfit' ? await this.trainer.overfitBatch(this.job()) : await this.trainer.lrRange(this.job());
    this.debug = { ...this.debug, running: null, [which]: res.ok ? res.value : res.error };
  }

  /** Uses the LR range test's suggestion as the learning rate. */
  useSuggestedRate(): void {
    const lr = this.debug.lr;
    if (lr && 'suggested' in lr) this.config.learningRate = Number(lr.suggested.toPrecision(2));
  }

  /**
   * Hyperparameter search over the current configuration: a tuning worker proposes trials and a pool
   * of training workers (sized to the machine unless set) runs them in parallel, on the training and
   * validation splits only. The page renders trials as they finish.
   */
  async startTuning(opts: {
    search: SearchKind;
    trials: number;
    earlyStop: boolean;
    poolSize: number;
    space: SearchSpace;
  }): Promise<void> {
    if (!this.dataset || !this.schema || this.training || this.tuning.running) return;
    const poolSize = Math.max(1, Math.min(8, Math.round(opts.poolSize)));
    const tuneWorker = new Worker(new URL('../../workers/tune.worker.ts', import.meta.url), {
      type: 'module',
      name: 'benchtop-tune',
    });
    const tuner = wrap(tuneWorker) as Remote<TuneApi & { connectTrialWorker(port: MessagePort): void }>;
    const poolWorkers: Worker[] = [];
    for (let i = 0; i < poolSize; i++) {
      const w = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), {
        type: 'module',
        name: `benchtop-trial-${i}`,
      });
      poolWorkers.push(w);
      const remote = wrap(w) as TrainRemote & Remote<{ serveOn(port: MessagePort): void }>;
      const toData = new MessageChannel();
      await this.data.connect(transfer(toData.port1, [toData.port1]));
      await remote.connectData(transfer(toData.port2, [toData.port2]));
      const toTuner = new MessageChannel();
      await remote.serveOn(transfer(toTuner.port1, [toTuner.port1]));
      await tuner.connectTrialWorker(transfer(toTuner.port2, [toTuner.port2]));
    }
    this.tuning = {
      running: true,
      trials: [],
      best: null,
      error: null,
      total: opts.search === 'grid' ? null : opts.trials,
      poolSize,
      space: opts.space,
      cancel: () => void tuner.cancel(),
    };
    // Trial reports travel on their own channel and may land after the final result: ignore those.
    let done = false;
    const onTrial = (t: TrialResult) => {
      if (!done && !this.tuning.trials.some((x) => x.id === t.id))
        this.tuning = { ...this.tuning, trials: [...this.tuning.trials, t] };
    };
    const res = await tuner.run(
      {
        job: this.job(),
        base: plain(this.config),
        space: opts.space,
        search: opts.search,
        trials: opts.trials,
        seed: this.config.seed,
        earlyStop: opts.earlyStop,
      },
      proxy(onTrial),
    );
    done = true;
    tuneWorker.terminate();
    for (const w of poolWorkers) w.terminate();
    this.tuning = res.ok
      ? { ...this.tuning, running: false, trials: res.value.trials, best: res.value.best }
      : { ...this.tuning, running: false, error: res.error };
  }

  /** Copies the best trial's hyperparameters into the configuration (train it to score it on test). */
  useBestTrial(): void {
    const best = this.tuning.best;
    if (best) this.config = applyParams(plain(this.config), best.values);
  }

  /** Reloads runs and the registry from storage (after a change here or in another tab). */
  async refreshLists(): Promise<void> {
    const [runs, versions, aliases, audit, experiments] = await Promise.all([
      this.repo.listRuns(),
      this.repo.listVersions(),
      this.repo.listAliases(),
      this.repo.aliasHistory(),
      this.repo.listExperiments(),
    ]);
    this.experiments = experiments;
    this.runs = runs;
    this.versions = versions;
    this.aliases = aliases;
    this.audit = audit;
  }

  async refreshStorage(): Promise<void> {
    this.storage = await Repository.usage();
  }

  /** Asks the browser to keep this site's data under storage pressure. */
  async persistStorage(): Promise<void> {
    const granted = await Repository.persist();
    this.notice = granted
      ? "The browser will keep Benchtop's data even when space runs low."
      : 'The browser did not grant persistent storage (it decides by site engagement); export bundles to be safe.';
    await this.refreshStorage();
  }

  /** Runs matching the search, in the chosen order. Search terms: words in the name, model, tags; `tag:x`; `status:x`; `param=value`. */
  filteredRuns(): RunRecord[] {
    const terms = this.runQuery.toLowerCase().split(/\s+/).filter(Boolean);
    const text = (r: RunRecord) =>
      [r.name, r.status, r.config.model.kind, r.dataset.name, ...(r.tags ?? []), JSON.stringify(r.config).toLowerCase()]
        .join(' ')
        .toLowerCase();
    const matches = (r: RunRecord, t: string) => {
      if (t.startsWith('tag:')) return (r.tags ?? []).some((x) => x.toLowerCase() === t.slice(4));
      if (t.startsWith('status:')) return r.status === t.slice(7);
      const m = /^([a-z0-9_.]+)([<>=])(.+)$/i.exec(t);
      if (m) {
        const [, key, op, raw] = m;
        const flat: Record<string, unknown> = { ...r.config, ...r.config.model, ...r.metrics.validation };
        const v = flat[Object.keys(flat).find((k) => k.toLowerCase() === key!.toLowerCase()) ?? ''];
        if (v === undefined) return false;
        const num = Number(raw);
        if (op === '=') return String(v).toLowerCase() === raw || (Number.isFinite(num) && Number(v) === num);
        return op === '<' ? Number(v) < num : Number(v) > num;
      }
      return text(r).includes(t);
    };
    const out = this.runs.filter(
      (r) =>
        (this.experimentFilter === 'all' || (r.experimentId ?? 'default') === this.experimentFilter) &&
        terms.every((t) => matches(r, t)),
    );
    const score = (r: RunRecord) =>
      r.task === 'classification'
        ? (r.metrics.validation.accuracy ?? -Infinity)
        : -(r.metrics.validation.rmse ?? Infinity);
    const by = {
      newest: (a: RunRecord, b: RunRecord) => b.createdAt.localeCompare(a.createdAt),
      oldest: (a: RunRecord, b: RunRecord) => a.createdAt.localeCompare(b.createdAt),
      best: (a: RunRecord, b: RunRecord) => (score(b) || 0) - (score(a) || 0),
      name: (a: RunRecord, b: RunRecord) => a.name.localeCompare(b.name),
    }[this.runSort];
    return out.sort(by);
  }

  /** Creates an experiment and makes it the one new runs join. */
  async createExperiment(name: string): Promise<void> {
    const clean = name.trim();
    if (!clean) return;
    const e: Experiment = { id: crypto.randomUUID(), name: clean.slice(0, 80), createdAt: new Date().toISOString() };
    const r = await this.repo.saveExperiment(e);
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.experimentId = e.id;
    this.experimentFilter = e.id;
    await this.refreshLists();
  }

  /** Replaces a run's tags. */
  async setRunTags(runId: string, tags: string[]): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    if (!run) return;
    const clean = [
      ...new Set(tags.map((t) => t.trim().toLowerCase()).filter((t) => /^[a-z0-9][a-z0-9_.-]{0,31}$/.test(t))),
    ];
    const saved = await this.repo.saveRunRecord({ ...plain(run), tags: clean });
    if (!saved.ok) this.error = saved.error;
    await this.refreshLists();
  }

  /** Registers a run's model as the next version of a named model. */
  async registerRun(
    runId: string,
    name: string,
    relation: VersionRelation | 'auto',
    tags: string[],
  ): Promise<ModelVersion | null> {
    const run = this.runs.find((r) => r.id === runId);
    const model = await this.repo.getModel(runId);
    if (!run || !model) {
      this.error = { kind: 'missing-model', message: 'This run has no saved model to register.' };
      return null;
    }
    const res = await registerVersion(this.repo, {
      name,
      run: plain(run),
      model,
      relation: relation === 'auto' ? undefined : relation,
      tags: [...plain(tags)],
    });
    await this.refreshLists();
    if (!res.ok) {
      this.error = res.error;
      return null;
    }
    this.notice = `Registered ${res.value.id} (${res.value.label}).`;
    // Behavioural tests saved with the parent version are rerun on the new one.
    const parentRun = res.value.parentId
      ? this.runs.find((r) => r.id === this.versions.find((v) => v.id === res.value.parentId)?.runId)
      : undefined;
    if (parentRun?.behaviourTests?.length && !run.evaluation)
      void this.evaluateRun(
        run.id,
        parentRun.evaluation?.split === 'validation' ? 'validation' : 'test',
        [],
        plain(parentRun.behaviourTests),
      );
    return res.value;
  }

  /** Points an alias at a version (promote), with the reason kept in the audit trail. */
  async promote(name: string, alias: string, versionId: string, reason: string): Promise<void> {
    const res = await moveAlias(this.repo, { name, alias, to: versionId, reason });
    if (!res.ok) this.error = res.error;
    await this.refreshLists();
  }

  /** Moves an alias back to where it pointed before. */
  async rollback(name: string, alias: string, reason: string): Promise<void> {
    const res = await rollbackAlias(this.repo, { name, alias, reason });
    if (!res.ok) this.error = res.error;
    await this.refreshLists();
  }

  /** The card of a version: generated from the registry, with the saved prose. */
  async modelCard(versionId: string): Promise<{ card: ModelCard; prose: ModelCardProse } | null> {
    const v = await this.repo.getVersion(versionId);
    if (!v) return null;
    const prose = (await this.repo.getCard(versionId)) ?? { versionId, ...EMPTY_PROSE, updatedAt: '' };
    const card = buildModelCard(
      v,
      await this.repo.getRun(v.runId),
      await this.repo.getDatasetRecord(v.datasetId),
      await this.repo.listAliases(v.name),
      prose,
    );
    return { card, prose };
  }

  async saveCardProse(prose: ModelCardProse): Promise<void> {
    const res = await this.repo.saveCard({ ...plain(prose), updatedAt: new Date().toISOString() });
    if (!res.ok) this.error = res.error;
  }

  /** A version's model as a zip of its model directory (tfjs model.json + weights.bin, preprocessing, run). */
  async exportVersionModel(versionId: string): Promise<{ name: string; blob: Blob } | null> {
    const v = await this.repo.getVersion(versionId);
    const model = await this.repo.getVersionModel(versionId);
    const run = v ? await this.repo.getRun(v.runId) : undefined;
    if (!v || !model || !run) return null;
    const bytes = await this.trainer.exportBundle({ run, model });
    return {
      name: `${v.name}-v${v.version}.benchtop.zip`,
      blob: new Blob([bytes as BlobPart], { type: 'application/zip' }),
    };
  }

  /** Exports the ONNX file of a version (and keeps the bytes with the version). */
  async exportVersionOnnx(versionId: string): Promise<{ name: string; blob: Blob } | null> {
    const v = await this.repo.getVersion(versionId);
    const model = await this.repo.getVersionModel(versionId);
    if (!v || !model) return null;
    const res = await this.trainer.exportOnnx(model);
    if (!res.ok) {
      this.error = res.error;
      return null;
    }
    await this.repo.updateVersion({ ...v, onnx: res.value.slice().buffer as ArrayBuffer });
    return {
      name: `${v.name}-v${v.version}.onnx`,
      blob: new Blob([res.value as BlobPart], { type: 'application/octet-stream' }),
    };
  }

  /** One zip of the ticked runs and the chosen versions, with datasets and cards (hashed and zipped in the worker). */
  async exportBundleFile(versionIds: string[]): Promise<{ name: string; blob: Blob } | null> {
    const files = await collectBundle(this.repo, { runIds: plain(this.picked), versionIds });
    if (!files.ok) {
      this.error = files.error;
      return null;
    }
    const bytes = await this.trainer.packBundle(files.value);
    return {
      name: `benchtop-bundle-${new Date().toISOString().slice(0, 10)}.zip`,
      blob: new Blob([bytes as BlobPart], { type: 'application/zip' }),
    };
  }

  /** Imports a bundle: validated in the worker, then written in one transaction — or not at all. */
  async importBundleFile(file: File): Promise<void> {
    this.error = null;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const payload = await this.trainer.readBundle(transfer(bytes, [bytes.buffer]), file.name);
    if (!payload.ok) {
      this.error = payload.error;
      return;
    }
    const res = await this.repo.importAll(payload.value);
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    await this.refreshLists();
    this.notice = `Imported ${payload.value.runs.length} run(s), ${payload.value.versions.length} model version(s) and ${payload.value.datasets.length} dataset(s) from ${file.name}.`;
  }

  /** Evaluates a run's model (on its test or validation split, or every row of its dataset) in the worker; the report is kept with the run. */
  async evaluateRun(
    runId: string,
    split: EvaluationReport['split'],
    slices: SliceDefinition[],
    tests: BehaviourTest[],
  ): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    const model = await this.repo.getModel(runId);
    if (!run || !model) {
      this.error = { kind: 'missing-model', message: 'This run has no saved model to evaluate.' };
      return;
    }
    if (!(await this.ensureDataset(plain(run)))) {
      this.error = {
        kind: 'missing-dataset',
        message: `The dataset ${run.dataset.name} is not available; import it again to evaluate this model.`,
      };
      return;
    }
    this.evaluating = runId;
    try {
      const res = await this.trainer.evaluate(model, plain(run), run.dataset.id, split, {
        slices: plain(slices),
        tests: plain(tests),
        abstainBelow: run.evaluation?.abstainBelow ?? null,
      });
      if (!res.ok) {
        this.error = res.error;
        return;
      }
      const saved = await this.repo.saveRunRecord({
        ...plain(run),
        evaluation: res.value,
        behaviourTests: plain(tests),
      });
      if (!saved.ok) this.error = saved.error;
      await this.refreshLists();
    } finally {
      this.evaluating = null;
    }
  }

  /** Saves the confidence below which the model abstains (kept with the run's evaluation and used by predict). */
  async setAbstain(runId: string, threshold: number | null): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    if (!run?.evaluation) return;
    await this.repo.saveRunRecord({ ...plain(run), evaluation: { ...plain(run.evaluation), abstainBelow: threshold } });
    await this.refreshLists();
  }

  /**
   * Calibrates a run's model on its validation split; the calibrated model is saved as a new run and,
   * when the original is a registered version, as the next version of that model with lineage to it.
   */
  async calibrate(runId: string, method: CalibrationMethod): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    const model = await this.repo.getModel(runId);
    if (!run || !model) return;
    if (!(await this.ensureDataset(plain(run)))) {
      this.error = {
        kind: 'missing-dataset',
        message: `The dataset ${run.dataset.name} is not available; import it again to calibrate.`,
      };
      return;
    }
    this.evaluating = runId;
    try {
      const res = await this.trainer.calibrate(plain(run), model, method, crypto.randomUUID());
      if (!res.ok) {
        this.error = res.error;
        return;
      }
      const saved = await this.repo.saveRun(
        {
          ...res.value.run,
          evaluation: undefined,
          experimentId: run.experimentId ?? 'default',
          tags: [...(run.tags ?? []), 'calibrated'],
        },
        res.value.model,
      );
      if (!saved.ok) {
        this.error = saved.error;
        return;
      }
      const parent = this.versions.filter((v) => v.runId === runId).at(-1);
      if (parent) {
        const v = await registerVersion(this.repo, {
          name: parent.name,
          run: res.value.run,
          model: res.value.model,
          relation: 'update',
          parentId: parent.id,
          tags: ['calibrated'],
        });
        if (v.ok)
          this.notice = `Calibrated by ${method}: registered ${v.value.id} (${v.value.label}), a stateful update of ${parent.id}.`;
      } else this.notice = `Calibrated by ${method}: saved as a new run.`;
      await this.refreshLists();
      this.selectRun(res.value.run.id);
    } finally {
      this.evaluating = null;
    }
    // The behavioural tests saved with the parent are rerun on the calibrated version.
    if (run.behaviourTests?.length)
      await this.evaluateRun(this.selectedRunId!, run.evaluation?.split ?? 'test', [], plain(run.behaviourTests));
  }

  /** Compresses a run's network; the result is saved as a new run and, when the parent is registered, its next version (a stateful update). */
  async compress(runId: string, spec: CompressionSpec): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    const model = await this.repo.getModel(runId);
    if (!run || !model) return;
    if (!(await this.ensureDataset(plain(run)))) {
      this.error = {
        kind: 'missing-dataset',
        message: `The dataset ${run.dataset.name} is not available; import it again to compress.`,
      };
      return;
    }
    this.evaluating = runId;
    try {
      const res =
        spec.method === 'qat' || (spec.method === 'prune' && spec.fineTuneEpochs)
          ? await this.trainer.fineTune(
              plain(run),
              model,
              {
                method: spec.method === 'qat' ? 'qat' : 'prune',
                epochs: spec.fineTuneEpochs ?? 3,
                learningRate: spec.fineTuneRate ?? 0.001,
                sparsity: spec.sparsity,
                gradual: spec.gradual,
              },
              crypto.randomUUID(),
            )
          : spec.method === 'distill'
            ? await this.trainer.distill(
                plain(run),
                model,
                {
                  hidden: plain(spec.studentHidden ?? [32]),
                  temperature: spec.temperature ?? 4,
                  alpha: spec.alpha ?? 0.7,
                },
                crypto.randomUUID(),
              )
            : await this.trainer.compress(plain(run), model, plain(spec) as BaseSpec, crypto.randomUUID());
      if (!res.ok) {
        this.error = res.error;
        return;
      }
      this.warnings = res.warnings;
      const saved = await this.repo.saveRun(
        {
          ...res.value.run,
          experimentId: run.experimentId ?? 'default',
          tags: [...(run.tags ?? []).filter((t) => t !== 'calibrated'), 'compressed'],
        },
        res.value.model,
      );
      if (!saved.ok) {
        this.error = saved.error;
        return;
      }
      const parent = this.versions.filter((v) => v.runId === runId).at(-1);
      if (parent) {
        const v = await registerVersion(this.repo, {
          name: parent.name,
          run: res.value.run,
          model: res.value.model,
          relation: 'update',
          parentId: parent.id,
          tags: ['compressed', String(spec.method)],
        });
        if (v.ok)
          this.notice = `Compressed (${spec.method}): registered ${v.value.id} (${v.value.label}) from ${parent.id}.`;
      } else this.notice = `Compressed (${spec.method}): saved as a new run.`;
      await this.refreshLists();
    } finally {
      this.evaluating = null;
    }
  }

  /** Checks an endpoint (health, metadata, a one-row request preview) for a run's model. Secrets stay in memory. */
  async probeEndpoint(
    runId: string,
    endpoint: Endpoint,
    http: { timeoutMs: number; retries: number; headers?: Record<string, string> },
  ): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    const model = await this.repo.getModel(runId);
    if (!model || !run) return;
    this.remote = { ...this.remote, runId, busy: 'probe', error: null, probe: null };
    try {
      await this.ensureDataset(plain(run));
      const r = await this.trainer.probeEndpoint(plain(endpoint), plain(http), model, plain(run));
      this.remote = { ...this.remote, probe: r.ok ? r.value : null, error: r.ok ? null : r.error };
    } finally {
      this.remote = { ...this.remote, busy: null };
    }
  }

  /** Runs the local model and the remote one on the run's test split and compares them. */
  async compareRemote(
    runId: string,
    endpoint: Endpoint,
    o: {
      http: { timeoutMs: number; retries: number; headers?: Record<string, string> };
      batchSize: number;
      concurrency: number;
      price?: { perHour?: number; perMillionRequests?: number };
    },
  ): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    const model = await this.repo.getModel(runId);
    if (!run || !model) return;
    if (!(await this.ensureDataset(plain(run)))) {
      this.remote = {
        ...this.remote,
        runId,
        error: {
          kind: 'missing-dataset',
          message: `The dataset ${run.dataset.name} is not available; import it again to compare.`,
        },
      };
      return;
    }
    this.remote = { ...this.remote, runId, busy: 'compare', error: null, result: null, progress: [0, 0] };
    try {
      const r = await this.trainer.compareRemote(
        model,
        plain(run),
        plain(endpoint),
        plain(o),
        jobProgress(
          () => this.remote.busy === 'compare',
          (progress) => (this.remote = { ...this.remote, progress }),
        ),
      );
      this.remote = { ...this.remote, result: r.ok ? r.value : null, error: r.ok ? null : r.error };
    } finally {
      this.remote = { ...this.remote, busy: null, progress: null };
    }
  }

  cancelRemote(): void {
    void this.trainer.cancelRemote();
  }

  /** The endpoint of the form. */
  endpoint(): Endpoint {
    const f = this.endpointForm;
    const map = Object.entries(f.inputMap)
      .map(
        ([k, v]) =>
          [
            k,
            v
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
          ] as const,
      )
      .filter(([, v]) => v.length);
    return {
      url: f.url.trim(),
      protocol: f.protocol,
      model: f.model.trim(),
      version: f.version.trim() || undefined,
      ...(f.protocol === 'kserve-v2' && f.binary ? { binary: true } : {}),
      ...(f.protocol === 'kserve-v2' && map.length ? { inputMap: Object.fromEntries(map) } : {}),
    };
  }

  /** Timeouts, retries and the auth header (`Name: value`) of the form, for the worker's calls. */
  httpOptions(): { timeoutMs: number; retries: number; headers?: Record<string, string> } {
    const f = this.endpointForm,
      h = f.authHeader.trim(),
      i = h.indexOf(':');
    return {
      timeoutMs: f.timeoutMs,
      retries: f.retries,
      headers: h && i > 0 ? { [h.slice(0, i).trim()]: h.slice(i + 1).trim() } : undefined,
    };
  }

  /** Remembers the endpoint (never the auth header unless the person ticked "store it"). */
  async saveEndpoint(): Promise<void> {
    const f = this.endpointForm;
    const r = await this.repo.saveEndpointSettings({
      endpoint: this.endpoint(),
      timeoutMs: f.timeoutMs,
      retries: f.retries,
      batchSize: f.batchSize,
      concurrency: f.concurrency,
      ...(f.storeSecret ? { authHeader: f.authHeader } : {}),
    });
    if (!r.ok) this.notice = r.error.message;
    else
      this.endpointSaved = f.storeSecret
        ? 'Endpoint and auth header stored in this browser.'
        : 'Endpoint remembered in this browser; the auth header is not stored.';
  }

  /**
   * Runs a lesson in the workers (on the link's backend, when it names one) and keeps its output; the
   * address bar gets the lesson's link, so copying it reproduces this run.
   */
  async runLesson(id: LessonId, params: Params, backend: BackendName | 'auto' = 'auto'): Promise<void> {
    this.lesson = {
      ...this.lesson,
      id,
      params: { ...params },
      busy: true,
      progress: null,
      output: null,
      partial: null,
      error: null,
    };
    if (typeof history !== 'undefined') history.replaceState(null, '', lessonHash(id, params, backend));
    const t0 = performance.now();
    try {
      if (backend !== 'auto' && backend !== this.backend?.backend) await this.setBackend(backend);
      const output = await runLesson(id, params, {
        trainer: this.trainer,
        data: this.data,
        setBackend: (b) => this.setBackend(b),
        progress: (done, total, what) => (this.lesson = { ...this.lesson, progress: { done, total, what } }),
        partial: (out) => (this.lesson = { ...this.lesson, partial: out }),
      });
      this.lesson = { ...this.lesson, output, partial: null, ms: performance.now() - t0 };
    } catch (e) {
      this.lesson = { ...this.lesson, error: (e as Error).message };
    } finally {
      this.lesson = { ...this.lesson, busy: false, progress: null };
    }
  }

  /** Opens monitoring for a run: its saved expectations; keeps the loaded new data across runs. */
  openMonitor(runId: string): void {
    if (this.monitor.runId === runId) return;
    const run = this.runs.find((r) => r.id === runId);
    this.monitor = {
      ...emptyMonitor(runId),
      current: this.monitor.current,
      expectations: plain(run?.expectations ?? []),
    };
  }

  private async monitored<V>(
    runId: string,
    busy: MonitorState['busy'],
    f: (run: RunRecord, model: TrainedModel) => Promise<Result<V>>,
  ): Promise<Result<V> | undefined> {
    const run = this.runs.find((r) => r.id === runId);
    const model = await this.repo.getModel(runId);
    if (!run || !model) return undefined;
    if (!(await this.ensureDataset(plain(run)))) {
      this.monitor = {
        ...this.monitor,
        error: {
          kind: 'missing-dataset',
          message: `The dataset ${run.dataset.name} (this model's training data, the reference) is not available; import it again.`,
        },
      };
      return undefined;
    }
    this.monitor = { ...this.monitor, busy, progress: null, error: null };
    try {
      return await f(plain(run), model);
    } finally {
      this.monitor = { ...this.monitor, busy: null, progress: null };
    }
  }

  private progressTo = () =>
    jobProgress(
      () => this.monitor.busy !== null,
      (progress) => (this.monitor = { ...this.monitor, progress }),
    );

  /** Loads new data to monitor (a file), in the data worker only: the dataset being worked on stays. */
  monitorLoadFile(file: File): Promise<void> {
    return this.monitorLoad(() => this.data.importFile(file));
  }

  /** Uses a shipped dataset as the new data. */
  monitorLoadCatalog(id: CatalogId): Promise<void> {
    return this.monitorLoad(() => this.data.loadCatalog(id));
  }

  private async monitorLoad(load: () => Promise<Result<DatasetInfo>>): Promise<void> {
    this.monitor = { ...this.monitor, busy: 'load', error: null };
    try {
      await this.dropMonitorTable();
      const r = await load();
      this.monitor = r.ok
        ? {
            ...this.monitor,
            current: { id: r.value.id, name: r.value.name, rows: r.value.rowCount },
            report: null,
            expectationResults: null,
          }
        : { ...this.monitor, error: r.error };
    } finally {
      this.monitor = { ...this.monitor, busy: null };
    }
  }

  /** Frees the previous new-data table in the data worker (unless it is a dataset in use). */
  private async dropMonitorTable(): Promise<void> {
    const cur = this.monitor.current;
    if (!cur || cur.id === this.dataset?.id || this.runs.some((r) => r.dataset.id === cur.id)) return;
    await this.data.drop(cur.id);
    this.monitor = { ...this.monitor, current: null };
  }

  async monitorDrift(runId: string, o: { alpha: number; multivariate: boolean; minSize?: number }): Promise<void> {
    const cur = this.monitor.current;
    if (!cur) return;
    const r = await this.monitored(runId, 'drift', (run, model) => this.trainer.monitorDrift(run, model, cur.id, o));
    if (r) this.monitor = r.ok ? { ...this.monitor, report: r.value } : { ...this.monitor, error: r.error };
  }

  /** A timeline over windows of the run's own dataset or of the new data. */
  async monitorTimeline(runId: string, source: 'run' | 'current', spec: WindowSpec, rules: AlertRule[]): Promise<void> {
    const r = await this.monitored(runId, 'timeline', (run, model) => {
      const id = source === 'current' && this.monitor.current ? this.monitor.current.id : run.dataset.id;
      return this.trainer.monitorTimeline(run, model, id, plain(spec), plain(rules), this.progressTo());
    });
    const run = this.runs.find((x) => x.id === runId);
    if (r)
      this.monitor = r.ok
        ? {
            ...this.monitor,
            timeline: {
              ...r.value,
              source:
                source === 'current' && this.monitor.current ? this.monitor.current.name : (run?.dataset.name ?? ''),
            },
          }
        : { ...this.monitor, error: r.error };
  }

  async suggestExpectations(runId: string): Promise<void> {
    const r = await this.monitored(runId, 'expectations', (run) => this.trainer.suggestExpectations(run));
    if (r) this.monitor = r.ok ? { ...this.monitor, expectations: r.value } : { ...this.monitor, error: r.error };
  }

  /** Saves the expectations with the run (its model version carries them). */
  async saveExpectations(runId: string, list: Expectation[]): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    if (!run) return;
    const saved = await this.repo.saveRunRecord({ ...plain(run), expectations: plain(list) });
    if (!saved.ok) this.monitor = { ...this.monitor, error: saved.error };
    else {
      this.monitor = { ...this.monitor, expectations: plain(list) };
      await this.refreshLists();
    }
  }

  async runExpectations(runId: string, on: 'run' | 'current', given?: Expectation[]): Promise<void> {
    const list = plain(given ?? this.monitor.expectations);
    const r = await this.monitored(runId, 'expectations', (run) =>
      this.trainer.runExpectations(
        on === 'current' && this.monitor.current ? this.monitor.current.id : run.dataset.id,
        list,
      ),
    );
    const run = this.runs.find((x) => x.id === runId);
    if (r)
      this.monitor = r.ok
        ? {
            ...this.monitor,
            expectationResults: {
              on: on === 'current' && this.monitor.current ? this.monitor.current.name : (run?.dataset.name ?? ''),
              results: r.value,
            },
          }
        : { ...this.monitor, error: r.error };
  }

  async continual(
    runId: string,
    spec: WindowSpec,
    o: { trigger: Trigger; trainRows: number; fineTuneEpochs: number },
  ): Promise<void> {
    const r = await this.monitored(runId, 'continual', (run, model) =>
      this.trainer.continualLearning(run, model, plain(spec), plain(o), this.progressTo()),
    );
    if (r) this.monitor = r.ok ? { ...this.monitor, continual: r.value } : { ...this.monitor, error: r.error };
  }

  /**
   * Registers the continual-learning versions under a model name, in order: stateless retrains as
   * "retrain" (minor version), stateful fine-tunes as "update" (patch) of the version before them.
   * Each gets a run record (tagged "continual") so the registry and model cards can show it.
   */
  async registerContinual(runId: string, name: string): Promise<void> {
    const c = this.monitor.continual ? plain(this.monitor.continual) : null;
    const run = this.runs.find((r) => r.id === runId);
    if (!c || !run) return;
    this.monitor = { ...this.monitor, busy: 'register', error: null };
    const ids: string[] = [];
    try {
      const base = plain(run);
      let existing = this.versions.filter((v) => v.name === name);
      if (!existing.length) {
        const model = await this.repo.getModel(runId);
        const first =
          model &&
          (await registerVersion(this.repo, { name, run: base, model, relation: 'architecture', tags: ['continual'] }));
        if (first && !first.ok) throw new Error(first.error.message);
        if (first?.ok) ids.push(`${first.value.id} (${first.value.label})`);
      }
      const latest: Record<'stateless' | 'stateful', string | undefined> = {
        stateless: undefined,
        stateful: undefined,
      };
      existing = await this.repo.listVersions(name);
      const root = existing.at(-1)?.id;
      for (const v of c.versions) {
        const id = crypto.randomUUID();
        const metrics = {
          ...base.metrics,
          test:
            c.metric === 'accuracy'
              ? { ...base.metrics.test!, accuracy: v.nextMetric }
              : { ...base.metrics.test!, rmse: v.nextMetric },
        };
        const rec: RunRecord = {
          ...base,
          id,
          name: `${base.name} · ${v.strategy} after ${c.windows[v.afterWindow]!.label}`,
          createdAt: new Date().toISOString(),
          durationMs: v.ms,
          metrics,
          tags: ['continual', v.strategy],
          evaluation: undefined,
          experimentId: base.experimentId ?? 'default',
          message: v.reason,
        };
        const saved = await this.repo.saveRun(rec, v.model);
        if (!saved.ok) throw new Error(saved.error.message);
        const parent = latest[v.strategy] ?? root;
        const reg = await registerVersion(this.repo, {
          name,
          run: rec,
          model: v.model,
          relation: v.strategy === 'stateless' ? 'retrain' : 'update',
          parentId: parent ?? null,
          tags: ['continual', v.strategy],
          description: v.reason,
        });
        if (!reg.ok) throw new Error(reg.error.message);
        latest[v.strategy] = reg.value.id;
        ids.push(`${reg.value.id} (${reg.value.label}, ${v.strategy})`);
      }
      this.monitor = { ...this.monitor, continual: { ...c, registered: ids } };
      await this.refreshLists();
    } catch (e) {
      this.monitor = { ...this.monitor, error: { kind: 'register-failed', message: (e as Error).message } };
    } finally {
      this.monitor = { ...this.monitor, busy: null };
    }
  }

  async freshData(runId: string, spec: WindowSpec, o: { span: number; maxAge: number }): Promise<void> {
    const r = await this.monitored(runId, 'fresh', (run, model) =>
      this.trainer.freshDataValue(run, model, plain(spec), plain(o), this.progressTo()),
    );
    if (r) this.monitor = r.ok ? { ...this.monitor, fresh: r.value } : { ...this.monitor, error: r.error };
  }

  cancelMonitor(): void {
    void this.trainer.cancelMonitor();
  }

  /** Loads the saved rehearsals of a run (shown under its comparison). */
  async loadRehearsals(runId: string): Promise<void> {
    const saved = await this.repo.listRehearsals(runId);
    this.rehearsal = {
      ...this.rehearsal,
      runId,
      saved,
      ...(this.rehearsal.runId === runId ? {} : { result: null, error: null }),
    };
  }

  /**
   * Rehearses a production test in the worker over the run's replayed test split: the champion is this
   * run's model (local) or the endpoint; the challenger another run's model, the endpoint, or the
   * heuristic. The result is saved with the run.
   */
  async rehearse(
    runId: string,
    kind: RehearsalKind,
    champion: 'local' | 'remote',
    challenger: { kind: 'local'; runId: string } | { kind: 'remote' } | { kind: 'heuristic' },
    config: RehearsalConfig,
  ): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    const model = await this.repo.getModel(runId);
    if (!run || !model) return;
    if (!(await this.ensureDataset(plain(run)))) {
      this.rehearsal = {
        ...this.rehearsal,
        runId,
        error: {
          kind: 'missing-dataset',
          message: `The dataset ${run.dataset.name} is not available; import it again to rehearse.`,
        },
      };
      return;
    }
    const e = this.endpoint();
    const remote: SideSpec = {
      kind: 'remote',
      name: `cloud: ${e.model} at ${e.url}`,
      endpoint: e,
      http: this.httpOptions(),
    };
    const a: SideSpec = champion === 'local' ? { kind: 'local', name: `local: ${run.name}`, model } : remote;
    let b: SideSpec;
    if (challenger.kind === 'local') {
      const other = this.runs.find((r) => r.id === challenger.runId);
      const m = await this.repo.getModel(challenger.runId);
      if (!other || !m) return;
      b = { kind: 'local', name: `local: ${other.name}`, model: m };
    } else b = challenger.kind === 'remote' ? remote : { kind: 'heuristic', name: 'heuristic' };
    this.rehearsal = {
      ...this.rehearsal,
      runId,
      busy: true,
      progress: [0, config.requests],
      error: null,
      result: null,
    };
    try {
      const r = await this.trainer.rehearse(
        kind,
        plain(run),
        model,
        a,
        b,
        plain(config),
        jobProgress(
          () => this.rehearsal.busy,
          (progress) => (this.rehearsal = { ...this.rehearsal, progress }),
        ),
      );
      if (!r.ok) {
        this.rehearsal = { ...this.rehearsal, error: r.error };
        return;
      }
      const createdAt = new Date().toISOString();
      const record: RehearsalRecord = {
        ...r.value,
        id: `rh-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`,
        runId,
        createdAt,
        name: `${REHEARSAL_LABELS[kind]} — ${r.value.champion} vs ${r.value.challenger}`,
      };
      const saved = await this.repo.addRehearsal(record);
      this.rehearsal = {
        ...this.rehearsal,
        result: record,
        error: saved.ok ? null : saved.error,
        saved: saved.ok ? await this.repo.listRehearsals(runId) : this.rehearsal.saved,
      };
    } finally {
      this.rehearsal = { ...this.rehearsal, busy: false, progress: null };
    }
  }

  cancelRehearsal(): void {
    void this.trainer.cancelRehearsal();
  }

  async deleteRehearsal(id: string): Promise<void> {
    await this.repo.deleteRehearsal(id);
    const runId = this.rehearsal.runId;
    if (runId)
      this.rehearsal = {
        ...this.rehearsal,
        saved: await this.repo.listRehearsals(runId),
        result: this.rehearsal.result?.id === id ? null : this.rehearsal.result,
      };
  }

  /** Loads a run's precomputed prediction set, if any. */
  async loadBatch(runId: string): Promise<void> {
    const set = (await this.repo.getPredictionSet(runId)) ?? null;
    this.batch = { ...this.batch, runId, set, ...(this.batch.runId === runId ? {} : { measure: null, error: null }) };
  }

  /** Batch prediction: every dataset row through the model in the worker, stored in IndexedDB. */
  async precompute(runId: string): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    const model = await this.repo.getModel(runId);
    if (!run || !model) return;
    if (!(await this.ensureDataset(plain(run)))) {
      this.batch = {
        ...this.batch,
        runId,
        error: {
          kind: 'missing-dataset',
          message: `The dataset ${run.dataset.name} is not available; import it again.`,
        },
      };
      return;
    }
    this.batch = { ...this.batch, runId, busy: 'precompute', progress: [0, run.dataset.rows], error: null };
    try {
      const r = await this.trainer.predictDataset(
        model,
        run.dataset.id,
        jobProgress(
          () => this.batch.busy === 'precompute',
          (progress) => (this.batch = { ...this.batch, progress }),
        ),
      );
      if (!r.ok) {
        this.batch = { ...this.batch, error: r.error };
        return;
      }
      const s = await this.repo.savePredictions(
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
      this.batch = s.ok ? { ...this.batch, set: s.value, measure: null } : { ...this.batch, error: s.error };
    } finally {
      this.batch = { ...this.batch, busy: null, progress: null };
    }
  }

  /**
   * Measures, for the same `samples` random rows, a lookup of the precomputed prediction (one
   * IndexedDB read from this page) against an on-demand prediction (a round trip to the worker, which
   * keeps the model loaded and encodes and predicts the row), and checks the two agree.
   */
  async measureBatchOnline(runId: string, samples = 200, seed = 1): Promise<void> {
    const run = this.runs.find((r) => r.id === runId);
    const set = this.batch.set;
    const model = await this.repo.getModel(runId);
    if (!run || !set || set.runId !== runId || !model) return;
    if (!(await this.ensureDataset(plain(run)))) return;
    this.batch = { ...this.batch, busy: 'measure', progress: [0, samples], error: null };
    try {
      const rng = createRandom(seed);
      const rows = Array.from({ length: samples }, () => rng.int(set.rows));
      const online = async (row: number, first: boolean) => {
        const r = await this.trainer.predictOnline(first ? model : null, runId, run.dataset.id, row);
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      };
      const measure = await measureBatchOnline(
        rows,
        (row) => this.repo.lookupPrediction(set, row),
        online,
        (done) => (this.batch = { ...this.batch, progress: [done, samples] }),
      );
      this.batch = { ...this.batch, measure };
    } catch (e) {
      this.batch = { ...this.batch, error: { kind: 'measure-failed', message: (e as Error).message } };
    } finally {
      this.batch = { ...this.batch, busy: null, progress: null };
    }
  }

  /** Measures latency and throughput of runs' networks in the worker (one at a time). */
  async measure(runIds: string[]): Promise<void> {
    this.evaluating = runIds[0] ?? null;
    try {
      for (const id of runIds) {
        const model = await this.repo.getModel(id);
        if (!model) continue;
        const res = await this.trainer.measure(model);
        this.latency = { ...this.latency, [id]: res.ok ? res.value : res.error };
      }
    } finally {
      this.evaluating = null;
    }
  }

  /** Imports an ONNX model over the current dataset (its numeric feature columns in order, its label); saved as a run to evaluate and register. */
  async importOnnxFile(file: File): Promise<void> {
    if (!this.dataset || !this.schema) return;
    this.error = null;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const res = await this.trainer.importOnnx(
      transfer(bytes, [bytes.buffer]),
      file.name,
      this.dataset.id,
      plain(this.schema),
      this.splitSpec(),
      crypto.randomUUID(),
    );
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    const saved = await this.repo.saveRun(
      { ...res.value.run, experimentId: this.experimentId, tags: ['onnx'] },
      res.value.model,
    );
    if (!saved.ok) {
      this.error = saved.error;
      return;
    }
    await this.refreshLists();
    this.selectRun(res.value.run.id);
    this.notice = `Imported ${file.name}: ${res.value.info.inputs.map((i) => `${i.name} [${i.shape.join('×')}]`).join(', ')} → ${res.value.info.outputs.map((o) => `${o.name} [${o.shape.join('×')}]`).join(', ')}; ${Object.keys(res.value.info.operators).length} operator types. Register it to keep it as a model version.`;
  }

  /** Ticks or unticks a run for combining. */
  togglePick(id: string): void {
    this.picked = this.picked.includes(id) ? this.picked.filter((x) => x !== id) : [...this.picked, id];
  }

  /** Combines the ticked runs into a majority-vote, averaging or stacking ensemble, saved as a new run. */
  async combinePicked(method: 'vote-hard' | 'vote-soft' | 'stack'): Promise<void> {
    const runs = this.picked
      .map((id) => this.runs.find((r) => r.id === id))
      .filter((r): r is RunRecord => r !== undefined);
    if (runs.length < 2 || this.training) return;
    this.error = null;
    if (!(await this.ensureDataset(plain(runs[0]!)))) {
      this.error = {
        kind: 'missing-dataset',
        message: `The dataset ${runs[0]!.dataset.name} is not available; import it again to combine these runs.`,
      };
      return;
    }
    const items: { run: RunRecord; model: TrainedModel }[] = [];
    for (const r of runs) {
      const model = await this.repo.getModel(r.id);
      if (!model) {
        this.error = { kind: 'missing-model', message: `Run "${r.name}" has no saved model.` };
        return;
      }
      items.push({ run: plain(r), model });
    }
    const runId = crypto.randomUUID();
    const label = { 'vote-hard': 'Vote', 'vote-soft': 'Average', stack: 'Stack' }[method];
    const res = await this.trainer.combine(
      items,
      method,
      runId,
      `${label} of ${items.length} · ${runs[0]!.dataset.name} · #${this.runs.length + 1}`,
    );
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    const saved = await this.repo.saveRun(res.value.run, res.value.model);
    if (!saved.ok) this.error = saved.error;
    this.picked = [];
    await this.refreshLists();
    this.selectRun(runId);
  }

  /** Stops the running training within one batch. */
  async cancel(): Promise<void> {
    if (!this.training) return;
    this.training.cancelling = true;
    await this.trainer.cancel();
  }

  selectRun(id: string | null): void {
    this.selectedRunId = id;
    const ds = this.dataset;
    void this.repo.saveSettings({
      dataset: ds
        ? ds.source.kind === 'catalog'
          ? { kind: 'catalog', catalogId: ds.source.catalogId }
          : { kind: 'stored', id: ds.id }
        : null,
      selectedRun: id,
    });
  }

  /** Makes sure the run's dataset is loaded in the data worker (shipped or stored). */
  async ensureDataset(run: RunRecord): Promise<boolean> {
    if (this.dataset?.id === run.dataset.id) return true;
    const entry = (Object.keys(CATALOG) as CatalogId[]).find((k) => CATALOG[k].file === run.dataset.name);
    if (entry) {
      await this.loadCatalog(entry);
      if (this.dataset?.id === run.dataset.id) return true;
    }
    return this.loadStored(run.dataset.id);
  }

  /** Loads the saved model and checks that it predicts what it predicted right after training. */
  async checkRun(id: string): Promise<void> {
    const run = this.runs.find((r) => r.id === id);
    const model = await this.repo.getModel(id);
    if (!run || !model) {
      this.checks = { ...this.checks, [id]: { kind: 'missing-model', message: 'This run has no saved model.' } };
      return;
    }
    if (!(await this.ensureDataset(plain(run)))) {
      this.checks = {
        ...this.checks,
        [id]: {
          kind: 'missing-dataset',
          message: `The dataset ${run.dataset.name} (${run.dataset.id.slice(0, 12)}) is not available; import it again to check this model.`,
        },
      };
      return;
    }
    const res = await this.trainer.checkFingerprint(model, plain(run));
    this.checks = { ...this.checks, [id]: res.ok ? res.value : res.error };
  }

  async deleteRun(id: string): Promise<void> {
    await this.repo.deleteRun(id);
    await this.refreshLists();
    if (this.selectedRunId === id) this.selectRun(this.runs[0]?.id ?? null);
  }

  /** The run's model as a zip the command line reads with `--model`. */
  async exportRun(id: string): Promise<{ name: string; blob: Blob } | null> {
    const run = this.runs.find((r) => r.id === id);
    const model = await this.repo.getModel(id);
    if (!run || !model) return null;
    const bytes = await this.trainer.exportBundle({ run: plain(run), model });
    const safe = run.name
      .replace(/[^\w.-]+/g, '-')
      .replace(/-+/g, '-')
      .slice(0, 60);
    return { name: `${safe}.benchtop.zip`, blob: new Blob([bytes as BlobPart], { type: 'application/zip' }) };
  }

  /** Imports a model written by `benchtop train --out` (its files, or a zip) as a run. */
  async importModel(files: File[]): Promise<void> {
    this.error = null;
    const payload = await Promise.all(
      files.map(async (f) => ({ name: f.webkitRelativePath || f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const res = await this.trainer.importBundle(payload);
    if (!res.ok) {
      this.error = res.error;
      return;
    }
    const saved = await this.repo.saveRun(res.value.run, res.value.model);
    if (!saved.ok) {
      this.error = saved.error;
      return;
    }
    await this.refreshLists();
    this.selectRun(res.value.run.id);
    this.notice = `Imported model "${res.value.run.name}".`;
  }
}
