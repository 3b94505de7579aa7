import { expect, test } from '@playwright/test';
import { openApp } from './helpers.ts';

test('evaluation: metrics with intervals, slices, behavioural tests, abstention, calibration as a new version', async ({
  page,
}) => {
  await openApp(page);
  await page.getByLabel('Shipped dataset').selectOption('german-credit');
  await expect(page.getByTestId('dataset-name')).toHaveText('german-credit.csv');
  await page.getByTestId('model-kind').selectOption('gbt');
  await page.getByLabel('Boosting rounds').fill('30');
  await page.getByLabel('Boosting rounds').blur();
  await page.getByTestId('train').click();
  const view = page.getByTestId('run-view');
  await expect(view).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  await page.getByTestId('register-name').fill('credit');
  await page.getByTestId('register').click();
  await expect(page.getByTestId('versions').getByTestId('lineage-label')).toHaveText(['V1.1.0']);

  const ev = page.getByTestId('evaluation');
  await ev.locator('summary').first().click();
  await ev.getByText(/^Slices \(0\) and behavioural tests/).click();
  await ev.getByLabel('Slice column').selectOption('personal_status');
  await ev.getByTestId('slice-value').fill('female div/dep/mar');
  await ev.getByTestId('slice-add-condition').click();
  await ev.getByTestId('slice-add').click();
  await ev.getByLabel('Behavioural test kind').selectOption('invariance');
  await ev.getByTestId('test-column').selectOption('personal_status');
  await ev.getByTestId('test-add').click();
  await ev.getByLabel('Behavioural test kind').selectOption('perturbation');
  await ev.getByTestId('test-add').click();
  await ev.getByTestId('eval-split').selectOption('all');
  await ev.getByTestId('evaluate').click();
  await expect(ev.getByTestId('eval-summary')).toContainText('1000 rows', { timeout: 60_000 });
  await expect(ev.getByTestId('eval-accuracy')).toContainText(/0\.\d{4} \[0\.\d{4}, 0\.\d{4}\]/);
  await expect(ev.getByTestId('per-class').locator('tbody tr')).toHaveCount(2);
  await expect(ev.getByTestId('user-slices')).toContainText('personal_status = female div/dep/mar');
  await expect(ev.getByTestId('user-slices').locator('tbody tr td').nth(1)).toHaveText('310');
  await expect(ev.getByTestId('behaviour-result')).toHaveCount(2);
  await expect(ev.locator('[data-testid="behaviour-result"][data-kind="invariance"]')).toContainText(
    'changed the prediction in',
  );
  await expect(ev.locator('.js-plotly-plot').first()).toBeVisible();
  await ev.getByTestId('abstain').selectOption('0.9');
  await expect(ev.getByTestId('abstain')).toHaveValue('0.9');

  // The report and tests are kept with the run.
  await page.reload();
  await expect(page.locator('main[data-ready="true"]')).toBeVisible({ timeout: 60_000 });
  const ev2 = page.getByTestId('evaluation');
  await ev2.locator('summary').first().click();
  await expect(ev2.getByTestId('eval-summary')).toContainText('1000 rows');
  await expect(ev2.getByTestId('abstain')).toHaveValue('0.9');

  // Temperature scaling: a new version (stateful update of V1.1.0), same accuracy, lineage to its parent.
  await ev2.getByTestId('calibration-method').selectOption('temperature');
  await ev2.getByTestId('calibrate').click();
  await expect(page.getByTestId('versions').getByTestId('lineage-label')).toHaveText(['V1.1.0', 'V1.1.1'], {
    timeout: 60_000,
  });
  await expect(page.getByTestId('versions').locator('tr[data-version="credit@2"]')).toContainText('update of 1');
  const cal = page.getByTestId('evaluation').getByTestId('calibration-before-after');
  await page.getByTestId('evaluation').locator('summary').first().click();
  const rows = cal.locator('tbody tr');
  expect(await rows.nth(0).locator('td').first().textContent()).toBe(
    await rows.nth(1).locator('td').first().textContent(),
  );
  // Behavioural tests saved with the parent were rerun on the new version.
  await expect(page.getByTestId('evaluation').getByTestId('behaviour-result')).toHaveCount(2, { timeout: 60_000 });
});
