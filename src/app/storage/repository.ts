import { openDB, type IDBPDatabase } from 'idb';
import type { RunRecord, TrainedModel } from '../../core/model/spec.ts';
import type {
  AliasMove,
  AliasRecord,
  DatasetRecord,
  Experiment,
  ModelCardProse,
  ModelVersion,
} from '../../core/store/records.ts';
import type { ImportPayload, Store } from '../../core/store/store.ts';
import { parseRun } from '../../core/store/upgrade.ts';
import type { Problem, Result } from '../../core/util/result.ts';
import { fail, ok } from '../../core/util/result.ts';
import { importConflict } from '../../core/store/import-ids.ts';
import { persistStorage, storageProblem, storageUsage } from './storage-problem.ts';
import { deletePredictions, lookupPrediction, savePredictions } from './predictions.ts';
import {
  DB_NAME,
  DB_VERSION,
  DEFAULT_EXPERIMENT,
  upgradeDatabase,
  type BenchtopDB,
  type EndpointSettings,
  type LatencyRecord,
  type PredictionSet,
  type RehearsalRecord,
  type Settings,
} from './schema.ts';

export {
  DB_NAME,
  DB_VERSION,
  DEFAULT_EXPERIMENT,
  MAX_STORED_DATASET_BYTES,
  type EndpointSettings,
  type LatencyRecord,
  type PredictionSet,
  type RehearsalRecord,
  type Settings,
  type StoredDataset,
} from './schema.ts';

/** What another tab changed, sent over BroadcastChannel so every tab's lists stay current. */
export type StoreChange = 'runs' | 'datasets' | 'versions' | 'aliases' | 'cards' | 'experiments' | 'all';

/**
 * The one repository over IndexedDB: domain verbs only, no idb types outside `storage/`. It
 * implements the core {@link Store}, so the registry, cards and bundles work on it as on the file
 * system. Versioned upgrades live in `schema.ts`; writes that belong together share one transaction;
 * every write is announced to other tabs.
 */
export class Repository implements Store {
  private readonly channel: BroadcastChannel | null =
    typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('benchtop-store');

  private constructor(private readonly db: IDBPDatabase<BenchtopDB>) {}

  /**
   * Opens (creating or upgrading) the database. `onBlocked` runs when an older tab holds the
   * database open and stops the upgrade; `onVersionChange` when a newer tab needs this one to step aside.
   */
  static async open(name = DB_NAME, onBlocked?: () => void, onVersionChange?: () => void): Promise<Repository> {
    const db = await openDB<BenchtopDB>(name, DB_VERSION, {
      upgrade: (db, oldVersion, _newVersion, tx) => upgradeDatabase(db, oldVersion, tx),
      blocked: onBlocked,
      blocking() {
        // A newer tab wants to upgrade: step aside and tell the person to reload.
        db.close();
        onVersionChange?.();
      },
    });
    return new Repository(db);
  }

  /** Calls `f` when another tab changes the store. Returns an unsubscribe function. */
  onChange(f: (what: StoreChange) => void): () => void {
    if (!this.channel) return () => {};
    const handler = (e: MessageEvent<StoreChange>) => f(e.data);
    this.channel.addEventListener('message', handler);
    return () => this.channel?.removeEventListener('message', handler);
  }

  private readonly writeListeners = new Set<(what: StoreChange, runId?: string) => void>();

  /**
   * Calls `f` after every write in this tab, with the run it changed when there is one (a worker
   * that caches runs by id forgets that run; no id means any run may have changed). Returns an
   * unsubscribe function.
   */
  onWrite(f: (what: StoreChange, runId?: string) => void): () => void {
    this.writeListeners.add(f);
    return () => this.writeListeners.delete(f);
  }

  private notify(what: StoreChange, runId?: string): void {
    for (const f of this.writeListeners) f(what, runId);
    this.channel?.postMessage(what);
  }

  /** Runs a write and announces it; a write to runs names its run, so a worker's cache forgets just that one. */
  private async write<T>(what: 'runs', label: string, f: () => Promise<T>, runId: string): Promise<Result<void>>;
  private async write<T>(what: Exclude<StoreChange, 'runs'>, label: string, f: () => Promise<T>): Promise<Result<void>>;
  private async write<T>(what: StoreChange, label: string, f: () => Promise<T>, runId?: string): Promise<Result<void>> {
    try {
      await f();
      this.notify(what, runId);
      return ok(undefined);
    } catch (e) {
      return storageProblem(e, label);
    }
  }

  // ---- runs ----

  /** Saves a run and its model atomically: both or neither. */
  async saveRun(run: RunRecord, model: TrainedModel): Promise<Result<void>> {
    return this.write(
      'runs',
      `run "${run.name}"`,
      async () => {
        const tx = this.db.transaction(['runs', 'models'], 'readwrite');
        await Promise.all([
          tx.objectStore('runs').put({ experimentId: DEFAULT_EXPERIMENT.id, tags: [], ...run }),
          tx.objectStore('models').put({ ...model, runId: run.id }),
          tx.done,
        ]);
      },
      run.id,
    );
  }

  /**
   * Adds a run and its model only if no run has its id (an imported model): `add` in one
   * transaction, so a run stored meanwhile by another tab fails it instead of being replaced.
   */
  async addRun(run: RunRecord, model: TrainedModel): Promise<Result<void>> {
    try {
      const tx = this.db.transaction(['runs', 'models'], 'readwrite');
      await Promise.all([
        tx.objectStore('runs').add({ experimentId: DEFAULT_EXPERIMENT.id, tags: [], ...run }),
        tx.objectStore('models').add({ ...model, runId: run.id }),
        tx.done,
      ]);
      this.notify('runs', run.id);
      return ok(undefined);
    } catch (e) {
      if ((e as DOMException)?.name === 'ConstraintError')
        return fail({ kind: 'conflict', message: `A run with id ${run.id} is already stored; nothing was replaced.` });
      return storageProblem(e, `run "${run.name}"`);
    }
  }

  /** Saves a run record alone: a run that is starting or in progress (its model comes at the end), or new tags. */
  async saveRunRecord(run: RunRecord): Promise<Result<void>> {
    return this.write(
      'runs',
      `run "${run.name}"`,
      () => this.db.put('runs', { experimentId: DEFAULT_EXPERIMENT.id, tags: [], ...run }),
      run.id,
    );
  }

  /**
   * Stored runs that failed their schema (src/core/store/schemas) when read: left in the database
   * untouched, kept out of lists so no view crashes on them, and named here (`run <id>: field …`).
   */
  readonly problems: Problem[] = [];

  /** A stored run checked against its schema; an invalid one is reported in {@link problems}, not returned. */
  private checkedRun(raw: RunRecord | undefined): RunRecord | undefined {
    if (raw === undefined) return undefined;
    const id = (raw as { id?: unknown })?.id;
    const r = parseRun(raw, `run ${typeof id === 'string' ? id : '(no id)'}`);
    if (r.ok) return r.value;
    if (!this.problems.some((p) => p.message === r.error.message)) this.problems.push(r.error);
    return undefined;
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return this.checkedRun(await this.db.get('runs', id));
  }

  /** All runs, newest first; runs that fail their schema are left out and named in {@link problems}. */
  async listRuns(): Promise<RunRecord[]> {
    const runs = await this.db.getAllFromIndex('runs', 'createdAt');
    const out: RunRecord[] = [];
    for (const r of runs.reverse()) {
      const c = this.checkedRun(r);
      if (c) out.push(c);
    }
    return out;
  }

  /**
   * Marks runs left `running` by a page that closed mid-run as `interrupted`. `isLive` says whether
   * some open tab is still training that run (it holds the run's lock); those are left alone.
   */
  async markInterrupted(isLive: (runId: string) => Promise<boolean>): Promise<number> {
    let n = 0;
    for (const r of await this.db.getAll('runs')) {
      if (r.status !== 'running' || (await isLive(r.id))) continue;
      r.status = 'interrupted';
      r.message = 'The page was closed or reloaded while this run was training.';
      await this.db.put('runs', r);
      n++;
    }
    if (n) this.notify('runs');
    return n;
  }

  async getModel(runId: string): Promise<TrainedModel | undefined> {
    const m = await this.db.get('models', runId);
    if (!m) return undefined;
    const { runId: _runId, ...model } = m;
    return model;
  }

  /** Deletes a run with its model, rehearsals and precomputed predictions. */
  async deleteRun(runId: string): Promise<void> {
    const tx = this.db.transaction(
      ['runs', 'models', 'rehearsals', 'predictionSets', 'predictionChunks', 'latency'],
      'readwrite',
    );
    const rehearsals = await tx.objectStore('rehearsals').index('runId').getAllKeys(runId);
    await Promise.all([
      tx.objectStore('runs').delete(runId),
      tx.objectStore('models').delete(runId),
      ...rehearsals.map((k) => tx.objectStore('rehearsals').delete(k)),
      tx.objectStore('predictionSets').delete(runId),
      tx.objectStore('predictionChunks').delete(IDBKeyRange.bound([runId, 0], [runId, Infinity])),
      tx.objectStore('latency').delete(runId),
      tx.done,
    ]);
    this.notify('runs', runId);
  }

  // ---- latency ----

  /** Keeps a run's latest latency measurement (the one measured before is replaced: the person asked again). */
  async saveLatency(record: LatencyRecord): Promise<Result<void>> {
    return this.write('runs', `the latency of run ${record.runId}`, () => this.db.put('latency', record), record.runId);
  }

  /** Every latency measurement kept in this browser, by run id. */
  async listLatency(): Promise<LatencyRecord[]> {
    return this.db.getAll('latency');
  }

  // ---- rehearsals ----

  async addRehearsal(r: RehearsalRecord): Promise<Result<void>> {
    return this.write('runs', `rehearsal "${r.name}"`, () => this.db.add('rehearsals', r), r.runId);
  }

  async listRehearsals(runId: string): Promise<RehearsalRecord[]> {
    return (await this.db.getAllFromIndex('rehearsals', 'runId', runId)).sort((a, b) =>
      b.createdAt.localeCompare(a.createdAt),
    );
  }

  async deleteRehearsal(id: string): Promise<void> {
    await this.db.delete('rehearsals', id);
    this.notify('runs');
  }

  // ---- batch predictions (storage/predictions.ts) ----

  /** Stores a run's predictions for every dataset row in chunks, replacing any earlier set atomically. */
  savePredictions(
    set: Omit<PredictionSet, 'writeMs' | 'bytes'>,
    outputs: Float32Array,
  ): Promise<Result<PredictionSet>> {
    return savePredictions(this.db, set, outputs, () => this.notify('runs', set.runId));
  }
  getPredictionSet(runId: string): Promise<PredictionSet | undefined> {
    return this.db.get('predictionSets', runId);
  }
  /** One row's precomputed outputs: one keyed read of its chunk, as a lookup service would do. */
  lookupPrediction(set: PredictionSet, row: number): Promise<Float32Array | undefined> {
    return lookupPrediction(this.db, set, row);
  }
  deletePredictions(runId: string): Promise<void> {
    return deletePredictions(this.db, runId);
  }

  // ---- datasets ----

  async saveDatasetRecord(record: DatasetRecord, data?: Uint8Array): Promise<Result<void>> {
    return this.write('datasets', `dataset "${record.name}"`, async () => {
      const prev = await this.db.get('datasets', record.id);
      const table = data ? new Blob([data as BlobPart], { type: 'application/octet-stream' }) : prev?.table;
      await this.db.put('datasets', { ...record, bytes: table?.size ?? 0, table });
    });
  }

  async getDatasetRecord(id: string): Promise<DatasetRecord | undefined> {
    const d = await this.db.get('datasets', id);
    if (!d) return undefined;
    const { table: _t, ...rec } = d;
    return rec;
  }

  async getDatasetData(id: string): Promise<Uint8Array | undefined> {
    const d = await this.db.get('datasets', id);
    return d?.table ? new Uint8Array(await d.table.arrayBuffer()) : undefined;
  }

  async listDatasetRecords(): Promise<DatasetRecord[]> {
    return (await this.db.getAll('datasets')).map(({ table: _t, ...rec }) => rec);
  }

  // ---- experiments ----

  async saveExperiment(e: Experiment): Promise<Result<void>> {
    return this.write('experiments', `experiment "${e.name}"`, () => this.db.put('experiments', e));
  }

  async listExperiments(): Promise<Experiment[]> {
    return this.db.getAll('experiments');
  }

  // ---- model versions ----

  /** Adds a version and its artifacts in one transaction; refuses an existing version id. */
  async addVersion(version: ModelVersion, model: TrainedModel): Promise<Result<void>> {
    try {
      const tx = this.db.transaction(['versions', 'versionModels'], 'readwrite');
      await Promise.all([
        tx.objectStore('versions').add(version),
        tx.objectStore('versionModels').put({ ...model, versionId: version.id }),
        tx.done,
      ]);
      this.notify('versions');
      return ok(undefined);
    } catch (e) {
      if ((e as DOMException)?.name === 'ConstraintError')
        return fail({ kind: 'conflict', message: `Version ${version.id} already exists.` });
      return storageProblem(e, `version ${version.id}`);
    }
  }

  async getVersion(id: string): Promise<ModelVersion | undefined> {
    return this.db.get('versions', id);
  }

  async listVersions(name?: string): Promise<ModelVersion[]> {
    const all = name ? await this.db.getAllFromIndex('versions', 'name', name) : await this.db.getAll('versions');
    return all.sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }

  async getVersionModel(id: string): Promise<TrainedModel | undefined> {
    const m = await this.db.get('versionModels', id);
    if (!m) return undefined;
    const { versionId: _v, ...model } = m;
    return model;
  }

  async updateVersion(version: ModelVersion): Promise<Result<void>> {
    return this.write('versions', `version ${version.id}`, () => this.db.put('versions', version));
  }

  // ---- aliases ----

  /** Moves an alias and appends to the audit trail in one transaction; `from` is read inside it. */
  async moveAlias(move: AliasMove): Promise<Result<void>> {
    return this.write('aliases', `alias ${move.alias}`, async () => {
      const tx = this.db.transaction(['aliases', 'aliasAudit'], 'readwrite');
      const key = `${move.name}:${move.alias}`;
      const current = await tx.objectStore('aliases').get(key);
      const entry = { ...move, from: current?.versionId ?? null };
      if (move.to === null) await tx.objectStore('aliases').delete(key);
      else
        await tx
          .objectStore('aliases')
          .put({ key, name: move.name, alias: move.alias, versionId: move.to, movedAt: move.when });
      await tx.objectStore('aliasAudit').add(entry);
      await tx.done;
    });
  }

  async listAliases(name?: string): Promise<AliasRecord[]> {
    return name ? this.db.getAllFromIndex('aliases', 'name', name) : this.db.getAll('aliases');
  }

  async aliasHistory(name?: string): Promise<AliasMove[]> {
    return name ? this.db.getAllFromIndex('aliasAudit', 'name', name) : this.db.getAll('aliasAudit');
  }

  // ---- cards ----

  async saveCard(prose: ModelCardProse): Promise<Result<void>> {
    return this.write('cards', `the model card of ${prose.versionId}`, () => this.db.put('cards', prose));
  }

  async getCard(versionId: string): Promise<ModelCardProse | undefined> {
    return this.db.get('cards', versionId);
  }

  // ---- import ----

  /**
   * Writes a whole validated import in one transaction, everything or nothing, never replacing: a
   * run, version or card whose id is stored aborts it (read inside the transaction, and written with
   * `add`, so a racing tab's record fails it too); a stored dataset (same id: same content) or
   * experiment is kept as it is.
   */
  async importAll(p: ImportPayload): Promise<Result<void>> {
    try {
      const tx = this.db.transaction(
        ['runs', 'models', 'datasets', 'versions', 'versionModels', 'cards', 'experiments'],
        'readwrite',
      );
      const [runs, versions, cards, datasets, experiments] = await Promise.all([
        Promise.all(p.runs.map((r) => tx.objectStore('runs').getKey(r.run.id))),
        Promise.all(p.versions.map((v) => tx.objectStore('versions').getKey(v.version.id))),
        Promise.all(p.cards.map((c) => tx.objectStore('cards').getKey(c.versionId))),
        Promise.all(p.datasets.map((d) => tx.objectStore('datasets').getKey(d.record.id))),
        Promise.all(p.experiments.map((e) => tx.objectStore('experiments').getKey(e.id))),
      ]);
      const taken = [
        ...p.runs.filter((_, i) => runs[i] !== undefined).map((r) => `run ${r.run.id}`),
        ...p.versions.filter((_, i) => versions[i] !== undefined).map((v) => `version ${v.version.id}`),
        ...p.cards.filter((_, i) => cards[i] !== undefined).map((c) => `the card of ${c.versionId}`),
      ];
      if (taken.length) {
        tx.abort();
        await tx.done.catch(() => undefined);
        return fail({ kind: 'conflict', message: importConflict(taken) });
      }
      const w: Promise<unknown>[] = [];
      for (const r of p.runs) {
        w.push(tx.objectStore('runs').add({ experimentId: DEFAULT_EXPERIMENT.id, tags: [], ...r.run }));
        if (r.model) w.push(tx.objectStore('models').add({ ...r.model, runId: r.run.id }));
      }
      p.datasets.forEach((d, i) => {
        if (datasets[i] === undefined)
          w.push(
            tx.objectStore('datasets').add({ ...d.record, table: d.data ? new Blob([d.data as BlobPart]) : undefined }),
          );
      });
      for (const v of p.versions) {
        w.push(tx.objectStore('versions').add(v.version));
        w.push(tx.objectStore('versionModels').add({ ...v.model, versionId: v.version.id }));
      }
      for (const c of p.cards) w.push(tx.objectStore('cards').add(c));
      p.experiments.forEach((e, i) => {
        if (experiments[i] === undefined) w.push(tx.objectStore('experiments').add(e));
      });
      await Promise.all([...w, tx.done]);
      this.notify('all');
      return ok(undefined);
    } catch (e) {
      if ((e as DOMException)?.name === 'ConstraintError')
        return fail({
          kind: 'conflict',
          message: 'Some records of the import were stored meanwhile; nothing was imported and nothing was replaced.',
        });
      return storageProblem(e, 'the bundle');
    }
  }

  // ---- settings and quota ----

  async getSettings(): Promise<Settings> {
    return (
      ((await this.db.get('settings', 'app')) as Settings | undefined) ?? {
        key: 'app',
        dataset: null,
        selectedRun: null,
      }
    );
  }

  async getEndpointSettings(): Promise<EndpointSettings | undefined> {
    return (await this.db.get('settings', 'endpoint')) as EndpointSettings | undefined;
  }

  /** Saves the endpoint; the auth header only when given (the caller passes it only on the person's choice). */
  async saveEndpointSettings(e: Omit<EndpointSettings, 'key'>): Promise<Result<void>> {
    return this.write('all', 'the endpoint settings', () => this.db.put('settings', { key: 'endpoint', ...e }));
  }

  async saveSettings(s: Omit<Settings, 'key'>): Promise<void> {
    await this.db.put('settings', { key: 'app', ...s }).catch(() => undefined);
  }

  /** Storage used and allowed for this site, and whether the browser keeps it under pressure. */
  static usage = storageUsage;
  /** Asks the browser to keep this site's data under storage pressure. */
  static persist = persistStorage;

  close(): void {
    this.channel?.close();
    this.db.close();
  }
}
