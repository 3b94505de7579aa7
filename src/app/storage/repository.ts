import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RunRecord, TrainedModel } from '../../core/model/spec.ts';
import type { Result } from '../../core/util/result.ts';
import { fail, ok } from '../../core/util/result.ts';

/** A person's imported dataset, kept so runs on it can be checked after a reload. */
export interface StoredDataset {
  id: string;
  name: string;
  label: string | null;
  savedAt: string;
  /** The table in `encodeTable` form, stored as a Blob so saving never clones cells on the page. */
  table: Blob;
}

export interface Settings {
  key: 'app';
  dataset: { kind: 'catalog'; catalogId: string } | { kind: 'stored'; id: string } | null;
  selectedRun: string | null;
}

interface BenchtopDB extends DBSchema {
  runs: { key: string; value: RunRecord; indexes: { createdAt: string; datasetId: string } };
  models: { key: string; value: TrainedModel & { runId: string } };
  datasets: { key: string; value: StoredDataset };
  settings: { key: string; value: Settings };
}

export const DB_NAME = 'benchtop';
export const DB_VERSION = 1;

/** Imported datasets larger than this are not kept across reloads (the person re-imports them). */
export const MAX_STORED_DATASET_BYTES = 64 * 1024 * 1024;

function storageProblem(e: unknown, what: string) {
  const err = e as DOMException;
  if (err?.name === 'QuotaExceededError') {
    return fail<never>({ kind: 'quota', message: `The browser's storage for this site is full, so ${what} was not saved. Delete old runs or export them, then try again. Nothing already saved was changed.` });
  }
  return fail<never>({ kind: 'storage', message: `Could not save ${what}: ${err?.message ?? String(e)}` });
}

/**
 * The one repository over IndexedDB: domain verbs only, no idb types outside this file.
 * Versioned upgrades live in `upgrade`; a run and its model are written in one transaction.
 */
export class Repository {
  private constructor(private readonly db: IDBPDatabase<BenchtopDB>) {}

  /** Opens (and if needed creates or upgrades) the database. */
  static async open(name = DB_NAME, onBlocked?: () => void): Promise<Repository> {
    const db = await openDB<BenchtopDB>(name, DB_VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          const runs = db.createObjectStore('runs', { keyPath: 'id' });
          runs.createIndex('createdAt', 'createdAt');
          runs.createIndex('datasetId', 'dataset.id');
          db.createObjectStore('models', { keyPath: 'runId' });
          db.createObjectStore('datasets', { keyPath: 'id' });
          db.createObjectStore('settings', { keyPath: 'key' });
        }
      },
      blocked: onBlocked,
      blocking() {
        // Another tab wants a newer schema: step aside so it can upgrade.
        db.close();
      },
    });
    return new Repository(db);
  }

  /** Saves a run and its model atomically: both or neither. */
  async saveRun(run: RunRecord, model: TrainedModel): Promise<Result<void>> {
    try {
      const tx = this.db.transaction(['runs', 'models'], 'readwrite');
      await Promise.all([tx.objectStore('runs').put(run), tx.objectStore('models').put({ ...model, runId: run.id }), tx.done]);
      return ok(undefined);
    } catch (e) {
      return storageProblem(e, `run "${run.name}"`);
    }
  }

  /** All runs, newest first. Runs written before run states had `completed` for `finished`. */
  async listRuns(): Promise<RunRecord[]> {
    const runs = await this.db.getAllFromIndex('runs', 'createdAt');
    for (const r of runs) if ((r.status as string) === 'completed') r.status = 'finished';
    return runs.reverse();
  }

  /** Saves a run record alone: a run that is starting or in progress (its model comes at the end). */
  async saveRunRecord(run: RunRecord): Promise<Result<void>> {
    try {
      await this.db.put('runs', run);
      return ok(undefined);
    } catch (e) {
      return storageProblem(e, `run "${run.name}"`);
    }
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
    return n;
  }

  async getModel(runId: string): Promise<TrainedModel | undefined> {
    const m = await this.db.get('models', runId);
    if (!m) return undefined;
    const { runId: _runId, ...model } = m;
    return model;
  }

  /** Deletes a run and its model together. */
  async deleteRun(runId: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'models'], 'readwrite');
    await Promise.all([tx.objectStore('runs').delete(runId), tx.objectStore('models').delete(runId), tx.done]);
  }

  async saveDataset(d: StoredDataset): Promise<Result<void>> {
    try {
      await this.db.put('datasets', d);
      return ok(undefined);
    } catch (e) {
      return storageProblem(e, `dataset "${d.name}"`);
    }
  }

  async getDataset(id: string): Promise<StoredDataset | undefined> {
    return this.db.get('datasets', id);
  }

  async listDatasets(): Promise<{ id: string; name: string; savedAt: string }[]> {
    const all = await this.db.getAll('datasets');
    return all.map(({ id, name, savedAt }) => ({ id, name, savedAt }));
  }

  async getSettings(): Promise<Settings> {
    return (await this.db.get('settings', 'app')) ?? { key: 'app', dataset: null, selectedRun: null };
  }

  async saveSettings(s: Omit<Settings, 'key'>): Promise<void> {
    await this.db.put('settings', { key: 'app', ...s }).catch(() => undefined);
  }

  close(): void {
    this.db.close();
  }
}
