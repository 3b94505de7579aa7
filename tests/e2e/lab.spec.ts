import { expect, test } from '@playwright/test';
import { chooseBackend, go, openApp, openRun, train, waitReady } from './helpers.ts';

test('gradient-boosted trees on german-credit are judged against baselines, with the lift shown', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Shipped dataset').selectOption('german-credit');
  await expect(page.getByTestId('dataset-name')).toHaveText('german-credit.csv');
  await go(page, 'train');
  await page.getByTestId('model-kind').selectOption('gbt');
  await page.getByLabel('Boosting rounds').fill('30');
  await page.getByLabel('Boosting rounds').blur();
  await train(page, 60_000);
  const view = await openRun(page);
  await expect(view).toHaveAttribute('data-status', 'finished');
  const baselines = page.getByTestId('baselines');
  await expect(baselines.locator('tr[data-baseline="zero-rule"]')).toContainText('always "good"');
  await expect(baselines.locator('tr[data-baseline="threshold"]')).toContainText('→');
  const zeroRule = Number(
    (await baselines.locator('tr[data-baseline="zero-rule"] td.num').first().textContent())!.trim(),
  );
  expect(zeroRule).toBeCloseTo(0.7, 1);
  await expect(page.getByTestId('lift')).toContainText('Lift over the strongest baseline');
  await expect(view.getByTestId('curves')).toBeVisible();
  await page.reload();
  await waitReady(page);
  await page.getByTestId('check-model').click();
  await expect(page.getByTestId('check-result')).toHaveAttribute('data-max-diff', /.+/);
  expect(Number(await page.getByTestId('check-result').getAttribute('data-max-diff'))).toBeLessThan(1e-12);
});

test('a CNN trains on digits on the WASM backend (gradient kernels registered for WASM)', async ({ page }) => {
  await openApp(page);
  await chooseBackend(page, 'wasm');
  await go(page, 'train');
  await page.getByTestId('model-kind').selectOption('cnn');
  await page.getByLabel('Epochs', { exact: true }).fill('4');
  await page.getByLabel('Learning rate', { exact: true }).fill('0.005');
  await page.getByLabel('Learning rate', { exact: true }).blur();
  await train(page, 120_000);
  await openRun(page);
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-status', 'finished');
  await expect(page.getByTestId('run-view')).toContainText('on WASM');
  expect(Number(await page.getByTestId('val-accuracy').textContent())).toBeGreaterThan(0.8);
  await page.getByText('Tracking: learning rate, gradients').click();
  await expect(page.getByTestId('tracking').locator('.js-plotly-plot')).toHaveCount(5);
});

test('debugging aids: overfit one batch passes, the LR range test suggests a rate', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Shipped dataset').selectOption('wine');
  await expect(page.getByTestId('dataset-name')).toHaveText('wine.csv');
  await go(page, 'train');
  await page.getByText('Debugging aids').click();
  await page.getByTestId('overfit-batch').click();
  await expect(page.getByTestId('overfit-result')).toHaveAttribute('data-passed', 'true', { timeout: 60_000 });
  await page.getByTestId('lr-range').click();
  const lr = page.getByTestId('lr-result');
  await expect(lr).toHaveAttribute('data-suggested', /.+/, { timeout: 60_000 });
  const suggested = Number(await lr.getAttribute('data-suggested'));
  expect(suggested).toBeGreaterThan(1e-6);
  expect(suggested).toBeLessThan(1);
  await lr.getByRole('button', { name: 'Use it' }).click();
  expect(Number(await page.getByLabel('Learning rate', { exact: true }).inputValue())).toBeCloseTo(
    Number(suggested.toPrecision(2)),
    10,
  );
});

test('a run interrupted by a reload is marked interrupted, not left running', async ({ page }) => {
  await openApp(page);
  await chooseBackend(page, 'cpu');
  await go(page, 'train');
  await page.getByLabel('Epochs', { exact: true }).fill('1000');
  await page.getByLabel('Epochs', { exact: true }).blur();
  await page.getByTestId('train').click();
  await expect(page.getByTestId('samples-per-second')).toBeVisible();
  await go(page, 'runs');
  await expect(page.getByTestId('runs-table').getByTestId('row-status')).toHaveText('running');
  await page.reload();
  await waitReady(page);
  await expect(page.getByTestId('runs-table').getByTestId('row-status')).toHaveText('interrupted');
  await openRun(page);
  await expect(page.getByTestId('run-status')).toHaveText('interrupted');
  await expect(page.getByTestId('run-message')).toContainText('closed or reloaded');
});

test('out-of-range hyperparameters are refused before training starts', async ({ page }) => {
  await openApp(page);
  await go(page, 'train');
  await page.getByLabel('Dropout').fill('0.99');
  await page.getByLabel('Dropout').blur();
  await page.getByTestId('train').click();
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'bad-config');
  await expect(page.getByTestId('error')).toContainText('Dropout must be between 0 and 0.95');
  await go(page, 'runs');
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(0);
});

test('hyperparameter search runs trials in a pool of workers and feeds the best back', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Shipped dataset').selectOption('breast-cancer');
  await expect(page.getByTestId('dataset-name')).toHaveText('breast-cancer-wisconsin.csv');
  await go(page, 'train');
  await page.getByTestId('model-kind').selectOption('tree');
  await page.getByTestId('tune-panel').locator('summary').click();
  await page.getByTestId('tune-search').selectOption('random');
  await page.getByTestId('tune-trials').fill('8');
  await page.getByTestId('tune-pool').fill('2');
  await page.getByTestId('tune-start').click();
  const status = page.getByTestId('tune-status');
  await expect(status).toHaveAttribute('data-running', 'false', { timeout: 120_000 });
  await expect(status).toHaveAttribute('data-done', '8');
  const rows = page.getByTestId('tune-trials-table').locator('tbody tr');
  await expect(rows).toHaveCount(8);
  const workers = new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-worker'))));
  expect(workers).toEqual(new Set(['0', '1']));
  await expect(page.getByTestId('tune-panel').locator('.js-plotly-plot')).toHaveCount(2);
  const bestDepth = await page.getByTestId('tune-trials-table').locator('tr.best td').nth(3).textContent();
  await page.getByTestId('tune-use-best').click();
  await expect(page.getByLabel('Max depth')).toHaveValue(bestDepth!.trim());
});

test('ensembles: a bagged model, and three runs combined by stacking', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Shipped dataset').selectOption('wine');
  await expect(page.getByTestId('dataset-name')).toHaveText('wine.csv');
  const view = page.getByTestId('run-view');
  for (const kind of ['logistic', 'tree', 'knn']) {
    await go(page, 'train');
    await page.getByTestId('model-kind').selectOption(kind);
    if (kind === 'logistic') {
      await page.getByLabel('Learning rate', { exact: true }).fill('0.02');
      await page.getByLabel('Learning rate', { exact: true }).blur();
    }
    await train(page, 60_000);
    await openRun(page);
    await expect(view).toHaveAttribute('data-status', 'finished');
    await go(page, 'runs');
    await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(
      ['logistic', 'tree', 'knn'].indexOf(kind) + 1,
    );
  }
  for (const box of await page.getByRole('checkbox', { name: /^Pick run/ }).all()) await box.check();
  await page.getByTestId('combine').getByRole('button', { name: 'Stacking' }).click();
  await page.getByRole('button', { name: /^Open run Stack of 3/ }).click({ timeout: 60_000 });
  await expect(view).toContainText('Stacking (logistic-regression meta-learner) of 3');
  expect(Number(await page.getByTestId('val-accuracy').textContent())).toBeGreaterThan(0.85);
  await view.getByTestId('check-model').click();
  await expect(page.getByTestId('check-result')).toHaveAttribute('data-max-diff', /.+/);
  expect(Number(await page.getByTestId('check-result').getAttribute('data-max-diff'))).toBeLessThan(1e-9);

  await go(page, 'train');
  await page.getByTestId('model-kind').selectOption('tree');
  await page.getByTestId('ensemble-method').selectOption('bag');
  await page.getByLabel('Members').fill('5');
  await page.getByLabel('Members').blur();
  await train(page, 60_000);
  await openRun(page);
  await expect(view).toContainText('Bagging of 5');
  await expect(view).toHaveAttribute('data-status', 'finished');
});
