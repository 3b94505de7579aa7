import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { cliModel, DATA_DIR, importModel, openApp, openRun } from './helpers.ts';

const WEATHER = join(DATA_DIR, 'seattle-weather.csv');

test('monitoring a weather model: drift of summer data, a monthly timeline with alerts, expectations, continual learning, fresh data', async ({
  page,
}) => {
  const model = await cliModel('seattle-weather.csv', 'weather', ['--split', 'time', '--time-column', 'date']);
  const dir = dirname(model);
  const lines = (await readFile(WEATHER, 'utf8')).trim().split('\n');
  await writeFile(
    join(dir, 'summer.csv'),
    [lines[0], ...lines.slice(1).filter((l) => ['06', '07', '08'].includes(l.slice(5, 7)))].join('\n'),
  );
  await writeFile(
    join(dir, 'odd.csv'),
    [
      'date,precipitation,temp_max,wind,weather',
      '2016-06-01,0,hot,3,sun',
      '2016-06-02,0,warm,3,hail',
      '2016-06-03,1,20,2,rain',
    ].join('\n'),
  );

  await openApp(page);
  await importModel(page, model);
  const mon = (await openRun(page, 'monitor')).getByTestId('monitor');

  // Summer against the all-season training rows: temperatures drift; the label mix too.
  await mon.getByTestId('monitor-file').setInputFiles(join(dir, 'summer.csv'));
  await expect(mon.getByTestId('monitor-current')).toContainText('summer.csv');
  await mon.getByTestId('monitor-drift').click();
  await expect(mon.getByTestId('drift-table')).toBeVisible({ timeout: 60_000 });
  await expect(mon.locator('[data-feature="temp_max"]')).toHaveAttribute('data-verdict', 'drift');
  expect(Number(await mon.getByTestId('drift-summary').getAttribute('data-drifted'))).toBeGreaterThanOrEqual(3);
  await expect(mon.getByTestId('prediction-drift')).toContainText('chi-square');
  await expect(mon.getByTestId('monitor-performance')).toContainText('accuracy');

  // Expectations from the training rows: saved with the model, broken by summer.
  await mon.getByTestId('expect-suggest').click();
  await expect(mon.getByTestId('expect-json')).toHaveValue(/"kind": "between"/, { timeout: 30_000 });
  await mon.getByTestId('expect-save').click();
  await expect(mon.getByTestId('expect-saved')).toContainText('expectations saved with this model');
  await mon.getByTestId('expect-run').click();
  await expect(mon.getByTestId('expect-results')).toBeVisible({ timeout: 30_000 });
  expect(Number(await mon.getByTestId('expect-summary').getAttribute('data-failed'))).toBeGreaterThan(0);
  await expect(mon.getByTestId('expect-results')).toContainText('mean of "temp_max"');

  // Bad new data: findings, not a crash.
  await mon.getByTestId('monitor-file').setInputFiles(join(dir, 'odd.csv'));
  await expect(mon.getByTestId('monitor-current')).toContainText('odd.csv');
  await mon.getByTestId('monitor-drift').click();
  await expect(mon.getByTestId('schema-findings')).toContainText('temp_min', { timeout: 60_000 });
  await expect(mon.getByTestId('schema-findings')).toContainText('"hail" × 1');
  await expect(mon.getByTestId('schema-findings')).toContainText('type changed');

  // Monthly timeline of the model's own dataset: alerts, once per shift.
  await mon.getByTestId('window-unit').selectOption('month');
  await mon.getByTestId('monitor-timeline').click();
  await expect(mon.getByTestId('alerts')).toBeVisible({ timeout: 90_000 });
  await expect(mon.getByTestId('alerts')).toContainText('PSI');
  const alerts = await mon.getByTestId('alerts').locator('tbody tr').count();
  expect(alerts).toBeGreaterThan(1);
  expect(alerts).toBeLessThan(48 * 6); // far fewer than windows × features
  // Own rules: one on the model's accuracy per month; a malformed list is refused with the reason.
  await mon.locator('summary', { hasText: 'Your own alert rules' }).click();
  await mon.getByTestId('alert-rules').fill('[{"name": "bad"}]');
  await mon.getByTestId('monitor-timeline').click();
  await expect(mon.getByTestId('rules-error')).toContainText('rule 1 needs name, metric');
  await mon.getByTestId('alert-rules').fill(
    JSON.stringify([
      {
        name: 'accuracy floor',
        metric: 'accuracy',
        feature: '*',
        op: '<',
        threshold: 0.99,
        severity: 'critical',
        cooldown: 100,
      },
    ]),
  );
  await mon.getByTestId('monitor-timeline').click();
  await expect(mon.getByTestId('alerts').locator('tbody tr')).toHaveCount(1, { timeout: 90_000 });
  await expect(mon.getByTestId('alerts')).toContainText('accuracy floor: accuracy');

  // Continual learning on the held-out months: both strategies, backtested, registered with lineage.
  await mon.getByTestId('trigger-every').fill('3');
  await mon.getByTestId('continual-run').click();
  await expect(mon.getByTestId('continual-versions')).toBeVisible({ timeout: 120_000 });
  await expect(mon.getByTestId('continual-versions')).toContainText('stateful fine-tune');
  await expect(mon.getByTestId('continual-summary')).toContainText('never retrained');
  await mon.getByTestId('continual-register').click();
  await expect(mon.getByTestId('continual-registered')).toContainText('@2 (', { timeout: 60_000 });
  const registered = await mon.getByTestId('continual-registered').textContent();
  // The run itself is V1.1.0; stateless retrains bump the minor (V1.2.0, V1.3.0 …), stateful
  // fine-tunes the patch of the chain they continue (V1.1.1, V1.1.2 …).
  expect(registered).toMatch(/@1 \(V1\.1\.0\)/);
  expect(registered).toMatch(/\(V1\.2\.0, stateless\)/);
  expect(registered).toMatch(/\(V1\.1\.1, stateful\)/);
  expect(registered).toMatch(/\(V1\.1\.2, stateful\)/);

  // The value of fresh data.
  await mon.getByTestId('fresh-run').click();
  await expect(mon.getByTestId('fresh-table').locator('tbody tr')).toHaveCount(7, { timeout: 120_000 });
});
