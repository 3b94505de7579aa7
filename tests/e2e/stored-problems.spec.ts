import { expect, test, type Page } from '@playwright/test';
import { go, openApp, waitReady } from './helpers.ts';

// Issue 16: a stored run that fails its schema is skipped by the lists and left as it is in
// IndexedDB; the Runs view says so instead of letting it vanish.

/** Writes a record straight into the database (as another version or a damaged disk would), or reads one back. */
function idb(page: Page, op: 'put' | 'get', value: unknown): Promise<unknown> {
  return page.evaluate(
    ([op, value]) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('benchtop');
        req.onsuccess = () => {
          const db = req.result;
          const store = db.transaction('runs', op === 'put' ? 'readwrite' : 'readonly').objectStore('runs');
          const r = op === 'put' ? store.put(value) : store.get(value as string);
          r.onsuccess = () => {
            db.close();
            resolve(r.result);
          };
          r.onerror = () => reject(r.error);
        };
        req.onerror = () => reject(req.error);
      }),
    [op, value] as const,
  );
}

test('a corrupt stored run is named in the Runs view and left as it is', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openApp(page);
  const broken = {
    id: 'broken-run',
    format: 'benchtop-run@2',
    name: 'broken',
    createdAt: '2024-01-01T00:00:00Z',
    status: 42,
    history: 'nope',
  };
  await idb(page, 'put', broken);
  await page.reload();
  await waitReady(page);
  await go(page, 'runs');

  const note = page.getByTestId('stored-problems');
  await expect(note).toBeVisible();
  await expect(note.getByRole('region', { name: 'Stored records that could not be read' })).toContainText(
    /1 stored record could not be read and is left as it is: run broken-run: field "\w+"/,
  );
  await expect(page.getByTestId('runs-table-empty')).toBeVisible();
  expect(await idb(page, 'get', 'broken-run')).toEqual(broken);
  expect(errors).toEqual([]);
});
