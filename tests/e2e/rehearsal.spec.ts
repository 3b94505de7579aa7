import { expect, test, type Locator, type Page } from '@playwright/test';
import { cliModel, importModel, openApp, openRun, runTab, serve, waitReady } from './helpers.ts';

async function trainAndImport(page: Page): Promise<string> {
  const model = await cliModel('wine.csv', 'cultivar');
  await openApp(page);
  await importModel(page, model);
  return model;
}

const summary = (panel: Locator, name: string) =>
  panel.locator(`[data-testid="rehearsal-summary"] td[data-name^="${name}"]`);

async function rehearse(
  panel: Locator,
  o: { kind: string; champion: 'local' | 'remote'; challenger: string; requests: number },
) {
  await panel.getByTestId('rehearsal-kind').selectOption(o.kind);
  await panel.getByTestId('rehearsal-champion').selectOption(o.champion);
  await panel.getByTestId('rehearsal-challenger').selectOption(o.challenger);
  await panel.getByTestId('rehearsal-requests').fill(String(o.requests));
}
async function runIt(panel: Locator, kind: string) {
  await panel.getByTestId('rehearsal-run').click();
  await expect(panel.locator(`[data-testid="rehearsal-result"][data-kind="${kind}"]`)).toBeVisible({ timeout: 90_000 });
}

test('production rehearsals against benchtop serve: shadow, canary rollback, smooth failing, A/B, bandits — saved with the run', async ({
  page,
  baseURL,
}) => {
  const model = await trainAndImport(page);
  const origin = new URL(baseURL!).origin;
  const good = await serve(['--model', model, '--name', 'wine', '--cors-origin', origin]);
  const faulty = await serve([
    '--model',
    model,
    '--name',
    'wine',
    '--cors-origin',
    origin,
    '--error-rate',
    '0.4',
    '--seed',
    '3',
  ]);
  try {
    // The endpoint is set in the run's "Compare with cloud" tab; the rehearsals use it in theirs.
    await openRun(page, 'cloud');
    const cloud = page.getByTestId('cloud-compare');
    await cloud.getByTestId('endpoint-url').fill(good.url);
    await cloud.getByTestId('endpoint-model').fill('wine');
    await runTab(page, 'rehearse');
    const panel = page.getByTestId('rehearsals');

    // Shadow: the same model in the page and on the server agree on every request.
    await rehearse(panel, { kind: 'shadow', champion: 'local', challenger: 'remote', requests: 120 });
    await runIt(panel, 'shadow');
    await expect(summary(panel, 'Agreement')).toHaveText('100.0%');
    await expect(summary(panel, 'Challenger errors')).toHaveText('0');
    await expect(panel.locator('.plot')).toHaveCount(2);

    // Canary against a server failing 40% of calls: rolled back on the error rate.
    await runTab(page, 'cloud');
    await cloud.getByTestId('endpoint-url').fill(faulty.url);
    await runTab(page, 'rehearse');
    await rehearse(panel, { kind: 'canary', champion: 'local', challenger: 'remote', requests: 400 });
    await panel.getByTestId('canary-steps').fill('10, 50, 100');
    await panel.getByTestId('canary-per-step').fill('10');
    await runIt(panel, 'canary');
    await expect(summary(panel, 'Outcome')).toContainText('rolled back');
    await expect(summary(panel, 'Rollback reason')).toContainText('error rate');
    await expect(panel.getByTestId('rehearsal-log')).toContainText('ROLLED BACK');

    // Smooth failing: the faulty server is the primary; the heuristic answers its failures.
    await rehearse(panel, { kind: 'fallback', champion: 'remote', challenger: 'heuristic', requests: 100 });
    await panel.getByTestId('fallback-timeout').fill('3000');
    await runIt(panel, 'fallback');
    await expect(summary(panel, 'Requests answered')).toHaveText('100 of 100');
    const fallbacks = Number(await summary(panel, 'Fallbacks').getAttribute('data-value'));
    expect(fallbacks).toBeGreaterThan(15);
    expect(fallbacks).toBeLessThan(70);
    await expect(panel.getByTestId('rehearsal-log').locator('tbody tr')).toHaveCount(fallbacks);
    await expect(panel.getByTestId('rehearsal-log')).toContainText('injected fault');

    // A/B: the model against always-the-majority-class: decided, and an always-valid p below α.
    await rehearse(panel, { kind: 'ab', champion: 'local', challenger: 'heuristic', requests: 400 });
    await runIt(panel, 'ab');
    const decided = await summary(panel, 'Decision').getAttribute('data-value');
    expect(Number(decided)).toBeGreaterThan(1);
    expect(Number(decided)).toBeLessThan(400);
    expect(Number(await summary(panel, 'Always-valid p').getAttribute('data-value'))).toBeLessThan(0.05);

    // Bandits: four policies' regret, the model found to be the better version.
    await rehearse(panel, { kind: 'bandit', champion: 'local', challenger: 'heuristic', requests: 500 });
    await runIt(panel, 'bandit');
    await expect(summary(panel, 'Better version')).toHaveText('champion');
    const regret = async (name: string) =>
      Number((await summary(panel, name).getAttribute('data-value'))!.split(' / ')[0]);
    expect(await regret('Thompson')).toBeLessThan(await regret('50/50'));

    // Saved with the run: still there after a reload.
    await page.reload();
    await waitReady(page);
    await expect(page.getByTestId('rehearsal-saved').locator('li')).toHaveCount(5, { timeout: 30_000 });
    await page
      .getByTestId('rehearsal-saved')
      .getByRole('button', { name: /Show Canary/ })
      .click();
    await expect(summary(page.getByTestId('rehearsals'), 'Outcome')).toContainText('rolled back');
  } finally {
    good.proc.kill();
    faulty.proc.kill();
  }
});

test('a stalling server costs each call at most the per-call timeout; the timeouts are counted and shown', async ({
  page,
  baseURL,
}) => {
  const model = await trainAndImport(page);
  const origin = new URL(baseURL!).origin;
  // A third of the calls never answer (the server holds the connection open).
  const stalling = await serve([
    '--model',
    model,
    '--name',
    'wine',
    '--cors-origin',
    origin,
    '--stall-rate',
    '0.3',
    '--seed',
    '5',
  ]);
  try {
    await openRun(page, 'cloud');
    const cloud = page.getByTestId('cloud-compare');
    await cloud.getByTestId('endpoint-url').fill(stalling.url);
    await cloud.getByTestId('endpoint-model').fill('wine');
    await runTab(page, 'rehearse');
    const panel = page.getByTestId('rehearsals');
    await expect(panel.getByRole('spinbutton', { name: 'Per-call timeout (ms)' })).toHaveValue('2000');
    await expect(panel.getByRole('spinbutton', { name: 'Requests in flight' })).toHaveValue('8');

    // An unusable limit is refused naming the field, and the rehearsal cannot start.
    await panel.getByRole('spinbutton', { name: 'Requests in flight' }).fill('0');
    await expect(panel.getByTestId('rehearsal-limits-problem')).toContainText('Requests in flight');
    await expect(panel.getByTestId('rehearsal-run')).toBeDisabled();

    await panel.getByRole('spinbutton', { name: 'Requests in flight' }).fill('8');
    await panel.getByRole('spinbutton', { name: 'Per-call timeout (ms)' }).fill('400');
    await rehearse(panel, { kind: 'shadow', champion: 'local', challenger: 'remote', requests: 80 });
    const t0 = Date.now();
    await runIt(panel, 'shadow');
    // About 80 / 8 × 400 ms at worst; one call at a time without a limit would wait on every stall.
    expect(Date.now() - t0).toBeLessThan(30_000);
    const timedOut = Number(await summary(panel, 'Challenger timeouts').getAttribute('data-value'));
    expect(timedOut).toBeGreaterThan(5);
    expect(timedOut).toBeLessThan(50);
    await expect(panel.getByTestId('rehearsal-timeouts')).toHaveAttribute('data-timed-out', String(timedOut));
    await expect(panel.getByTestId('rehearsal-timeouts')).toContainText(
      `Calls that timed out: ${timedOut} · each call abandoned after 400 ms · 8 requests in flight`,
    );
    await expect(summary(panel, 'Champion timeouts')).toHaveText('0');
  } finally {
    stalling.proc.kill();
  }
});

test('batch versus online prediction, and the auth header stored only when asked', async ({ page }) => {
  await trainAndImport(page);
  const section = await openRun(page, 'batch');
  await section.getByTestId('batch-precompute').click();
  await expect(section.getByTestId('batch-set')).toHaveAttribute('data-rows', '178', { timeout: 60_000 });
  await section.getByRole('spinbutton', { name: 'Rows to measure' }).fill('40');
  await section.getByTestId('batch-measure').click();
  const table = section.getByTestId('batch-measure-table');
  await expect(table).toBeVisible({ timeout: 60_000 });
  await expect(table).toHaveAttribute('data-agree', '40');
  expect(Number(await table.getAttribute('data-lookup-p50'))).toBeGreaterThan(0);
  expect(Number(await table.getAttribute('data-online-p50'))).toBeGreaterThan(0);

  // The auth header: in memory only, unless the person ticks "store".
  const cloud = page.getByTestId('cloud-compare');
  const open = async () => {
    await waitReady(page);
    await runTab(page, 'cloud');
  };
  await open();
  await cloud.getByTestId('endpoint-model').fill('wine');
  await cloud.getByTestId('endpoint-auth').fill('Authorization: Bearer s3cret');
  await cloud.getByTestId('endpoint-check').click();
  await expect(cloud.getByTestId('endpoint-saved')).toContainText('auth header is not stored');
  await page.reload();
  await open();
  await expect(cloud.getByTestId('endpoint-model')).toHaveValue('wine', { timeout: 30_000 });
  await expect(cloud.getByTestId('endpoint-auth')).toHaveValue('');
  await cloud.getByTestId('endpoint-auth').fill('Authorization: Bearer s3cret');
  await cloud.getByTestId('endpoint-store-secret').check();
  await expect(cloud.getByTestId('endpoint-saved')).toContainText('auth header stored');
  await page.reload();
  await open();
  await expect(cloud.getByTestId('endpoint-auth')).toHaveValue('Authorization: Bearer s3cret', { timeout: 30_000 });
  await cloud.getByTestId('endpoint-store-secret').uncheck();
  await expect(cloud.getByTestId('endpoint-saved')).toContainText('auth header is not stored');
  await page.reload();
  await open();
  await expect(cloud.getByTestId('endpoint-auth')).toHaveValue('');
});
