import { expect, test } from '@playwright/test';
import { closeBackendPanel, go, openApp, openBackendPanel, openRun, train } from './helpers.ts';

// WebGL and WebGPU run in software (SwiftShader) on CI machines: these check correctness, not speed.
for (const backend of ['webgl', 'webgpu'] as const) {
  test(`training smoke test on ${backend} in the worker`, async ({ page }) => {
    await openApp(page);
    const status = page.getByTestId('backend-status');
    const panel = await openBackendPanel(page);
    await panel.getByLabel('Compute backend').selectOption(backend);
    await expect(status).toHaveAttribute('data-backend', backend);
    await expect(status).toContainText('(chosen)');
    await expect(panel.getByTestId('backend-reason')).toContainText('chosen by you');
    await closeBackendPanel(page);
    await page.getByLabel('Shipped dataset').selectOption('wine');
    await expect(page.getByTestId('dataset-name')).toHaveText('wine.csv');
    await go(page, 'train');
    await page.getByLabel('Epochs', { exact: true }).fill('15');
    await page.getByLabel('Learning rate', { exact: true }).fill('0.01');
    await page.getByLabel('Learning rate', { exact: true }).blur();
    await train(page);
    const run = await openRun(page);
    await expect(run).toHaveAttribute('data-status', 'finished', { timeout: 150_000 });
    await expect(run).toContainText(backend === 'webgl' ? 'on WebGL' : 'on WebGPU');
    expect(Number(await page.getByTestId('val-accuracy').textContent())).toBeGreaterThan(0.8);
    await run.getByTestId('check-model').click();
    await expect(page.getByTestId('check-result')).toHaveAttribute('data-max-diff', /.+/);
    expect(Number(await page.getByTestId('check-result').getAttribute('data-max-diff'))).toBeLessThan(1e-4);
  });
}
