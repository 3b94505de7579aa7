import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
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
import type { RehearsalResult } from '../../core/rollout/rehearsal.ts';
import type { Endpoint } from '../../core/serving/protocols.ts';
import type { Result } from '../../core/util/result.ts';
import { upgradeModel, upgradeRun } from '../../core/store/upgrade.ts';
import { fail, ok } from '../../core/util/result.ts';

/** A dataset version kept in the browser: its record and (when small enough) its data as a Blob. */
export interface StoredDataset extends DatasetRecord {
  /** The table in `encodeTable` form, stored as a Blob so saving never clones cells on the page. */
  table?: Blob;
}

export interface Settings {
  key: 'app';
  dataset: { kind: 'catalog'; catalogId: string } | { kind: 'stored'; id: string } | null;
  selectedRun: string | null;
}

/** A saved endpoint: where and how to call it. The auth header only when the person chose to store it. */
export interface EndpointSettings {
  key: 'endpoint';
  endpoint: Endpoint;
  timeoutMs: number;
  retries: number;
  batchSize: number;
  concurrency: number;
  /** Present only when "store the auth header in this browser" was ticked. */
  authHeader?: string;
}

/** A rehearsal kept with its champion's run: its configuration, figures, plots' data and log. */
export interface RehearsalRecord extends RehearsalResult {
  id: string;
  runId: string;
  name: string;
  createdAt: string;
  split: string;
  streamRows: number;
}

/** Precomputed predictions of one run's model for every row of its dataset ("batch prediction"). */
export interface PredictionSet {
  runId: string;
  datasetId: string;
  rows: number;
  width: number;
  chunkRows: number;
  createdAt: string;
  /** Time to predict every row (worker) and to write them (IndexedDB), ms. */
  predictMs: number;
  writeMs: number;
  bytes: number;
}

interface BenchtopDB extends DBSchema {
  runs: { key: string; value: RunRecord; indexes: { createdAt: string; datasetId: string; experimentId: string } };
  models: { key: string; value: TrainedModel & { runId: string } };
  datasets: { key: string; value: StoredDataset };
  settings: { key: string; value: Settings | EndpointSettings };
  experiments: { key: string; value: Experiment };
  versions: { key: string; value: ModelVersion; indexes: { name: string } };
  versionModels: { key: string; value: TrainedModel & { versionId: string } };
  aliases: { key: string; value: AliasRecord; indexes: { name: string } };
  aliasAudit: { key: number; value: AliasMove; indexes: { name: string } };
  cards: { key: string; value: ModelCardProse };
  rehearsals: { key: string; value: RehearsalRecord; indexes: { runId: string } };
  predictionSets: { key: string; value: PredictionSet };
  predictionChunks: { key: [string, number]; value: { runId: string; chunk: number; values: Float32Array } };
}

export const DB_NAME = 'benchtop';
/**
 * Schema versions: 1 — runs, models, datasets, settings; 2 — experiments, model versions and their
 * artifacts, aliases with an audit trail, model cards; runs gain experimentId/tags and datasets their
 * row count, columns and provenance; 3 — rehearsals (production-test replays) and precomputed
 * predictions (batch prediction, stored in chunks of rows); 4 — run configs as `{ kind, params, seed }`
 * (model families) and models as a union on `kind` (src/core/store/upgrade.ts), rewritten in place.
 */
export const DB_VERSION = 4;
export const DEFAULT_EXPERIMENT: Experiment = Object.freeze({
  id: 'default',
  name: 'Default',
  createdAt: '1970-01-01T00:00:00.000Z',
}) as Experiment;

/** Imported datasets larger than this are not kept across reloads (the person re-imports them). */
export const MAX_STORED_DATASET_BYTES = 64 * 1024 * 1024;

/** What another tab changed, sent over BroadcastChannel so every tab's lists stay current. */
export type StoreChange = 'runs' | 'datasets' | 'versions' | 'aliases' | 'cards' | 'experiments' | 'all';

function storageProblem(e: unknown, what: string) {
  const err = e as DOMException;
  if (err?.name === 'QuotaExceededError') {
    return fail<never>({
      kind: 'quota',
      message: `The browser's storage for this site is full, so ${what} was not saved. Delete old runs or datasets, or export them as a bundle and delete them here, then try again. Nothing already saved was changed.`,
    });
  }
  return fail<never>({ kind: 'storage', message: `Could not save ${what}: ${err?.message ?? String(e)}` });
}

/**
 * The one repository over IndexedDB: domain verbs only, no idb types outside this file. It
 * implements the core {@link Store}, so the registry, cards and bundles work on it as on the file
 * system. Versioned upgrades live in `upgrade`; writes that belong together share one transaction;
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
      async upgrade(db, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          const runs = db.createObjectStore('runs', { keyPath: 'id' });
          runs.createIndex('createdAt', 'createdAt');
          runs.createIndex('datasetId', 'dataset.id');
          db.createObjectStore('models', { keyPath: 'runId' });
          db.createObjectStore('datasets', { keyPath: 'id' });
          db.createObjectStore('settings', { keyPath: 'key' });
        }
        if (oldVersion < 2) {
          tx.objectStore('runs').createIndex('experimentId', 'experimentId');
          db.createObjectStore('experiments', { keyPath: 'id' });
          db.createObjectStore('versions', { keyPath: 'id' }).createIndex('name', 'name');
          db.createObjectStore('versionModels', { keyPath: 'versionId' });
          db.createObjectStore('aliases', { keyPath: 'key' }).createIndex('name', 'name');
          db.createObjectStore('aliasAudit', { autoIncrement: true }).createIndex('name', 'name');
          db.createObjectStore('cards', { keyPath: 'versionId' });
          await tx.objectStore('experiments').put({ ...DEFAULT_EXPERIMENT });
          // Version-1 records: runs join the default experiment; datasets get the fields v2 added.
          for (let c = await tx.objectStore('runs').openCursor(); c; c = await c.continue()) {
            const r = c.value;
            if ((r.status as string) === 'completed') r.status = 'finished';
            await c.update({ ...r, experimentId: r.experimentId ?? DEFAULT_EXPERIMENT.id, tags: r.tags ?? [] });
          }
          for (let c = await tx.objectStore('datasets').openCursor(); c; c = await c.continue()) {
            const d = c.value as StoredDataset & { label?: string | null };
            await c.update({
              ...d,
              rowCount: d.rowCount ?? -1,
              columns: d.columns ?? [],
              provenance: d.provenance ?? 'imported file',
              bytes: d.bytes ?? d.table?.size ?? 0,
              label: d.label ?? null,
            });
          }
        }
        if (oldVersion < 3) {
          db.createObjectStore('rehearsals', { keyPath: 'id' }).createIndex('runId', 'runId');
          db.createObjectStore('predictionSets', { keyPath: 'runId' });
          db.createObjectStore('predictionChunks', { keyPath: ['runId', 'chunk'] });
        }
        if (oldVersion >= 1 && oldVersion < 4) {
          // Version-3 records: configs become { kind, params, seed }, models a union tagged by kind.
          for (let c = await tx.objectStore('runs').openCursor(); c; c = await c.continue())
            await c.update(upgradeRun(c.value));
          for (let c = await tx.objectStore('models').openCursor(); c; c = await c.continue())
            await c.update({ ...upgradeModel(c.value), runId: c.value.runId });
          for (let c = await tx.objectStore('versionModels').openCursor(); c; c = await c.continue())
            await c.update({ ...upgradeModel(c.value), versionId: c.value.versionId });
        }
      },
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

  private notify(what: StoreChange): void {
    this.channel?.postMessage(what);
  }

  private async write<T>(what: StoreChange, label: string, f: () => Promise<T>): Promise<Result<void>> {
    try {
      await f();
      this.notify(what);
      return ok(undefined);
    } catch (e) {
      return storageProblem(e, label);
    }
  }

  // ---- runs ----

  /** Saves a run and its model atomically: both or neither. */
  async saveRun(run: RunRecord, model: TrainedModel): Promise<Result<void>> {
    return this.write('runs', `run "${run.name}"`, async () => {
      const tx = this.db.transaction(['runs', 'models'], 'readwrite');
      await Promise.all([
        tx.objectStore('runs').put({ experimentId: DEFAULT_EXPERIMENT.id, tags: [], ...run }),
        tx.objectStore('models').put({ ...model, runId: run.id }),
        tx.done,
      ]);
    });
  }

  /** Saves a run record alone: a run that is starting or in progress (its model comes at the end), or new tags. */
  async saveRunRecord(run: RunRecord): Promise<Result<void>> {
    return this.write('runs', `run "${run.name}"`, () =>
      this.db.put('runs', { experimentId: DEFAULT_EXPERIMENT.id, tags: [], ...run }),
    );
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    return this.db.get('runs', id);
  }

  /** All runs, newest first. */
  async listRuns(): Promise<RunRecord[]> {
    const runs = await this.db.getAllFromIndex('runs', 'createdAt');
    return runs.reverse();
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
    const tx = this.db.transaction(['runs', 'models', 'rehearsals', 'predictionSets', 'predictionChunks'], 'readwrite');
    const rehearsals = await tx.objectStore('rehearsals').index('runId').getAllKeys(runId);
    await Promise.all([
      tx.objectStore('runs').delete(runId),
      tx.objectStore('models').delete(runId),
      ...rehearsals.map((k) => tx.objectStore('rehearsals').delete(k)),
      tx.objectStore('predictionSets').delete(runId),
      tx.objectStore('predictionChunks').delete(IDBKeyRange.bound([runId, 0], [runId, Infinity])),
      tx.done,
    ]);
    this.notify('runs');
  }

  // ---- rehearsals ----

  async addRehearsal(r: RehearsalRecord): Promise<Result<void>> {
    return this.write('runs', `rehearsal "${r.name}"`, () => this.db.add('rehearsals', r));
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

  // ---- batch predictions ----

  /**
   * Stores a run's predictions for every dataset row, in chunks of `chunkRows` rows, replacing any
   * earlier set in the same transaction (a failed write — a full quota — keeps the old set).
   */
  async savePredictions(
    set: Omit<PredictionSet, 'writeMs' | 'bytes'>,
    outputs: Float32Array,
  ): Promise<Result<PredictionSet>> {
    const t0 = performance.now();
    const per = set.chunkRows * set.width;
    const full: PredictionSet = { ...set, writeMs: 0, bytes: outputs.byteLength };
    const r = await this.write('runs', 'the precomputed predictions', async () => {
      const tx = this.db.transaction(['predictionSets', 'predictionChunks'], 'readwrite');
      const chunks = tx.objectStore('predictionChunks');
      await chunks.delete(IDBKeyRange.bound([set.runId, 0], [set.runId, Infinity]));
      const writes: Promise<unknown>[] = [];
      for (let c = 0; c * per < outputs.length; c++)
        writes.push(chunks.put({ runId: set.runId, chunk: c, values: outputs.slice(c * per, (c + 1) * per) }));
      writes.push(tx.objectStore('predictionSets').put(full));
      await Promise.all([...writes, tx.done]);
    });
    if (!r.ok) return r;
    full.writeMs = performance.now() - t0;
    await this.db.put('predictionSets', full).catch(() => undefined);
    return ok(full);
  }

  async getPredictionSet(runId: string): Promise<PredictionSet | undefined> {
    return this.db.get('predictionSets', runId);
  }

  /** One row's precomputed outputs: one keyed read of its chunk, as a lookup service would do. */
  async lookupPrediction(set: PredictionSet, row: number): Promise<Float32Array | undefined> {
    const c = await this.db.get('predictionChunks', [set.runId, Math.floor(row / set.chunkRows)]);
    if (!c) return undefined;
    const at = (row % set.chunkRows) * set.width;
    return c.values.subarray(at, at + set.width);
  }

  async deletePredictions(runId: string): Promise<void> {
    const tx = this.db.transaction(['predictionSets', 'predictionChunks'], 'readwrite');
    await Promise.all([
      tx.objectStore('predictionSets').delete(runId),
      tx.objectStore('predictionChunks').delete(IDBKeyRange.bound([runId, 0], [runId, Infinity])),
      tx.done,
    ]);
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

  /** Writes a whole validated bundle in one transaction: everything or nothing. */
  async importAll(p: ImportPayload): Promise<Result<void>> {
    try {
      const tx = this.db.transaction(
        ['runs', 'models', 'datasets', 'versions', 'versionModels', 'cards', 'experiments'],
        'readwrite',
      );
      const w: Promise<unknown>[] = [];
      for (const r of p.runs) {
        w.push(tx.objectStore('runs').put({ experimentId: DEFAULT_EXPERIMENT.id, tags: [], ...r.run }));
        if (r.model) w.push(tx.objectStore('models').put({ ...r.model, runId: r.run.id }));
      }
      for (const d of p.datasets)
        w.push(
          tx.objectStore('datasets').put({ ...d.record, table: d.data ? new Blob([d.data as BlobPart]) : undefined }),
        );
      for (const v of p.versions) {
        w.push(tx.objectStore('versions').add(v.version));
        w.push(tx.objectStore('versionModels').put({ ...v.model, versionId: v.version.id }));
      }
      for (const c of p.cards) w.push(tx.objectStore('cards').put(c));
      for (const e of p.experiments) w.push(tx.objectStore('experiments').put(e));
      await Promise.all([...w, tx.done]);
      this.notify('all');
      return ok(undefined);
    } catch (e) {
      if ((e as DOMException)?.name === 'ConstraintError')
        return fail({
          kind: 'conflict',
          message: 'Some model versions in the bundle already exist here (same name and number); nothing was imported.',
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

  /** Storage used and available for this site, and whether it is persistent. */
  static async usage(): Promise<{ usage: number; quota: number; persisted: boolean } | null> {
    const s = globalThis.navigator?.storage;
    if (!s?.estimate) return null;
    const e = await s.estimate();
    return { usage: e.usage ?? 0, quota: e.quota ?? 0, persisted: s.persisted ? await s.persisted() : false };
  }

  /** Asks the browser to keep this site's data under storage pressure. */
  static async persist(): Promise<boolean> {
    return (await globalThis.navigator?.storage?.persist?.()) ?? false;
  }

  close(): void {
    this.channel?.close();
    this.db.close();
  }
}
