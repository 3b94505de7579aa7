import { expect, test } from '@playwright/test';
import { go, openApp, openRun, train, waitReady } from './helpers.ts';

test('after the first visit the app opens offline, with its datasets, and trains', async ({ page, context }) => {
  await openApp(page, '');
  // Wait until the service worker has precached everything and controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await waitReady(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  await page.reload();
  await waitReady(page);
  // Really offline: a request the service worker has not cached cannot reach the server.
  expect(
    await page.evaluate(() =>
      fetch(`/offline-probe-${Date.now()}.txt`, { cache: 'no-store' }).then(
        () => 'reached the server',
        () => 'no network',
      ),
    ),
  ).toBe('no network');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await page.getByLabel('Shipped dataset').selectOption('penguins');
  await expect(page.getByTestId('dataset-name')).toHaveText('penguins.json');
  await go(page, 'train');
  await page.getByLabel('Epochs', { exact: true }).fill('3');
  await page.getByLabel('Epochs', { exact: true }).blur();
  await train(page, 120_000);
  await expect(await openRun(page)).toHaveAttribute('data-status', 'finished');
  await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', /wasm|webgl|webgpu|cpu/);
});
