import { transfer } from 'comlink';
import { CATALOG, DEFAULT_DATASET, type CatalogId } from '../core/data/catalog.ts';
import type { Schema } from '../core/data/schema.ts';
import { inferTask } from '../core/data/preprocess.ts';
import type { AliasMove, AliasRecord, Experiment, ModelVersion } from '../core/store/records.ts';
import type { BackendName, RunRecord, TrainedModel } from '../core/model/spec.ts';
import type { Problem } from '../core/util/result.ts';
import type { BackendStatus } from '../core/runtime/backend-policy.ts';
import type { DatasetInfo } from '../../workers/data.api.ts';
import { Repository, type Settings } from './storage/repository.ts';
import { startWorkers, type DataRemote, type TrainRemote } from './remotes.ts';
import { connectRuns } from './run-source.ts';
import { isRunLive } from './run-lock.ts';
import { datasetRecord } from './dataset-record.ts';

/** A promise with its settle functions; a rejection nobody awaits is not reported as unhandled. */
function gate(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** A file being read: its name, the fraction read and the rows parsed so far. */
export interface Loading {
  file: string;
  fraction: number;
  rows: number;
}

/**
 * What every feature shares: the two workers, the repository, the dataset being worked on and its
 * schema, the runs and the registry lists (plain records in `$state.raw`: replaced, never mutated,
 * so they cross to a worker or into IndexedDB as they are), the selection, the backend, the shared
 * error, notice and warnings, and the storage figures. Features receive it through their constructor.
 */
export class Session {
  dataset = $state.raw<DatasetInfo | null>(null);
  schema = $state.raw<Schema | null>(null);
  loading = $state.raw<Loading | null>(null);
  error = $state.raw<Problem | null>(null);
  warnings = $state.raw<Problem[]>([]);
  notice = $state<string | null>(null);

  backendRequest = $state<BackendName | 'auto'>('auto');
  backend = $state.raw<BackendStatus | null>(null);
  ready = $state(false);

  runs = $state.raw<RunRecord[]>([]);
  /** Stored records that failed their schema when the lists were read: left as they are, shown, never dropped silently. */
  storeProblems = $state.raw<Problem[]>([]);
  selectedRunId = $state<string | null>(null);
  /** Runs ticked in the list: combined into an ensemble, compared, or exported as a bundle. */
  picked = $state.raw<string[]>([]);
  /** The experiment new runs join. */
  experimentId = $state('default');
  /** The model registry: versions, where aliases point, and every alias move; and the experiments. */
  versions = $state.raw<ModelVersion[]>([]);
  aliases = $state.raw<AliasRecord[]>([]);
  audit = $state.raw<AliasMove[]>([]);
  experiments = $state.raw<Experiment[]>([]);
  /** The run being evaluated, calibrated, compressed or measured in the worker. */
  evaluating = $state<string | null>(null);
  /** Storage used and available (navigator.storage.estimate) and whether it is persistent. */
  storage = $state.raw<{ usage: number; quota: number; persisted: boolean } | null>(null);

  readonly selectedRun = $derived(this.runs.find((r) => r.id === this.selectedRunId) ?? null);
  readonly task = $derived(this.schema ? inferTask(this.schema) : 'classification');

  data!: DataRemote;
  trainer!: TrainRemote;
  repo!: Repository;
  private datasetListeners: ((info: DatasetInfo) => void)[] = [];
  /** Settles when the app is ready (workers up, storage open, last session restored) or could not start. */
  private readonly started = gate();

  /** The app is ready: what waited for it (a file chosen while the page opened) goes on. */
  markReady(): void {
    this.ready = true;
    this.started.resolve();
  }

  /** The app could not start: what waited for it gives up with this reason. */
  markFailed(e: unknown): void {
    this.started.reject(e);
  }

  /**
   * Waits until the workers and storage are open and the last session is restored, so an action
   * the person takes while the page opens (choosing a file) runs then instead of failing; false,
   * with the error set, when the app could not start. `what` names the action ("data.csv was not opened").
   */
  async afterStart(what: string): Promise<boolean> {
    if (this.ready) return true;
    try {
      await this.started.promise;
      return true;
    } catch (e) {
      this.error = {
        kind: 'not-started',
        message: `${what}: Benchtop could not start (${e instanceof Error ? e.message : String(e)}). Reload the page.`,
      };
      return false;
    }
  }

  /**
   * Starts the workers, opens storage, connects the training worker to it (runs read by id), marks runs
   * no tab trains any more as interrupted, loads the lists.
   */
  async start(): Promise<void> {
    ({ data: this.data, trainer: this.trainer } = await startWorkers());
    this.repo = await Repository.open(
      undefined,
      () =>
        (this.notice =
          'An older Benchtop tab is open and blocks an update of its storage: close or reload the other tabs.'),
      () => (this.notice = 'Benchtop was updated in another tab; reload this tab to continue.'),
    );
    this.repo.onChange(() => void this.refreshLists());
    // The training worker reads runs and models by id from here, and forgets them when they change.
    await connectRuns(this.repo, this.trainer);
    void this.refreshStorage();
    await this.repo.markInterrupted(isRunLive);
    await this.refreshLists();
  }

  /** Restores the last selection and dataset (or opens the default dataset) and picks a backend. */
  async restore(): Promise<void> {
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
  }

  /** Chooses a backend for the training worker and shows which one runs and why. */
  async setBackend(choice: BackendName | 'auto'): Promise<void> {
    this.backendRequest = choice;
    this.backend = await this.trainer.setBackend(choice);
  }

  /** Calls `f` each time a dataset becomes the current one (features reset their forms to it). */
  onDataset(f: (info: DatasetInfo) => void): void {
    this.datasetListeners.push(f);
  }

  /** Makes a loaded dataset the current one. */
  accept(info: DatasetInfo, warnings: Problem[]): void {
    this.dataset = info;
    this.schema = info.schema;
    this.warnings = warnings;
    this.error = null;
    for (const f of this.datasetListeners) f(info);
  }

  /** Opens a dataset the app ships, and records its version (the data itself ships with the app). */
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
    if (!(await this.repo.getDatasetRecord(res.value.id))) {
      const entry = CATALOG[id];
      await this.repo.saveDatasetRecord(datasetRecord(res.value, `${entry.source}; ${entry.license}`));
    }
  }

  /** Reopens a dataset kept in IndexedDB; false when it is not there or cannot be read. */
  async loadStored(id: string): Promise<boolean> {
    const stored = await this.repo.getDatasetRecord(id);
    const bytes = await this.repo.getDatasetData(id);
    if (!stored || !bytes) return false;
    const res = await this.data.restoreTable(transfer(bytes, [bytes.buffer]), stored.name, stored.label);
    if (!res.ok) return false;
    this.accept(res.value, []);
    return true;
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

  /** The run's dataset is not loaded: the message asks to import it again `purpose` (" to compare"). */
  missingDataset(run: RunRecord, purpose: string): Problem {
    return {
      kind: 'missing-dataset',
      message: `The dataset ${run.dataset.name} is not available; import it again${purpose}.`,
    };
  }

  /** A run and its saved model, or null when either is missing. One IndexedDB read. */
  async runWithModel(runId: string): Promise<{ run: RunRecord; model: TrainedModel } | null> {
    const run = this.runs.find((r) => r.id === runId);
    const model = await this.repo.getModel(runId);
    return run && model ? { run, model } : null;
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
    if (this.repo.problems.length !== this.storeProblems.length) this.storeProblems = [...this.repo.problems];
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

  /** Selects a run (null for none) and remembers it, with the dataset, across reloads. */
  selectRun(id: string | null): void {
    this.selectedRunId = id;
    void this.repo.saveSettings({ dataset: this.datasetSetting(), selectedRun: id });
  }

  /** The current dataset as the settings remember it. */
  private datasetSetting(): Settings['dataset'] {
    const ds = this.dataset;
    if (!ds) return null;
    return ds.source.kind === 'catalog'
      ? { kind: 'catalog', catalogId: ds.source.catalogId }
      : { kind: 'stored', id: ds.id };
  }
}
