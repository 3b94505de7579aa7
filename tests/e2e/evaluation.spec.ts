import { expect, test } from '@playwright/test';
import { go, openApp, openRun, runTab, train, waitReady } from './helpers.ts';

test('evaluation: metrics with intervals, slices, behavioural tests, abstention, calibration kept as a new version on the word of the person', async ({
  page,
}) => {
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
  const parentId = await view.getAttribute('data-run-id');
  await page.getByTestId('register-name').fill('credit');
  await page.getByTestId('register').click();
  await go(page, 'registry');
  await expect(page.getByTestId('versions').getByTestId('lineage-label')).toHaveText(['V1.1.0']);
  await page.goBack();

  const ev = await runTab(page, 'evaluate');
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
  await waitReady(page);
  const ev2 = page.getByTestId('evaluation');
  await expect(ev2.getByTestId('eval-summary')).toContainText('1000 rows');
  await expect(ev2.getByTestId('abstain')).toHaveValue('0.9');

  // Temperature scaling: previewed first, nothing saved until the person keeps it.
  const calTab = await runTab(page, 'calibrate');
  await calTab.getByTestId('calibration-method').selectOption('temperature');
  await calTab.getByTestId('calibrate').click();
  const preview = calTab.getByTestId('calibration-preview');
  await expect(preview).toBeVisible({ timeout: 60_000 });
  await expect(preview.getByTestId('insight').first()).toHaveAttribute('data-code', /^calibration-/);
  await go(page, 'runs');
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(1);
  await page.goBack();
  await waitReady(page);
  // Kept: a new version (stateful update of V1.1.0), same accuracy, lineage to its parent; the
  // address follows to the calibrated run.
  await page.getByTestId('calibrate').click();
  await page.getByTestId('calibration-keep').click();
  await expect(page.getByTestId('run-view')).not.toHaveAttribute('data-run-id', parentId!, { timeout: 60_000 });
  const cal = page.getByTestId('calibration-before-after');
  await expect(cal).toBeVisible({ timeout: 60_000 });
  const rows = cal.locator('tbody tr');
  expect(await rows.nth(0).locator('td').first().textContent()).toBe(
    await rows.nth(1).locator('td').first().textContent(),
  );
  // Behavioural tests saved with the parent were rerun on the new version.
  await runTab(page, 'evaluate');
  await expect(page.getByTestId('evaluation').getByTestId('behaviour-result')).toHaveCount(2, { timeout: 60_000 });
  await go(page, 'registry');
  await expect(page.getByTestId('versions').getByTestId('lineage-label')).toHaveText(['V1.1.0', 'V1.1.1'], {
    timeout: 60_000,
  });
  await expect(page.getByTestId('versions').locator('tr[data-version="credit@2"]')).toContainText('update of 1');
});
