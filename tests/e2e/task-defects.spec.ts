import { expect, test, type Page } from '@playwright/test';
import { chooseBackend, go, openApp, openRun, runTab, train, waitForPlotly, waitReady } from './helpers.ts';

// Defects of issue 15, each checked where only a browser can: storage across a reload, layout, Plotly's drawing.
// 8 votes (3 y, 5 n) and one missing cell; the shares below are counted from these rows.
const VOTES = [
  'party,vote,age',
  ...'n,y,n,n,y,n,y,n,'.split(',').map((v, i) => `${i % 2 ? 'r' : 'd'},${v},${20 + i * 3}`),
];

/** Boxes of two kinds of SVG element in every chart on the page that overlap. */
async function overlaps(page: Page, a: string, b: string): Promise<string[]> {
  return page.evaluate(
    ([a, b]) => {
      const hit: string[] = [];
      for (const plot of document.querySelectorAll('.js-plotly-plot')) {
        for (const x of plot.querySelectorAll(a))
          for (const y of plot.querySelectorAll(b)) {
            const r = x.getBoundingClientRect(),
              s = y.getBoundingClientRect();
            if (!r.width || !s.width) continue;
            if (r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom)
              hit.push(`${plot.closest('[aria-label]')?.getAttribute('aria-label')}: ${a} × ${b}`);
          }
      }
      return hit;
    },
    [a, b],
  );
}

test('data: a label picker on top with its task and classes; yes/no columns say which value is which', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 900 });
  await openApp(page);
  await page
    .getByLabel('Import your file (CSV, TSV or JSON records)')
    .setInputFiles({ name: 'votes.csv', mimeType: 'text/csv', buffer: Buffer.from(VOTES.join('\n')) });
  await expect(page.getByTestId('dataset-name')).toHaveText('votes.csv');
  const vote = page.locator('tr[data-column="vote"]');
  await expect(vote.getByTestId('column-values')).toHaveText('y 37.5% · n 62.5%');

  const picker = page.getByRole('combobox', { name: 'Label (what to predict)' });
  await picker.selectOption('vote');
  // Exactly what the Role dropdown does.
  await expect(page.getByLabel('Role of column vote')).toHaveValue('label');
  await expect(page.getByTestId('label-summary')).toHaveText('Classification: 2 classes: y 37.5% · n 62.5%');
  await page.getByLabel('Role of column party').selectOption('label');
  await expect(picker).toHaveValue('party');

  // The schema table scrolls in its own box, its header sticky: the Values column is reachable.
  const box = page.getByTestId('schema-table');
  expect(await box.evaluate((e) => getComputedStyle(e).overflowX)).toBe('auto');
  expect(
    await box
      .locator('thead th')
      .first()
      .evaluate((e) => getComputedStyle(e).position),
  ).toBe('sticky');
  await box.locator('thead th', { hasText: 'Values' }).scrollIntoViewIfNeeded();
  await expect(box.locator('thead th', { hasText: 'Values' })).toBeInViewport();
  // The box itself stays inside the window (the page's header is the lead's: not asserted here).
  const b = (await box.boundingBox())!;
  expect(b.x + b.width).toBeLessThanOrEqual(390);
  expect(await box.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
});

test('train: the family picker is "Model family"; derive buttons say what they make; latency survives a reload; legends clear axis titles', async ({
  page,
}) => {
  test.setTimeout(420_000);
  await openApp(page, '#/train');
  await expect(page.getByRole('combobox', { name: 'Model family' })).toHaveAttribute('data-testid', 'model-kind');
  await chooseBackend(page, 'wasm');
  await go(page, 'data');
  await page.getByLabel('Shipped dataset').selectOption('german-credit');
  await expect(page.getByTestId('dataset-name')).toHaveText('german-credit.csv');
  await go(page, 'train');
  await page.getByLabel('Epochs', { exact: true }).fill('5');
  await page.getByLabel('Epochs', { exact: true }).blur();
  await waitForPlotly(page);
  await train(page, 60_000);
  const view = await openRun(page);
  await expect(view).toHaveAttribute('data-status', 'finished');
  const runId = await view.getAttribute('data-run-id');

  // Legends sit under the x-axis title, titles stay inside their chart.
  await expect(view.locator('.js-plotly-plot .legend').first()).toBeAttached();
  expect(await overlaps(page, '.legend', '.xtitle')).toEqual([]);
  expect(await overlaps(page, '.legend', '.gtitle')).toEqual([]);
  // The toolbar (shown on hover) sits in its own band above the title, at a wide and a narrow width.
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(1000);
    const plot = view.locator('.js-plotly-plot').first();
    await plot.hover();
    await expect(plot.locator('.modebar')).toBeVisible();
    expect(await overlaps(page, '.gtitle', '.modebar')).toEqual([]);
    expect(await overlaps(page, '.legend', '.xtitle')).toEqual([]);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  await runTab(page, 'compress');
  const panel = page.getByTestId('compression');
  // Not a registered model: the button says it makes a run; once registered, a version of it.
  await expect(panel.getByTestId('compress')).toHaveText('Compress → new run');
  await runTab(page, 'overview');
  await page.getByTestId('register-name').fill('credit');
  await page.getByTestId('register').click();
  await go(page, 'registry');
  await expect(page.getByTestId('versions').getByTestId('lineage-label')).toHaveText(['V1.1.0']);
  await page.goto(`/#/run/${runId}/compress`);
  await waitReady(page);
  await expect(panel.getByTestId('compress')).toHaveText('Compress → new version of credit');
  await panel.getByTestId('compress-method').selectOption('int8');
  await panel.getByTestId('compress').click();
  await expect(page.getByTestId('compression-table')).toBeVisible({ timeout: 60_000 });
  await go(page, 'registry');
  await expect(page.getByTestId('versions').getByTestId('lineage-label')).toHaveText(['V1.1.0', 'V1.1.1'], {
    timeout: 60_000,
  });
  await page.goto(`/#/run/${runId}/compress`);
  await waitReady(page);

  await panel.getByTestId('measure').click();
  const table = panel.getByTestId('compression-table');
  await expect(table.locator('thead')).toContainText('tfjs wasm p50', { timeout: 120_000 });
  await expect(panel.getByTestId('measure')).toHaveText('Measure latency', { timeout: 240_000 });
  const measured = await table.locator('tbody tr').allTextContents();
  expect(measured.join(' ')).toMatch(/\d+\.\d+ \/ \d+\.\d+, [\d,]+/);

  await page.reload();
  await expect(page.locator('main[data-ready="true"]')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-run-id', runId!);
  const again = page.getByTestId('compression');
  await expect(again.getByTestId('compression-table').locator('thead')).toContainText('tfjs wasm p50');
  await expect(again.getByTestId('compression-table').locator('tbody tr')).toHaveText(measured);
});
