import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { go, openApp, seedVersion1Database } from './helpers.ts';

// Runs and models written by the code before model families (tests/fixtures/v3-store/README.md), put into
// IndexedDB in the shape the app stored them then; the app upgrades the database (to v4) on open, and each
// model must still predict exactly what it predicted when it was trained.
const STORE = new URL('../fixtures/v3-store/runs/', import.meta.url).pathname;

function oldRecords() {
  return readdirSync(STORE).map((id) => {
    const dir = join(STORE, id);
    const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const run = read('run.json');
    const preprocessor = read('preprocessing.json');
    if (existsSync(join(dir, 'classical.json')))
      return { run, model: { classical: read('classical.json'), preprocessor, runId: id } };
    const m = read('model.json');
    const weights = [...readFileSync(join(dir, 'weights.bin'))];
    const weightData = { __buffer: weights };
    const artifacts = { modelTopology: m.modelTopology, weightSpecs: m.weightsManifest[0].weights, weightData };
    return { run, model: { artifacts, preprocessor, runId: id } };
  });
}

test('runs and models saved before model families open, upgraded, and re-predict their fingerprints', async ({
  page,
}) => {
  const records = oldRecords();
  expect(records.map((r) => r.run.config.model.kind).sort()).toEqual(['logistic', 'tree']);
  await seedVersion1Database(
    page,
    records.flatMap(({ run, model }) => [
      { store: 'runs' as const, value: run },
      { store: 'models' as const, value: model },
    ]),
  );
  await openApp(page);
  for (const { run } of records) {
    await go(page, 'runs');
    await page
      .getByTestId('runs')
      .locator(`tr[data-run-id="${run.id}"]`)
      .getByRole('button', { name: /^Open run/ })
      .click();
    const view = page.getByTestId('run-view');
    await expect(view).toHaveAttribute('data-run-id', run.id);
    await view.getByTestId('check-model').click();
    const check = page.getByTestId('check-result');
    await expect(check).toHaveAttribute('data-max-diff', /.+/);
    expect(Number(await check.getAttribute('data-max-diff')), run.config.model.kind).toBeLessThan(1e-5);
  }
});
