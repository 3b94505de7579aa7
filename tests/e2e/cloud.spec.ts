import { expect, test } from '@playwright/test';
import { cliModel, importModel, openApp, openRun, serve } from './helpers.ts';

test('local model against the same model served by benchtop serve: checked, compared, failures named', async ({
  page,
  baseURL,
}) => {
  const model = await cliModel('wine.csv', 'cultivar');
  const origin = new URL(baseURL!).origin;
  const good = await serve(['--model', model, '--name', 'wine', '--cors-origin', origin]);
  const faulty = await serve(['--model', model, '--name', 'wine', '--cors-origin', origin, '--error-rate', '1']);
  try {
    await openApp(page);
    await importModel(page, model);
    await openRun(page, 'cloud');
    const panel = page.getByTestId('cloud-compare');
    await panel.getByTestId('endpoint-url').fill(good.url);
    await panel.getByTestId('endpoint-model').fill('wine');
    await panel.getByTestId('endpoint-check').click();
    await expect(panel.getByTestId('endpoint-model-ready')).toHaveText('yes', { timeout: 30_000 });
    await expect(panel.getByTestId('endpoint-probe')).toContainText('features FP32[-1, 13]');
    await panel.getByTestId('endpoint-batch').fill('8');
    await panel.getByTestId('endpoint-compare').click();
    const table = panel.getByTestId('remote-comparison');
    await expect(table).toBeVisible({ timeout: 60_000 });
    expect(Number(await table.getAttribute('data-agreement'))).toBe(1);
    await expect(panel.getByTestId('agreement')).toContainText('100.0%');

    // TF Serving protocol against the same server.
    await panel.getByTestId('endpoint-protocol').selectOption('tfserving');
    await panel.getByTestId('endpoint-compare').click();
    await expect(panel.getByTestId('agreement')).toContainText('100.0%', { timeout: 60_000 });

    // A server that fails every inference: the person is told the HTTP status and the server's words.
    await panel.getByTestId('endpoint-protocol').selectOption('kserve-v2');
    await panel.getByTestId('endpoint-url').fill(faulty.url);
    await panel.getByTestId('endpoint-compare').click();
    await expect(panel.getByTestId('endpoint-error')).toContainText('HTTP 500: injected fault', { timeout: 60_000 });
    // Nothing listening: unreachable, with CORS named as a possible cause.
    await panel.getByTestId('endpoint-url').fill('http://127.0.0.1:9');
    await panel.getByTestId('endpoint-check').click();
    await expect(panel.getByTestId('endpoint-error')).toContainText('CORS', { timeout: 60_000 });
    await expect(panel.getByTestId('cors-help')).toContainText('Access-Control-Allow-Origin');
  } finally {
    good.proc.kill();
    faulty.proc.kill();
  }
});

test('binary tensors and a server with one input per feature: mapped, previewed, compared', async ({
  page,
  baseURL,
}) => {
  const model = await cliModel('wine.csv', 'cultivar');
  const origin = new URL(baseURL!).origin;
  const split = await serve(['--model', model, '--name', 'wine', '--cors-origin', origin, '--per-feature-inputs']);
  try {
    await openApp(page);
    await importModel(page, model);
    await openRun(page, 'cloud');
    const panel = page.getByTestId('cloud-compare');
    await panel.getByTestId('endpoint-url').fill(split.url);
    await panel.getByTestId('endpoint-model').fill('wine');
    await panel.getByTestId('endpoint-check').click();
    // Thirteen inputs, matched to the features by name; the preview is a real test row.
    const mapping = panel.getByTestId('input-mapping');
    await expect(mapping.locator('tbody tr')).toHaveCount(13);
    await expect(panel.getByTestId('map-alcohol')).toHaveAttribute('placeholder', 'alcohol');
    await panel.getByText(/One request, as it would be sent \(dataset row \d+\)/).click();
    await expect(panel.getByTestId('request-preview')).toContainText('"name": "alcohol"');
    // Binary tensors, mapped inputs: the cloud agrees with the page on every row.
    await panel.getByTestId('endpoint-binary').check();
    await panel.getByTestId('endpoint-compare').click();
    await expect(panel.getByTestId('agreement')).toContainText('100.0%', { timeout: 60_000 });
    // A map naming a feature the model lacks is refused before anything is sent, with the reason.
    await panel.getByTestId('map-alcohol').fill('no_such_feature');
    await panel.getByTestId('endpoint-check').click();
    await expect(panel.getByTestId('mapping-error')).toContainText(
      '"no_such_feature", which this model version does not have',
    );
    await panel.getByTestId('endpoint-compare').click();
    await expect(panel.getByTestId('endpoint-error')).toContainText('no_such_feature', { timeout: 30_000 });
  } finally {
    split.proc.kill();
  }
});
