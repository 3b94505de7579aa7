import { expect, test, type Page } from '@playwright/test';
import { chooseBackend, openApp, openRun, train } from './helpers.ts';

/** Opens a lesson link (it runs on open) and returns its "what to notice" values and flags by key. */
async function runLink(
  page: Page,
  hash: string,
  timeout = 150_000,
): Promise<Record<string, { value: number; holds: string; text: string }>> {
  await page.goto(`/${hash}`);
  const notice = page.getByTestId('notice');
  await expect(notice).toBeVisible({ timeout });
  const items = await notice.locator('li').evaluateAll((els) =>
    els.map((e) => ({
      key: e.getAttribute('data-key')!,
      value: Number(e.getAttribute('data-value')),
      holds: e.getAttribute('data-holds') ?? '',
      text: e.textContent ?? '',
    })),
  );
  await expect(page.locator('[data-testid="lesson"] .plot').first()).toBeVisible();
  return Object.fromEntries(items.map((i) => [i.key, i]));
}

test.describe('classroom lessons, each from its link', () => {
  test('1 baselines first: the zero-rule is ~70% on german-credit; macro F1 separates it from the model', async ({
    page,
  }) => {
    const n = await runLink(page, '#lesson=baselines&model=mlp&epochs=30&seed=1&backend=wasm&run=1');
    expect(n['zero-rule-accuracy']!.value).toBeCloseTo(0.7, 1);
    expect(n['zero-rule-accuracy']!.text).toContain(`${(n['zero-rule-accuracy']!.value * 100).toFixed(1)}%`);
    expect(n['macro-f1-gap']!.holds).toBe('true');
    expect(n['macro-f1-gap']!.value).toBeGreaterThan(0);
  });

  test('the same link gives the same numbers (reproducible runs)', async ({ page, browser, baseURL }) => {
    const a = await runLink(page, '#lesson=baselines&model=logistic&epochs=10&seed=7&backend=wasm&run=1');
    // Another browser profile: nothing shared but the link.
    const ctx = await browser.newContext({ baseURL });
    const b = await runLink(
      await ctx.newPage(),
      '#lesson=baselines&model=logistic&epochs=10&seed=7&backend=wasm&run=1',
    );
    await ctx.close();
    expect(b['model-accuracy']!.value).toBe(a['model-accuracy']!.value);
    expect(b['macro-f1-gap']!.value).toBe(a['macro-f1-gap']!.value);
  });

  test('2 overfitting: the large network memorizes small data; learning curves plotted live, then noticed', async ({
    page,
  }) => {
    await page.goto('/#lesson=overfitting&small=4&large=256&epochs=30&seed=1&backend=wasm&run=1');
    // The curves grow while the eight networks train.
    await expect(page.getByTestId('lesson-live').locator('.plot')).toBeVisible({ timeout: 120_000 });
    const n = await runLink(page, '#lesson=overfitting&small=4&large=256&epochs=30&seed=1&backend=wasm&run=1', 240_000);
    expect(n['large-gap-small-data']!.holds).toBe('true');
    expect(n['large-gap-small-data']!.value).toBeGreaterThan(0.1);
    expect(Number.isFinite(n['small-saturates']!.value)).toBe(true);
  });

  test('3 calibration: temperature scaling lowers ECE without changing accuracy', async ({ page }) => {
    const n = await runLink(page, '#lesson=calibration&hidden=128&epochs=100&seed=1&backend=wasm&run=1', 240_000);
    expect(n['ece-after']!.holds).toBe('true');
    expect(n['ece-after']!.value).toBeLessThan(n['ece-before']!.value);
    expect(n['accuracy-unchanged']!.holds).toBe('true');
  });

  test('4 compression: smaller, and the loss lands unevenly across classes', async ({ page }) => {
    const n = await runLink(page, '#lesson=compression&sparsity=0.9&epochs=15&seed=1&backend=wasm&run=1', 240_000);
    expect(n['int8-size']!.value).toBeLessThan(0.3);
    expect(n['worst-class-drop']!.holds).toBe('true');
  });

  test('5 distribution shift: seattle-weather through the seasons; temp_max PSI crosses its threshold', async ({
    page,
  }) => {
    const n = await runLink(page, '#lesson=shift&trainShare=0.25&every=3&seed=1&backend=wasm&run=1', 240_000);
    expect(n['psi-crosses']!.holds).toBe('true');
    expect(n['accuracy-min']!.value).toBeLessThan(1);
    expect(n['retrain']!.text).toMatch(/stateless \d/);
  });

  test('6 A/B versus bandits: on one stream the bandit decides with fewer samples and loses fewer conversions', async ({
    page,
  }) => {
    const n = await runLink(page, '#lesson=ab-bandits&rateA=0.1&rateB=0.13&requests=8000&seed=1&run=1');
    expect(n['ab-samples']!.value).toBeGreaterThan(0);
    expect(n['bandit-samples']!.holds).toBe('true');
    expect(n['bandit-samples']!.value).toBeLessThan(n['ab-samples']!.value);
    expect(n['regret']!.holds).toBe('true');
  });

  test('7 feedback loops: diversity collapses on its own clicks; exploration keeps the catalogue open', async ({
    page,
  }) => {
    const n = await runLink(page, '#lesson=feedback&items=200&epsilon=0.2&rounds=20&seed=1&run=1');
    expect(n['collapse']!.holds).toBe('true');
    expect(n['exploration']!.holds).toBe('true');
    expect(n['exploration']!.value).toBeGreaterThan(2 * n['collapse']!.value);
  });

  test('8 data-parallel: workers train synchronously and asynchronously; staleness shown; a bigger batch wants a bigger rate', async ({
    page,
  }) => {
    const n = await runLink(
      page,
      '#lesson=data-parallel&workers=4&straggler=8&lr=0.5&budget=240&seed=1&run=1',
      240_000,
    );
    expect(n['staleness']!.holds).toBe('true');
    expect(n['wall-clock']!.holds).toBe('true');
    expect(n['big-batch']!.holds).toBe('true');
    await expect(page.getByTestId('lesson').locator('.plot')).toHaveCount(4);
  });
});

test('an experiment setup travels in a link: opened in a fresh browser, it trains the same run with the same numbers', async ({
  page,
  browser,
  baseURL,
}) => {
  await openApp(page, '#/train');
  await chooseBackend(page, 'wasm');
  await page.getByLabel('Epochs', { exact: true }).fill('4');
  await page.getByLabel('Epochs', { exact: true }).blur();
  await train(page, 120_000);
  await page.getByTestId('setup-share').click();
  const link = await page.getByTestId('setup-link').inputValue();
  expect(link).toMatch(/#setup=[A-Za-z0-9_-]+&train=1$/);
  await expect(await openRun(page)).toHaveAttribute('data-status', 'finished');
  const acc = await page.getByTestId('val-accuracy').textContent();

  const fresh = await browser.newContext({ baseURL });
  const other = await fresh.newPage();
  await other.goto(link);
  // The link opens the Train view and trains; its "Last run" step opens the run.
  await other.getByTestId('next-open-run').click({ timeout: 120_000 });
  await expect(other.getByTestId('run-view')).toHaveAttribute('data-status', 'finished');
  await expect(other.getByTestId('val-accuracy')).toHaveText(acc!);
  await expect(other.getByTestId('backend-status')).toHaveAttribute('data-backend', 'wasm');
  await fresh.close();
});

test('a lesson works with the network cut off after the first visit', async ({ page, context }) => {
  await page.goto('/#lessons');
  await expect(page.getByTestId('lessons')).toBeVisible();
  await expect(page.locator('main[data-ready="true"]')).toBeAttached({ timeout: 60_000 });
  // Once the service worker has precached everything, a reload puts the page under its control.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect(page.locator('main[data-ready="true"]')).toBeAttached({ timeout: 60_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await context.setOffline(true);
  const n = await runLink(page, '#lesson=feedback&items=100&epsilon=0.3&rounds=10&seed=2&run=1');
  expect(n['collapse']!.holds).toBe('true');
  const m = await runLink(page, '#lesson=calibration&hidden=64&epochs=40&seed=2&backend=wasm&run=1', 240_000);
  expect(Number.isFinite(m['ece-before']!.value)).toBe(true);
  await context.setOffline(false);
});
