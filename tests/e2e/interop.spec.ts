import { execFile } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { go, openApp, openRun, train, waitReady } from './helpers.ts';

const run = promisify(execFile);
const CLI = new URL('../../bin/benchtop.mjs', import.meta.url).pathname;
const WINE = new URL('../../public/datasets/wine.csv', import.meta.url).pathname;

test('a model trained by the CLI imports into the app, and one exported by the app reads in the CLI', async ({
  page,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'benchtop-interop-'));
  const cliOut = join(dir, 'cli-model');
  const trained = await run(process.execPath, [
    CLI,
    'train',
    '--data',
    WINE,
    '--label',
    'cultivar',
    '--epochs',
    '10',
    '--lr',
    '0.01',
    '--hidden',
    '16',
    '--out',
    cliOut,
    '--no-store',
  ]);
  const summary = JSON.parse(trained.stdout);

  await openApp(page, '#/runs');
  const files = (await readdir(cliOut)).map((f) => join(cliOut, f));
  await page.getByTestId('import-model').setInputFiles(files);
  await expect(page.getByRole('status').filter({ hasText: 'Imported model' })).toBeVisible({ timeout: 60_000 });
  const view = await openRun(page);
  await expect(view).toHaveAttribute('data-run-id', summary.run);
  expect(Number(await page.getByTestId('val-accuracy').textContent())).toBeCloseTo(
    summary.metrics.validation.accuracy,
    4,
  );
  await view.getByTestId('check-model').click(); // loads wine.csv (same content hash) and re-predicts in the worker
  expect(Number(await page.getByTestId('check-result').getAttribute('data-max-diff'))).toBeLessThan(1e-5);
  await go(page, 'data');
  await expect(page.getByTestId('dataset-name')).toHaveText('wine.csv');

  // The other way: train in the app, export, read with the CLI.
  await go(page, 'train');
  await page.getByLabel('Epochs', { exact: true }).fill('5');
  await page.getByLabel('Epochs', { exact: true }).blur();
  await train(page, 60_000);
  await go(page, 'runs');
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(2);
  await openRun(page);
  await expect(view).not.toHaveAttribute('data-run-id', summary.run);
  await expect(view).toHaveAttribute('data-status', 'finished');
  const appRun = await view.getAttribute('data-run-id');
  const download = page.waitForEvent('download');
  await view.getByTestId('export-model').click();
  const zip = join(dir, 'app-model.zip');
  await (await download).saveAs(zip);
  const info = JSON.parse((await run(process.execPath, [CLI, 'info', '--model', zip, '--data', WINE])).stdout);
  expect(info.run).toBe(appRun);
  expect(info.fingerprint.maxAbsDiff).toBeLessThan(1e-5);
});

test("a person's own file is kept across reloads, and runs on it can still be checked", async ({ page }) => {
  const dir = await mkdtemp(join(tmpdir(), 'benchtop-own-'));
  const csv = join(dir, 'mine.csv');
  const rows = Array.from(
    { length: 200 },
    (_, i) => `${(i * 37) % 101},${(i * 53) % 97},${((i * 37) % 101) + ((i * 53) % 97) > 98 ? 'high' : 'low'}`,
  );
  await writeFile(csv, ['x,y,level', ...rows].join('\n'));
  await openApp(page);
  await page.getByLabel(/Import your file/).setInputFiles(csv);
  await expect(page.getByTestId('dataset-name')).toHaveText('mine.csv');
  const id = await page.getByTestId('dataset-id').getAttribute('title');
  await go(page, 'train');
  await page.getByLabel('Epochs', { exact: true }).fill('30');
  await page.getByLabel('Learning rate', { exact: true }).fill('0.01');
  await page.getByLabel('Learning rate', { exact: true }).blur();
  await train(page, 60_000);
  await go(page, 'data');
  await page.reload();
  await waitReady(page);
  await expect(page.getByTestId('dataset-name')).toHaveText('mine.csv');
  await expect(page.getByTestId('dataset-id')).toHaveAttribute('title', id!);
  await expect(await openRun(page)).toHaveAttribute('data-status', 'finished');
  await page.getByTestId('check-model').click();
  expect(Number(await page.getByTestId('check-result').getAttribute('data-max-diff'))).toBeLessThan(1e-6);
});
