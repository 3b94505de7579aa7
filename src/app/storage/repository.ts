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
import type { Problem, Result } from '../../core/util/result.ts';
import * as datasets from './datasets.ts';
import { importAll } from './import-all.ts';
import { deletePredictions, lookupPrediction, savePredictions } from './predictions.ts';
import * as registry from './registry-records.ts';
import * as attachments from './run-attachments.ts';
import * as runs from './run-records.ts';
import {
  DB_NAME,
  DB_VERSION,
  upgradeDatabase,
  type BenchtopDB,
  type EndpointSettings,
  type LatencyRecord,
  type PredictionSet,
  type RehearsalRecord,
  type Settings,
} from './schema.ts';
import * as settings from './settings.ts';
import { persistStorage, storageUsage } from './storage-problem.ts';
import { storeContext, type StoreChange, type StoreContext } from './store-context.ts';

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
export type { StoreChange } from './store-context.ts';

/**
 * The one repository over IndexedDB: domain verbs only, no idb types outside `storage/`. It
 * implements the core {@link Store}, so the registry, cards and bundles work on it as on the file
 * system. Versioned upgrades live in `schema.ts`; writes that belong together share one transaction;
 * every write is announced to other tabs.
 *
 * This class is the API and the announcements; each area's reads and writes live in its module:
 * runs and models (`run-records.ts`), latency and rehearsals (`run-attachments.ts`), predictions
 * (`predictions.ts`), datasets and experiments (`datasets.ts`), versions, aliases and cards
 * (`registry-records.ts`), bundle imports (`import-all.ts`), settings (`settings.ts`).
 */
export class Repository implements Store {
  private readonly channel: BroadcastChannel | null =
    typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('benchtop-store');

  /**
   * Stored runs that failed their schema (src/core/store/schemas) when read: left in the database
   * untouched, kept out of lists so no view crashes on them, and named here (`run <id>: field …`).
   */
  readonly problems: Problem[] = [];

  private readonly ctx: StoreContext;

  private constructor(private readonly db: IDBPDatabase<BenchtopDB>) {
    this.ctx = storeContext(db, this.problems, (what, runId) => this.notify(what, runId));
  }

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

  // ---- runs (run-records.ts) ----

  /** Saves a run and its model atomically: both or neither. */
  saveRun(run: RunRecord, model: TrainedModel): Promise<Result<void>> {
    return runs.saveRun(this.ctx, run, model);
  }
  /** Adds a run and its model only if no run has its id (an imported model); a stored one is never replaced. */
  addRun(run: RunRecord, model: TrainedModel): Promise<Result<void>> {
    return runs.addRun(this.ctx, run, model);
  }
  /** Saves a run record alone: a run that is starting or in progress (its model comes at the end), or new tags. */
  saveRunRecord(run: RunRecord): Promise<Result<void>> {
    return runs.saveRunRecord(this.ctx, run);
  }
  /** A run checked against its schema; an invalid one is named in {@link problems}, not returned. */
  getRun(id: string): Promise<RunRecord | undefined> {
    return runs.getRun(this.ctx, id);
  }
  /** All runs, newest first; runs that fail their schema are left out and named in {@link problems}. */
  listRuns(): Promise<RunRecord[]> {
    return runs.listRuns(this.ctx);
  }
  /** Marks runs left `running` by a closed page as `interrupted`, except those `isLive` says some tab trains. */
  markInterrupted(isLive: (runId: string) => Promise<boolean>): Promise<number> {
    return runs.markInterrupted(this.ctx, isLive);
  }
  getModel(runId: string): Promise<TrainedModel | undefined> {
    return runs.getModel(this.ctx, runId);
  }
  /** Deletes a run with its model, rehearsals and precomputed predictions. */
  deleteRun(runId: string): Promise<void> {
    return runs.deleteRun(this.ctx, runId);
  }

  // ---- latency and rehearsals (run-attachments.ts) ----

  /** Keeps a run's latest latency measurement (the one measured before is replaced: the person asked again). */
  saveLatency(record: LatencyRecord): Promise<Result<void>> {
    return attachments.saveLatency(this.ctx, record);
  }
  /** Every latency measurement kept in this browser, by run id. */
  listLatency(): Promise<LatencyRecord[]> {
    return attachments.listLatency(this.ctx);
  }
  addRehearsal(r: RehearsalRecord): Promise<Result<void>> {
    return attachments.addRehearsal(this.ctx, r);
  }
  listRehearsals(runId: string): Promise<RehearsalRecord[]> {
    return attachments.listRehearsals(this.ctx, runId);
  }
  deleteRehearsal(id: string): Promise<void> {
    return attachments.deleteRehearsal(this.ctx, id);
  }

  // ---- batch predictions (predictions.ts) ----

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

  // ---- datasets and experiments (datasets.ts) ----

  saveDatasetRecord(record: DatasetRecord, data?: Uint8Array): Promise<Result<void>> {
    return datasets.saveDatasetRecord(this.ctx, record, data);
  }
  getDatasetRecord(id: string): Promise<DatasetRecord | undefined> {
    return datasets.getDatasetRecord(this.ctx, id);
  }
  getDatasetData(id: string): Promise<Uint8Array | undefined> {
    return datasets.getDatasetData(this.ctx, id);
  }
  listDatasetRecords(): Promise<DatasetRecord[]> {
    return datasets.listDatasetRecords(this.ctx);
  }
  saveExperiment(e: Experiment): Promise<Result<void>> {
    return datasets.saveExperiment(this.ctx, e);
  }
  listExperiments(): Promise<Experiment[]> {
    return datasets.listExperiments(this.ctx);
  }

  // ---- model versions, aliases and cards (registry-records.ts) ----

  /** Adds a version and its artifacts in one transaction; refuses an existing version id. */
  addVersion(version: ModelVersion, model: TrainedModel): Promise<Result<void>> {
    return registry.addVersion(this.ctx, version, model);
  }
  getVersion(id: string): Promise<ModelVersion | undefined> {
    return registry.getVersion(this.ctx, id);
  }
  listVersions(name?: string): Promise<ModelVersion[]> {
    return registry.listVersions(this.ctx, name);
  }
  getVersionModel(id: string): Promise<TrainedModel | undefined> {
    return registry.getVersionModel(this.ctx, id);
  }
  updateVersion(version: ModelVersion): Promise<Result<void>> {
    return registry.updateVersion(this.ctx, version);
  }
  /** Moves an alias and appends to the audit trail in one transaction; `from` is read inside it. */
  moveAlias(move: AliasMove): Promise<Result<void>> {
    return registry.moveAlias(this.ctx, move);
  }
  listAliases(name?: string): Promise<AliasRecord[]> {
    return registry.listAliases(this.ctx, name);
  }
  aliasHistory(name?: string): Promise<AliasMove[]> {
    return registry.aliasHistory(this.ctx, name);
  }
  saveCard(prose: ModelCardProse): Promise<Result<void>> {
    return registry.saveCard(this.ctx, prose);
  }
  getCard(versionId: string): Promise<ModelCardProse | undefined> {
    return registry.getCard(this.ctx, versionId);
  }

  // ---- import (import-all.ts) ----

  /** Writes a whole validated import in one transaction, everything or nothing, never replacing a stored record. */
  importAll(p: ImportPayload): Promise<Result<void>> {
    return importAll(this.ctx, p);
  }

  // ---- settings (settings.ts) and quota ----

  getSettings(): Promise<Settings> {
    return settings.getSettings(this.ctx);
  }
  getEndpointSettings(): Promise<EndpointSettings | undefined> {
    return settings.getEndpointSettings(this.ctx);
  }
  /** Saves the endpoint; the auth header only when given (the caller passes it only on the person's choice). */
  saveEndpointSettings(e: Omit<EndpointSettings, 'key'>): Promise<Result<void>> {
    return settings.saveEndpointSettings(this.ctx, e);
  }
  saveSettings(s: Omit<Settings, 'key'>): Promise<void> {
    return settings.saveSettings(this.ctx, s);
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
