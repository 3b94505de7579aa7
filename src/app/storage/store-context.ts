import type { IDBPDatabase } from 'idb';
import type { Problem, Result } from '../../core/util/result.ts';
import { ok } from '../../core/util/result.ts';
import type { BenchtopDB } from './schema.ts';
import { storageProblem } from './storage-problem.ts';

/** What another tab changed, sent over BroadcastChannel so every tab's lists stay current. */
export type StoreChange = 'runs' | 'datasets' | 'versions' | 'aliases' | 'cards' | 'experiments' | 'all';

/**
 * What the repository's per-area modules (run-records.ts, registry-records.ts, …) share: the
 * database, the announcement of a write, and the problems of stored records that failed their schema.
 */
export interface StoreContext {
  readonly db: IDBPDatabase<BenchtopDB>;
  /** Tells this tab's listeners and the other tabs what changed (and which run, when one did). */
  notify(what: StoreChange, runId?: string): void;
  /**
   * Runs a write and announces it, or returns the storage problem (quota, …) naming `label`; a
   * write to runs names its run, so a worker's cache forgets just that one.
   */
  write<T>(what: 'runs', label: string, f: () => Promise<T>, runId: string): Promise<Result<void>>;
  write<T>(what: Exclude<StoreChange, 'runs'>, label: string, f: () => Promise<T>): Promise<Result<void>>;
  /** Stored records that failed their schema when read (left untouched, kept out of lists). */
  readonly problems: Problem[];
}

/** The context over `db`: writes announced through `notify`, problems kept in `problems`. */
export function storeContext(
  db: IDBPDatabase<BenchtopDB>,
  problems: Problem[],
  notify: (what: StoreChange, runId?: string) => void,
): StoreContext {
  async function write<T>(what: StoreChange, label: string, f: () => Promise<T>, runId?: string) {
    try {
      await f();
      notify(what, runId);
      return ok(undefined);
    } catch (e) {
      return storageProblem(e, label);
    }
  }
  return { db, problems, notify, write: write as StoreContext['write'] };
}
