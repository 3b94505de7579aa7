import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DATA_DIR, go, openApp, openRun, train, waitReady } from './helpers.ts';

// Issue 16: nothing stored is ever silently replaced by an import; a file chosen while the page opens loads.

/** The rows of the Runs view's table. */
const rows = (page: Page) => page.getByTestId('runs-table').locator('tbody tr');

/** A run record as IndexedDB holds it (read straight from the database, not through the app). */
async function storedRun(page: Page, id: string): Promise<unknown> {
  return page.evaluate(
    (id) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('benchtop');
        req.onsuccess = () => {
          const db = req.result;
          const get = db.transaction('runs').objectStore('runs').get(id);
          get.onsuccess = () => {
            db.close();
            resolve(get.result);
          };
          get.onerror = () => reject(get.error);
        };
        req.onerror = () => reject(req.error);
      }),
    id,
  );
}

test('importing a model whose run is stored keeps both: the original unchanged, the copy beside it', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const dir = await mkdtemp(join(tmpdir(), 'benchtop-keep-'));

  await openApp(page);
  await page.getByLabel('Shipped dataset').selectOption('wine');
  await go(page, 'train');
  await page.getByTestId('model-kind').selectOption('tree');
  await page.getByLabel('Max depth').fill('3');
  await page.getByLabel('Max depth').blur();
  await train(page, 60_000);
  const view = await openRun(page);
  const id = (await view.getAttribute('data-run-id'))!;
  const name = (await view.getByRole('heading', { level: 2 }).textContent())!.replace(/\s*finished\s*$/, '').trim();
  await expect(page.getByTestId('run-imported-from')).toHaveCount(0);

  const download = page.waitForEvent('download');
  await page.getByTestId('export-model').click();
  const zip = join(dir, 'model.zip');
  await (await download).saveAs(zip);
  const before = await storedRun(page, id);
  expect(before).toMatchObject({ id, name });

  await go(page, 'runs');
  await expect(rows(page)).toHaveCount(1);
  await page.getByTestId('import-model').setInputFiles(zip);
  const copy = `${id}-import-2`;
  await expect(page.getByRole('status').filter({ hasText: 'Imported model' })).toContainText(
    `a run with its id (${id}) was already stored, so the import was kept beside it as run ${copy} ` +
      '(imported from model.zip); the stored run is unchanged.',
  );
  await expect(rows(page)).toHaveCount(2);
  await expect(page.locator(`tr[data-run-id="${id}"]`)).toHaveCount(1);
  await expect(page.locator(`tr[data-run-id="${copy}"]`)).toHaveCount(1);
  // The stored run is exactly as it was.
  expect(await storedRun(page, id)).toEqual(before);
  expect(await storedRun(page, copy)).toMatchObject({
    name,
    importedFrom: { id, source: 'model.zip' },
  });

  // The copy is selected; its header says where it came from, and its model predicts as trained.
  await page.locator(`tr[data-run-id="${copy}"] button.open`).click();
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-run-id', copy);
  await expect(page.getByTestId('run-imported-from')).toContainText(`Imported from model.zip, original id ${id}`);
  await page.getByTestId('check-model').click();
  expect(Number(await page.getByTestId('check-result').getAttribute('data-max-diff'))).toBe(0);

  // A third import counts on.
  await go(page, 'runs');
  await page.getByTestId('import-model').setInputFiles(zip);
  await expect(page.getByRole('status').filter({ hasText: 'Imported model' })).toContainText(`as run ${id}-import-3`);
  await expect(rows(page)).toHaveCount(3);
  expect(await storedRun(page, id)).toEqual(before);

  // A bundle of the original, imported back: kept beside it too; its dataset is already here.
  await page.locator(`tr[data-run-id="${id}"] input[type="checkbox"]`).check();
  const bundleDownload = page.waitForEvent('download');
  await page.getByTestId('export-bundle').click();
  const bundle = join(dir, 'runs.zip');
  await (await bundleDownload).saveAs(bundle);
  await page.getByTestId('import-bundle').setInputFiles(bundle);
  await expect(page.getByRole('status').filter({ hasText: 'from runs.zip' })).toContainText(
    `Imported 1 run(s), 0 model version(s) and 0 dataset(s) from runs.zip. Already stored, so kept beside the ` +
      `stored ones (which are unchanged): run ${id} as ${id}-import-4. 1 dataset(s) were already stored`,
  );
  await expect(rows(page)).toHaveCount(4);
  expect(await storedRun(page, id)).toEqual(before);
  expect(errors).toEqual([]);
});

test('a file chosen right after the page opens, before storage is ready, loads without an error', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const dir = await mkdtemp(join(tmpdir(), 'benchtop-early-'));
  const file = join(dir, 'early-wine.csv');
  await copyFile(join(DATA_DIR, 'wine.csv'), file);

  await page.goto('/#/data');
  const input = page.locator('#file-input');
  await input.waitFor({ state: 'attached' });
  // The case under test: the app is not ready yet when the file arrives.
  expect(await page.locator('main').getAttribute('data-ready')).toBe('false');
  await input.setInputFiles(file);

  await waitReady(page);
  await expect(page.getByTestId('dataset-name')).toHaveText('early-wine.csv', { timeout: 60_000 });
  await expect(page.getByTestId('dataset-rows')).toHaveText('178');
  await expect(page.getByTestId('error')).toHaveCount(0);
  // It stays the dataset (the restored session did not replace it) and was stored: a reload reopens it.
  await page.waitForTimeout(500);
  await expect(page.getByTestId('dataset-name')).toHaveText('early-wine.csv');
  await page.reload();
  await waitReady(page);
  await expect(page.getByTestId('dataset-name')).toHaveText('early-wine.csv');
  expect(errors).toEqual([]);
});
