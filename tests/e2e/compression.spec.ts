import { expect, test } from '@playwright/test';
import { chooseBackend, go, openApp, openRun, train, waitReady } from './helpers.ts';

test('compression lab: int8 and pruned versions with lineage, size, accuracy, per-slice deltas, latency, ONNX check', async ({
  page,
}) => {
  await openApp(page);
  await chooseBackend(page, 'wasm');
  await page.getByLabel('Shipped dataset').selectOption('german-credit');
  await expect(page.getByTestId('dataset-name')).toHaveText('german-credit.csv');
  await go(page, 'train');
  await page.getByLabel('Epochs', { exact: true }).fill('10');
  await page.getByLabel('Epochs', { exact: true }).blur();
  await train(page, 60_000);
  const view = await openRun(page);
  await expect(view).toHaveAttribute('data-status', 'finished');
  const parentId = await view.getAttribute('data-run-id');
  await page.getByTestId('register-name').fill('credit-mlp');
  await page.getByTestId('register').click();
  await go(page, 'registry');
  await expect(page.getByTestId('versions').getByTestId('lineage-label')).toHaveText(['V1.1.0']);

  // The parent's Compress tab, by its address.
  await page.goto(`/#/run/${parentId}/compress`);
  await waitReady(page);
  const panel = page.getByTestId('compression');
  const table = panel.getByTestId('compression-table');
  await panel.getByTestId('compress-method').selectOption('int8');
  await panel.getByTestId('compress').click();
  await expect(table.locator('tr[data-method="int8"]')).toHaveCount(1, { timeout: 60_000 });
  await panel.getByTestId('compress-method').selectOption('prune');
  await panel.getByTestId('compress-sparsity').fill('0.7');
  await panel.getByTestId('compress').click();
  await expect(table.locator('tbody tr')).toHaveCount(3, { timeout: 60_000 });
  await go(page, 'registry');
  await expect(page.getByTestId('versions').getByTestId('lineage-label')).toHaveText(['V1.1.0', 'V1.1.1', 'V1.1.2']);
  await page.goBack();
  await waitReady(page);
  await expect(table.locator('tbody tr')).toHaveCount(3);
  const stored = async (m: string) => Number(await table.locator(`tr[data-method="${m}"] td`).first().textContent());
  expect(await stored('int8')).toBeLessThan((await stored('parent')) * 0.3);
  await expect(table.locator('tr[data-method="prune"] td').nth(3)).toContainText('%');
  await expect(panel.getByTestId('slice-deltas').first()).toBeAttached();

  await panel.getByTestId('measure').click();
  await expect(table.locator('thead th')).toContainText(['tfjs wasm p50 / p95 ms, rows/s'], { timeout: 120_000 });
  await expect(table.locator('thead')).toContainText('onnxruntime-web wasm');
  // onnxruntime-web's WebGPU execution provider, on the browser's (here software) WebGPU adapter.
  await expect(table.locator('thead')).toContainText('onnxruntime-web webgpu (int8 QDQ)', { timeout: 120_000 });
  const heads = await table.locator('thead th').allTextContents();
  const gpuCol = heads.findIndex((h) => h.startsWith('onnxruntime-web webgpu (int8 QDQ)'));
  await expect(table.locator('tr[data-method="int8"] td').nth(gpuCol - 1)).toContainText(
    /\d+\.\d+ \/ \d+\.\d+, [\d,]+/,
  );
  // …and its outputs agree with the WASM provider's on the same rows.
  const gpuDiff = await table
    .locator('tr[data-method="int8"] td')
    .nth(gpuCol - 1)
    .getAttribute('data-max-diff');
  console.log(`onnxruntime-web webgpu vs wasm, int8 QDQ: largest output difference ${gpuDiff}`);
  expect(gpuDiff).not.toBeNull();
  expect(Number(gpuDiff)).toBeLessThan(1e-3);
  await expect(
    table
      .locator('tr[data-method="int8"] td')
      .nth(heads.findIndex((h) => h.startsWith('onnxruntime-web wasm (int8 QDQ)')) - 1),
  ).toContainText(/\d+\.\d+ \/ \d+\.\d+, [\d,]+/);
  await expect(panel.locator('.js-plotly-plot')).toHaveCount(2);

  // The int8 version's saved-model check runs its int8 QDQ ONNX export in onnxruntime-web.
  await go(page, 'runs');
  await page
    .getByTestId('runs-table')
    .locator(`tbody tr:not([data-run-id="${parentId}"])`)
    .filter({ hasText: 'int8' })
    .locator('button.open')
    .click();
  await page.getByTestId('check-model').click();
  expect(Number(await page.getByTestId('check-result').getAttribute('data-max-diff'))).toBe(0);
  expect(Number(await page.getByTestId('onnx-check').getAttribute('data-max-diff'))).toBeLessThan(1e-4);
});

test('compression lab: static int8 (entropy ranges), quantization-aware fine-tuning and distillation keep a binary model accurate', async ({
  page,
}) => {
  await openApp(page);
  await chooseBackend(page, 'wasm');
  await page.getByLabel('Shipped dataset').selectOption('breast-cancer');
  await expect(page.getByTestId('dataset-name')).toHaveText('breast-cancer-wisconsin.csv');
  await go(page, 'train');
  await page.getByLabel('Epochs', { exact: true }).fill('10');
  await page.getByLabel('Epochs', { exact: true }).blur();
  await train(page, 60_000);
  const view = await openRun(page);
  await expect(view).toHaveAttribute('data-status', 'finished');

  await page.getByTestId('tab-compress').click();
  const panel = page.getByTestId('compression');
  const table = panel.getByTestId('compression-table');
  await panel.getByTestId('compress-method').selectOption('int8-static');
  await panel.getByTestId('range-method').selectOption('entropy');
  await panel.getByTestId('compress').click();
  await expect(table.locator('tr[data-method="int8-static"]')).toHaveCount(1, { timeout: 60_000 });
  await panel.getByTestId('compress-method').selectOption('qat');
  await panel.getByTestId('compress').click();
  await expect(table.locator('tr[data-method="int8"]')).toHaveCount(1, { timeout: 60_000 });
  await panel.getByTestId('compress-method').selectOption('distill');
  await panel.getByTestId('student-hidden').fill('16');
  await panel.getByTestId('compress').click();
  await expect(table.locator('tr[data-method="distill"]')).toHaveCount(1, { timeout: 60_000 });

  const accuracy = async (m: string) => Number(await table.locator(`tr[data-method="${m}"] td`).nth(4).textContent());
  const parent = await accuracy('parent');
  expect(parent).toBeGreaterThan(0.9);
  for (const m of ['int8-static', 'int8']) expect(parent - (await accuracy(m)), m).toBeLessThanOrEqual(0.03);
  expect(parent - (await accuracy('distill'))).toBeLessThanOrEqual(0.06);
  // The distilled student is much smaller than its teacher.
  const stored = async (m: string) => Number(await table.locator(`tr[data-method="${m}"] td`).first().textContent());
  expect(await stored('distill')).toBeLessThan((await stored('parent')) * 0.2);
});
