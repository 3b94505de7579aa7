import { createWriteStream } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { chooseBackend, go, longTasks, openApp, openRun, recordLongTasks, waitForPlotly } from './helpers.ts';

/** Writes a CSV of about `mb` megabytes: 8 numeric columns and a 3-class label. */
async function writeBigCsv(path: string, mb: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('a,b,c,d,e,f,g,h,label\n');
  let rows = 0,
    bytes = 0,
    seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  while (bytes < mb * 1e6) {
    const vals = Array.from({ length: 8 }, () => (rnd() * 1000).toFixed(3));
    const line = `${vals.join(',')},${['red', 'green', 'blue'][rows % 3]}\n`;
    bytes += line.length;
    rows++;
    if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return rows;
}

test('a 50 MB CSV is parsed in the worker with progress, without freezing the page', async ({ page }) => {
  const dir = await mkdtemp(join(tmpdir(), 'benchtop-big-'));
  const path = join(dir, 'big.csv');
  const rows = await writeBigCsv(path, 50);
  expect((await stat(path)).size).toBeGreaterThan(50e6);
  await openApp(page);
  await waitForPlotly(page);
  await recordLongTasks(page);
  const started = Date.now();
  await page.getByLabel(/Import your file/).setInputFiles(path);
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await expect(page.getByTestId('dataset-name')).toHaveText('big.csv', { timeout: 150_000 });
  await expect(page.getByTestId('dataset-rows')).toHaveText(rows.toLocaleString('en-US'));
  const tasks = await longTasks(page);
  const longest = Math.max(0, ...tasks);
  console.log(
    `50 MB CSV (${rows} rows) imported in ${((Date.now() - started) / 1000).toFixed(1)} s; longest main-thread task ${longest.toFixed(0)} ms`,
  );
  expect(longest).toBeLessThan(200);
  await expect(page.getByTestId('warnings').locator('[data-kind="not-stored"]')).toHaveCount(1);
});

test('Cancel stops training within a batch; the cancelled run is kept', async ({ page }) => {
  await openApp(page);
  await chooseBackend(page, 'cpu');
  await go(page, 'train');
  await page.getByLabel('Epochs', { exact: true }).fill('500');
  await page.getByLabel('Epochs', { exact: true }).blur();
  await page.getByTestId('train').click();
  await expect(page.getByTestId('samples-per-second')).toBeVisible();
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('next-open-run')).toBeVisible({ timeout: 30_000 });
  const run = await openRun(page);
  await expect(run).toHaveAttribute('data-status', 'cancelled');
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
  await expect(page.getByTestId('run-message')).toContainText(/Cancelled at epoch \d+, step \d+/);
  await go(page, 'runs');
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(1);
});
