import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { RunRecord, TrainedModel } from '../../core/model/spec.ts';
import type {
  AliasMove,
  AliasRecord,
  DatasetRecord,
  Experiment,
  ModelCardProse,
  ModelVersion,
} from '../../core/store/records.ts';
import type { RehearsalResult } from '../../core/rollout/rehearsal.ts';
import type { Endpoint } from '../../core/serving/protocols.ts';
import type { LatencyRow } from '../../core/runtime/measure-latency.ts';
import { upgradeModel, upgradeRun } from '../../core/store/upgrade.ts';

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

/**
 * The latest latency measurement of one run's model in this browser (one row per runtime). Kept apart
 * from the run record: it describes this device, not how the model was made.
 */
export interface LatencyRecord {
  runId: string;
  measuredAt: string;
  rows: LatencyRow[];
}

export interface BenchtopDB extends DBSchema {
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
  latency: { key: string; value: LatencyRecord };
}

export const DB_NAME = 'benchtop';
/**
 * Schema versions: 1 — runs, models, datasets, settings; 2 — experiments, model versions and their
 * artifacts, aliases with an audit trail, model cards; runs gain experimentId/tags and datasets their
 * row count, columns and provenance; 3 — rehearsals (production-test replays) and precomputed
 * predictions (batch prediction, stored in chunks of rows); 4 — run configs as `{ kind, params, seed }`
 * (model families) and models as a union on `kind` (src/core/store/upgrade.ts), rewritten in place;
 * 5 — latency measurements, one record per run (they used to vanish on reload).
 */
export const DB_VERSION = 5;
export const DEFAULT_EXPERIMENT: Experiment = Object.freeze({
  id: 'default',
  name: 'Default',
  createdAt: '1970-01-01T00:00:00.000Z',
}) as Experiment;

/** Imported datasets larger than this are not kept across reloads (the person re-imports them). */
export const MAX_STORED_DATASET_BYTES = 64 * 1024 * 1024;

/**
 * Creates or upgrades the database from `oldVersion` to {@link DB_VERSION}, inside the version-change
 * transaction: each step adds its stores and rewrites the records of the previous shape in place.
 */
export async function upgradeDatabase(
  db: IDBPDatabase<BenchtopDB>,
  oldVersion: number,
  tx: IDBPTransaction<BenchtopDB, StoreNames<BenchtopDB>[], 'versionchange'>,
): Promise<void> {
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
  if (oldVersion < 5) db.createObjectStore('latency', { keyPath: 'runId' });
}
