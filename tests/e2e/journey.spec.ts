import { expect, test } from '@playwright/test';
import {
  closeBackendPanel,
  go,
  longTasks,
  openApp,
  openBackendPanel,
  openRun,
  recordLongTasks,
  train,
  waitForPlotly,
  waitReady,
  watchForeignRequests,
} from './helpers.ts';

test('default dataset → train an MLP on WASM in the worker → run survives a reload and predicts the same', async ({
  page,
}) => {
  const foreign = watchForeignRequests(page);
  await openApp(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('dataset-name')).toHaveText('digits-8x8.csv');
  await expect(page.getByTestId('dataset-rows')).toHaveText('1,797');

  const panel = await openBackendPanel(page);
  await panel.getByLabel('Compute backend').selectOption('wasm');
  const status = page.getByTestId('backend-status');
  await expect(status).toHaveAttribute('data-backend', 'wasm');
  await expect(status).toContainText(/WASM · \d+ threads? · SIMD/);
  await expect(panel.getByTestId('backend-reason')).toContainText(/WASM, \d+ threads?, SIMD/);
  await closeBackendPanel(page);

  await go(page, 'train');

  await page.getByLabel('Epochs', { exact: true }).fill('8');
  await page.getByLabel('Epochs', { exact: true }).blur();
  await waitForPlotly(page);
  await recordLongTasks(page);
  const trained = train(page, 120_000);
  await expect(page.getByTestId('train-progress')).toBeVisible();
  await expect(page.getByTestId('samples-per-second')).toBeVisible();
  await trained;
  // Opening the run renders its metrics and curves: that is measured too.
  const run = await openRun(page);
  await expect(run).toHaveAttribute('data-status', 'finished');
  await expect(run.locator('.js-plotly-plot').first()).toBeVisible();
  const tasks = await longTasks(page);
  const longest = Math.max(0, ...tasks);
  console.log(
    `longest main-thread task while training and opening the run: ${longest.toFixed(0)} ms (${tasks.length} tasks over 50 ms)`,
  );
  expect(longest).toBeLessThan(200);

  const acc = Number(await page.getByTestId('val-accuracy').textContent());
  expect(acc).toBeGreaterThan(0.9);
  await expect(run.getByTestId('curves')).toHaveAttribute('data-epochs', '8');
  await expect(run.locator('.js-plotly-plot').first()).toBeVisible();
  const runId = await run.getAttribute('data-run-id');

  await page.getByTestId('check-model').click();
  await expect(page.getByTestId('check-result')).toHaveAttribute('data-max-diff', /.+/);

  await page.reload();
  await waitReady(page);
  const again = page.getByTestId('run-view');
  await expect(again).toHaveAttribute('data-run-id', runId!);
  expect(Number(await again.getByTestId('val-accuracy').textContent())).toBe(acc);
  await expect(again.getByTestId('curves')).toHaveAttribute('data-epochs', '8');
  await again.getByTestId('check-model').click();
  const check = page.getByTestId('check-result');
  await expect(check).toHaveAttribute('data-max-diff', /.+/);
  expect(Number(await check.getAttribute('data-max-diff'))).toBeLessThan(1e-6);
  // The same model exported to ONNX and run by onnxruntime-web (its .wasm served by the app) agrees.
  const onnx = page.getByTestId('onnx-check');
  await expect(onnx).toHaveAttribute('data-max-diff', /.+/);
  expect(Number(await onnx.getAttribute('data-max-diff'))).toBeLessThan(1e-5);
  expect(foreign).toEqual([]);
});
