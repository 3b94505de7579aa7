import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';

/**
 * Every view, with its panels open and results shown, at the widths people use: no sideways page
 * scroll, no serious or critical accessibility violations (axe-core), unique names for form controls.
 */

const WIDTHS = [1440, 1280, 1024, 390];

async function ready(page: Page, hash: string): Promise<void> {
  await page.goto(`/${hash}`);
  await expect(page.locator('main[data-ready="true"]')).toBeVisible({ timeout: 60_000 });
}

/** Opens every collapsed section of the view, so what it holds is measured too. */
async function openAll(page: Page): Promise<void> {
  await page.evaluate(() => document.querySelectorAll('main details').forEach((d) => d.setAttribute('open', '')));
}

async function overflow(page: Page): Promise<{ scroll: number; inner: number; culprits: string[] }> {
  return page.evaluate(() => {
    const inner = innerWidth;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > inner + 1 && getComputedStyle(e).position !== 'fixed';
      })
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}[${e.getAttribute('data-testid') ?? ''}]`);
    return { scroll: document.documentElement.scrollWidth, inner, culprits };
  });
}

/** Form controls sharing an accessible name (two comboboxes both called "Model" cannot be told apart). */
async function duplicateNames(page: Page): Promise<string[]> {
  const seen = new Map<string, number>();
  for (const role of ['combobox', 'textbox', 'spinbutton', 'checkbox', 'slider', 'searchbox'] as const) {
    for (const el of await page.locator('main').getByRole(role).all()) {
      if (!(await el.isVisible())) continue;
      const name = await el.evaluate((e) => {
        const l = (e as HTMLInputElement).labels?.[0]?.textContent ?? '';
        return (e.getAttribute('aria-label') ?? l).replace(/\s+/g, ' ').trim();
      });
      const key = `${role}: ${name}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
}

test('every view holds from 390 to 1440 px, passes axe, and names its controls uniquely', async ({ page }) => {
  test.setTimeout(300_000);
  await ready(page, '#/train');
  await page.getByLabel('Epochs', { exact: true }).fill('3');
  await page.getByLabel('Epochs', { exact: true }).blur();
  await page.getByTestId('train').click();
  await page.getByTestId('next-open-run').click({ timeout: 120_000 });
  const run = page.getByTestId('run-view');
  await expect(run).toHaveAttribute('data-status', 'finished');
  const runId = (await run.getAttribute('data-run-id'))!;
  await page.getByTestId('register').click();
  await expect(page.locator('[role=status].notice')).toContainText('Registered');

  // Results that make the views widest: an evaluation and a compression.
  await page.getByTestId('tab-evaluate').click();
  await openAll(page);
  await page.getByTestId('evaluate').click();
  await expect(page.getByTestId('eval-metrics').first()).toBeVisible({ timeout: 120_000 });
  await page.getByTestId('tab-compress').click();
  await page.getByTestId('compress').click();
  await expect(page.getByTestId('compression-table')).toBeVisible({ timeout: 120_000 });

  const hashes = [
    '#/data',
    '#/train',
    '#/runs',
    ...['', '/evaluate', '/calibrate', '/compress', '/cloud', '/rehearse', '/monitor', '/batch'].map(
      (t) => `#/run/${runId}${t}`,
    ),
    '#/registry',
    `#/registry/card/${encodeURIComponent(`${'digits-8x8'}@1`)}`,
    '#/lessons',
  ];
  const problems: string[] = [];
  for (const hash of hashes) {
    // In-page navigation keeps the results computed above (a reload would drop the unsaved ones).
    await page.evaluate((h) => (location.hash = h), hash);
    await expect(page.locator('main')).toHaveAttribute('data-ready', 'true');
    await page.waitForTimeout(300);
    await openAll(page);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(250);
      const o = await overflow(page);
      if (o.scroll > o.inner)
        problems.push(`${hash} at ${width}px: page ${o.scroll} px wide (${o.culprits.join(', ')})`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    const axe = await new AxeBuilder({ page }).analyze();
    for (const v of axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'))
      problems.push(`${hash}: axe ${v.impact} ${v.id} (${v.nodes.length}): ${v.nodes[0]?.target.join(' ')}`);
    for (const d of await duplicateNames(page)) problems.push(`${hash}: duplicate name ${d}`);
  }
  console.log(problems.join('\n') || 'no problems');
  expect(problems).toEqual([]);
});

test('views have their own addresses: links, back and forward, and a lesson link followed in the page', async ({
  page,
}) => {
  await ready(page, '#/data');
  await expect(page.getByTestId('data-view')).toBeVisible();
  await page.getByTestId('view-train').click();
  await expect(page).toHaveURL(/#\/train$/);
  await expect(page.getByTestId('train-view')).toBeVisible();
  await page.getByTestId('view-runs').click();
  await expect(page.getByTestId('runs-view')).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('train-view')).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId('data-view')).toBeVisible();
  await page.goForward();
  await expect(page.getByTestId('train-view')).toBeVisible();
  await expect(page.getByTestId('view-train')).toHaveAttribute('aria-current', 'page');

  // A lesson link entered while on another view (only the hash changes) shows and runs that lesson.
  await page.evaluate(() => (location.hash = '#lesson=calibration&run=1'));
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'calibration');
  await expect(page.getByTestId('notice')).toBeVisible({ timeout: 120_000 });
});

test('a journey done with the keyboard alone: pick the view, train, open the run, evaluate', async ({ page }) => {
  await ready(page, '#/data');
  const focusAndPress = async (testid: string, key = 'Enter') => {
    // Tab until the control has the focus, as a keyboard user would.
    for (let i = 0; i < 200; i++) {
      if (await page.getByTestId(testid).evaluate((e) => e === document.activeElement)) break;
      await page.keyboard.press('Tab');
    }
    await expect(page.getByTestId(testid)).toBeFocused();
    await page.keyboard.press(key);
  };
  await focusAndPress('view-train');
  await expect(page.getByTestId('train-view')).toBeVisible();
  await focusAndPress('train');
  await expect(page.getByTestId('next-open-run')).toBeVisible({ timeout: 120_000 });
  await focusAndPress('next-open-run');
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-status', 'finished');
  await focusAndPress('tab-evaluate');
  await expect(page.getByTestId('run-tab-evaluate')).toBeVisible();
  await focusAndPress('evaluate');
  await expect(page.getByTestId('eval-metrics').first()).toBeVisible({ timeout: 120_000 });
});
