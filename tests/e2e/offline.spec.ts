import { expect, test } from '@playwright/test';
import { openApp } from './helpers.ts';

test('after the first visit the app opens offline, with its datasets, and trains', async ({ page, context }) => {
  await openApp(page);
  // Wait until the service worker has precached everything and controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect(page.locator('main[data-ready="true"]')).toBeVisible({ timeout: 60_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('main[data-ready="true"]')).toBeVisible({ timeout: 60_000 });
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByLabel('Shipped dataset').selectOption('penguins');
  await expect(page.getByTestId('dataset-name')).toHaveText('penguins.json');
  await page.getByLabel('Epochs', { exact: true }).fill('3');
  await page.getByLabel('Epochs', { exact: true }).blur();
  await page.getByTestId('train').click();
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-status', 'finished', { timeout: 120_000 });
  await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', /wasm|webgl|webgpu|cpu/);
});
