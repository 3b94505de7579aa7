import { fail } from '../../core/util/result.ts';

/** A failed write as a problem a person can act on: a full quota says what to delete; nothing saved changed. */
export function storageProblem(e: unknown, what: string) {
  const err = e as DOMException;
  if (err?.name === 'QuotaExceededError') {
    return fail<never>({
      kind: 'quota',
      message:
        `The browser's storage for this site is full, so ${what} was not saved. Delete old runs or ` +
        `datasets, or export them as a bundle and delete them here, then try again. Nothing already saved was changed.`,
    });
  }
  return fail<never>({ kind: 'storage', message: `Could not save ${what}: ${err?.message ?? String(e)}` });
}

/** Storage used and allowed for this site, and whether the browser keeps it under pressure (null: unknown). */
export async function storageUsage(): Promise<{ usage: number; quota: number; persisted: boolean } | null> {
  const s = globalThis.navigator?.storage;
  if (!s?.estimate) return null;
  const e = await s.estimate();
  return { usage: e.usage ?? 0, quota: e.quota ?? 0, persisted: s.persisted ? await s.persisted() : false };
}

/** Asks the browser to keep this site's data under storage pressure. */
export async function persistStorage(): Promise<boolean> {
  return (await globalThis.navigator?.storage?.persist?.()) ?? false;
}
