import { readFile, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { expect, test, type Page } from '@playwright/test';
import { go, openApp, openBackendPanel, openRun, seedVersion1Database, train } from './helpers.ts';

/** The rows of the Runs view's table. */
const rows = (page: Page) => page.getByTestId('runs-table').locator('tbody tr');

/** Trains a decision tree in the Train view, checks it joined the runs, and opens it. */
async function trainTree(page: Page, depth: string, seed: string) {
  await go(page, 'runs');
  const before = await rows(page).count();
  await go(page, 'train');
  await page.getByTestId('model-kind').selectOption('tree');
  await page.getByLabel('Max depth').fill(depth);
  await page.getByLabel('Seed', { exact: true }).fill(seed);
  await page.getByLabel('Seed', { exact: true }).blur();
  await train(page, 60_000);
  await expect(await openRun(page)).toHaveAttribute('data-status', 'finished');
  await go(page, 'runs');
  await expect(rows(page)).toHaveCount(before + 1);
}

test('a version-1 database opens in the newest schema (v5) with nothing lost', async ({ page }) => {
  await seedVersion1Database(page, [
    {
      store: 'runs',
      value: {
        format: 'benchtop-run@1',
        id: 'old-run',
        name: 'Old run from v1',
        status: 'completed',
        createdAt: '2026-01-01T00:00:00.000Z',
        durationMs: 1,
        dataset: { id: 'd1', name: 'old.csv', rows: 3 },
        label: 'y',
        task: 'classification',
        features: ['x'],
        split: { kind: 'random', fractions: [0.7, 0.15, 0.15], seed: 1 },
        splitSizes: { train: 2, validation: 1, test: 0 },
        config: {
          model: { kind: 'logistic', hidden: [], activation: 'relu', dropout: 0, l2: 0 },
          epochs: 1,
          batchSize: 32,
          learningRate: 0.001,
          optimizer: 'adam',
          seed: 1,
        },
        history: [],
        metrics: { train: { loss: 0.5, accuracy: 0.5 }, validation: { loss: 0.6, accuracy: 0.55 } },
        samplesPerSecond: 1,
        environment: { backend: 'cpu', backendReason: '', runtime: 'x', appVersion: '0.0.1' },
        fingerprint: { rows: [], outputs: [] },
      },
    },
    {
      store: 'datasets',
      value: { id: 'd1', name: 'old.csv', label: 'y', savedAt: '2026-01-01', table: { __blob: [1, 2, 3] } },
    },
  ]);
  await openApp(page, '#/runs');
  const item = rows(page).and(page.locator('[data-run-id="old-run"]'));
  await expect(item).toContainText('Old run from v1');
  await expect(item.getByTestId('row-status')).toHaveText('finished');
  const migrated = await page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((resolve) => {
      const r = indexedDB.open('benchtop');
      r.onsuccess = () => resolve(r.result);
    });
    const get = (store: string, key: IDBValidKey) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw IndexedDB records
      new Promise<any>((resolve) => {
        const r = db.transaction(store).objectStore(store).get(key);
        r.onsuccess = () => resolve(r.result);
      });
    const out = {
      version: db.version,
      stores: [...db.objectStoreNames],
      run: await get('runs', 'old-run'),
      dataset: await get('datasets', 'd1'),
      experiment: await get('experiments', 'default'),
    };
    db.close();
    return { ...out, datasetBytes: out.dataset.table.size };
  });
  expect(migrated.version).toBe(5);
  // v4: the flat config of a version-1 run becomes its family's params.
  expect(migrated.run.config).toMatchObject({
    kind: 'logistic',
    params: { epochs: 1, learningRate: 0.001, optimizer: 'adam', l2: 0 },
  });
  expect(migrated.run.format).toBe('benchtop-run@2');
  expect(migrated.stores).toEqual(
    expect.arrayContaining([
      'versions',
      'versionModels',
      'aliases',
      'aliasAudit',
      'cards',
      'experiments',
      'rehearsals',
      'predictionSets',
      'predictionChunks',
      'latency',
    ]),
  );
  expect(migrated.run).toMatchObject({
    experimentId: 'default',
    tags: [],
    status: 'finished',
    metrics: { validation: { accuracy: 0.55 } },
  });
  expect(migrated.dataset).toMatchObject({ name: 'old.csv', provenance: 'imported file', bytes: 3 });
  expect(migrated.datasetBytes).toBe(3);
  expect(migrated.experiment.name).toBe('Default');
});

test('registry: versions with lineage, aliases with audit and rollback, a model card, and a bundle restored in a fresh browser', async ({
  page,
  browser,
}) => {
  await openApp(page);
  await page.getByLabel('Shipped dataset').selectOption('wine');
  await expect(page.getByTestId('dataset-name')).toHaveText('wine.csv');
  await trainTree(page, '3', '1');
  await trainTree(page, '3', '2');
  await go(page, 'train');
  await page.getByTestId('model-kind').selectOption('knn');
  await train(page, 60_000);
  await expect(await openRun(page)).toContainText('k-nearest');
  await go(page, 'runs');
  await expect(rows(page)).toHaveCount(3);

  // Register oldest first (the table lists the newest first).
  const ids = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run-id')!).reverse());
  for (const id of ids) {
    await go(page, 'runs');
    await page.locator(`tr[data-run-id="${id}"] button.open`).click();
    await expect(page.getByTestId('run-view')).toHaveAttribute('data-run-id', id);
    await page.getByTestId('register-name').fill('wine');
    await page.getByTestId('register').click();
    await expect(page.getByRole('status').filter({ hasText: 'Registered wine@' })).toBeVisible();
  }
  await go(page, 'registry');
  await expect(page.getByTestId('versions').getByTestId('lineage-label')).toHaveText(['V1.1.0', 'V1.2.0', 'V2.1.0']);

  const promote = async (version: string, reason: string) => {
    await page.getByTestId('alias-target').selectOption(version);
    await page.getByTestId('alias-reason').fill(reason);
    await page.getByTestId('promote').click();
    await expect(page.getByTestId('audit').locator('tbody tr').first()).toContainText(reason);
  };
  await promote('wine@1', 'first model');
  await promote('wine@3', 'better validation accuracy');
  await page.getByTestId('alias-reason').fill('knn is slow in production');
  await page.getByTestId('rollback').click();
  const audit = page.getByTestId('audit').locator('tbody tr');
  await expect(audit).toHaveCount(3);
  await expect(audit.first()).toContainText('rollback: knn is slow in production');
  await expect(audit.first()).toContainText('wine@3');
  await expect(page.getByTestId('versions').locator('tr[data-version="wine@1"]')).toContainText('champion');

  // Model card with prose, exported as Markdown and HTML.
  await page.getByRole('button', { name: 'Model card of wine@1' }).click();
  const card = page.getByTestId('model-card');
  await card.getByTestId('card-limitations').fill('Only 178 wines from one region\nThree cultivars');
  await card.getByTestId('card-save').click();
  await expect(card.getByTestId('card-save')).toHaveText('Saved');
  const md = page.waitForEvent('download');
  await card.getByTestId('card-md').click();
  const dir = await mkdtemp(join(tmpdir(), 'benchtop-reg-'));
  await (await md).saveAs(join(dir, 'card.md'));
  const mdText = await readFile(join(dir, 'card.md'), 'utf8');
  expect(mdText).toContain('# Model card: wine');
  expect(mdText).toContain('- Only 178 wines from one region');
  expect(mdText).toMatch(/\| accuracy \| test \| overall \| \d\.\d{4} \|/);
  // The card is a dialog with its own address; closing it returns to the registry.
  await expect(page).toHaveURL(/#\/registry\/card\/wine%401$/);
  await card.getByRole('button', { name: 'Close the model card' }).click();
  await expect(card).toHaveCount(0);
  await expect(page).toHaveURL(/#\/registry$/);

  // Bundle of all versions, imported into a fresh browser profile.
  for (const v of ['wine@1', 'wine@2', 'wine@3'])
    await page.getByRole('checkbox', { name: `Pick ${v} for a bundle` }).check();
  const dl = page.waitForEvent('download');
  await page.getByTestId('export-version-bundle').click();
  const bundle = join(dir, 'bundle.zip');
  await (await dl).saveAs(bundle);

  const fresh = await browser.newContext();
  const p2 = await fresh.newPage();
  await openApp(p2, '#/runs');
  // A tampered copy is refused and changes nothing.
  const files = unzipSync(new Uint8Array(await readFile(bundle)));
  const runPath = Object.keys(files).find((f) => f.endsWith('/run.json'))!;
  files[runPath] = new TextEncoder().encode(new TextDecoder().decode(files[runPath]).replace('"finished"', '"failed"'));
  await writeFile(join(dir, 'tampered.zip'), zipSync(files));
  await p2.getByTestId('import-bundle').setInputFiles(join(dir, 'tampered.zip'));
  await expect(p2.getByTestId('error')).toContainText('does not match its checksum');
  await expect(rows(p2)).toHaveCount(0);

  await p2.getByTestId('import-bundle').setInputFiles(bundle);
  await expect(rows(p2)).toHaveCount(3);
  await go(p2, 'registry');
  await expect(p2.getByTestId('versions').getByTestId('lineage-label')).toHaveText(['V1.1.0', 'V1.2.0', 'V2.1.0']);
  await go(p2, 'runs');
  await p2.locator(`tr[data-run-id="${ids[0]}"] button.open`).click();
  await p2.getByTestId('check-model').click();
  expect(Number(await p2.getByTestId('check-result').getAttribute('data-max-diff'))).toBe(0);
  await fresh.close();
});

test('lists update live across tabs; runs can be searched, tagged and compared', async ({ page, context }) => {
  await openApp(page);
  const other = await context.newPage();
  await openApp(other, '#/runs');
  await page.getByLabel('Shipped dataset').selectOption('wine');
  await expect(page.getByTestId('dataset-name')).toHaveText('wine.csv');
  await trainTree(page, '2', '1');
  await expect(rows(other)).toHaveCount(1);
  await trainTree(page, '5', '1');
  await expect(rows(other)).toHaveCount(2);

  await openRun(page);
  await page.getByTestId('run-tags').fill('deep, candidate');
  await page.getByTestId('run-tags').blur();
  await expect(other.getByTestId('runs-table').locator('.tag')).toHaveText(['deep', 'candidate']);
  await go(page, 'runs');
  await page.getByTestId('run-search').fill('tag:deep');
  await expect(rows(page)).toHaveCount(1);
  await page.getByTestId('run-search').fill('maxdepth<3');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText('Tree d2');
  await page.getByTestId('run-search').fill('');

  for (const box of await page.getByRole('checkbox', { name: /^Pick run/ }).all()) await box.check();
  await page.getByTestId('compare').click();
  const cmp = page.getByTestId('compare-view');
  await expect(cmp.getByTestId('param-diff')).toContainText('maxDepth');
  await expect(cmp.getByTestId('metric-diff-validation')).toContainText('★');
  await expect(cmp.locator('.js-plotly-plot')).toHaveCount(2);
});

test('a full storage quota is reported with what to do, and nothing stored is damaged', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Shipped dataset').selectOption('wine');
  await trainTree(page, '2', '1');
  await expect((await openBackendPanel(page)).getByTestId('storage')).toContainText('Storage:');
  // The browser's quota cannot be filled on demand here: make IndexedDB writes fail as they would.
  await page.evaluate(() => {
    const orig = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args: Parameters<typeof orig>) {
      if (this.name === 'runs' || this.name === 'models')
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return orig.apply(this, args);
    };
  });
  await go(page, 'train');
  await page.getByTestId('model-kind').selectOption('knn');
  await page.getByTestId('train').click();
  await expect(page.getByTestId('error')).toHaveAttribute('data-kind', 'quota');
  await expect(page.getByTestId('error')).toContainText('Delete old runs or datasets, or export them as a bundle');
  await page.reload();
  await expect(page.locator('main[data-ready="true"]')).toBeVisible({ timeout: 60_000 });
  await go(page, 'runs');
  await expect(rows(page)).toHaveCount(1);
  await rows(page).locator('button.open').click();
  await page.getByTestId('check-model').click();
  expect(Number(await page.getByTestId('check-result').getAttribute('data-max-diff'))).toBe(0);
});

test('experiments group runs: new runs join the chosen experiment, and the list filters by it', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Shipped dataset').selectOption('wine');
  await expect(page.getByTestId('dataset-name')).toHaveText('wine.csv');
  await trainTree(page, '2', '1');
  page.once('dialog', (d) => void d.accept('depth study'));
  await page.getByTestId('new-experiment').click();
  await expect(page.getByTestId('experiment-filter').locator('option:checked')).toHaveText('depth study');
  await expect(rows(page)).toHaveCount(0);
  await trainTree(page, '4', '1');
  await expect(rows(page)).toHaveCount(1);
  await page.getByTestId('experiment-filter').selectOption('all');
  await expect(rows(page)).toHaveCount(2);
  await page.reload();
  await expect(page.locator('main[data-ready="true"]')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('experiment-filter').selectOption({ label: 'depth study' });
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText('Tree d4');
});
