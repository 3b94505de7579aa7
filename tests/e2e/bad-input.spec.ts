import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { CorpusCase, CorpusIndex, Match, Outcome } from '../corpus/corpus-types.ts';
import { go, importModel, openApp } from './helpers.ts';

async function importBuffer(page: Page, name: string, content: string | Buffer) {
  await page.getByLabel(/Import your file/).setInputFiles({
    name,
    mimeType: 'text/plain',
    buffer: Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'),
  });
}

async function expectStillLoaded(page: Page) {
  await expect(page.getByTestId('dataset-name')).toHaveText('digits-8x8.csv');
  await expect(page.getByTestId('dataset-rows')).toHaveText('1,797');
}

test('bad files get a message naming file, row and column; the loaded dataset stays loaded', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await openApp(page);
  const error = page.getByTestId('error');

  await importBuffer(page, 'empty.csv', '');
  await expect(error).toHaveAttribute('data-kind', 'empty-file');
  await expect(error).toContainText('empty.csv');
  await expectStillLoaded(page);

  await importBuffer(page, 'header-only.csv', 'a,b,c\n');
  await expect(error).toHaveAttribute('data-kind', 'header-only');
  await expectStillLoaded(page);

  await importBuffer(page, 'ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
  await expect(error).toHaveAttribute('data-kind', 'ragged-rows');
  await expect(error).toContainText('row 2 has 2');
  await expect(error).toContainText('ragged.csv · row 2');
  await expectStillLoaded(page);

  const latin1 = Buffer.concat([Buffer.from('name,city\nAnn,Paris\nJos'), Buffer.from([0xe9]), Buffer.from(',Koln\n')]);
  await importBuffer(page, 'latin1.csv', latin1);
  await expect(error).toHaveAttribute('data-kind', 'not-utf8');
  await expect(error).toContainText('line 3');
  await expectStillLoaded(page);

  await importBuffer(page, 'records.json', '{"not": "an array"}');
  await expect(error).toHaveAttribute('data-kind', 'not-records');
  await expectStillLoaded(page);

  // Loads, with warnings: duplicate and empty names, an all-NaN column, HTML in names and values.
  const xss = '<img src=x onerror=alert(1)>';
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${i % 3},NaN,"${xss}",${i % 2 ? 'a' : 'b'}`);
  await importBuffer(page, 'odd.csv', [`x,x,allnan,"<script>alert(2)</script>",`, ...rows].join('\n'));
  await expect(page.getByTestId('dataset-name')).toHaveText('odd.csv');
  await expect(error).toHaveCount(0);
  const warnings = page.getByTestId('warnings');
  await expect(warnings.locator('[data-kind="duplicate-column-name"]')).toContainText('x_2');
  await expect(warnings.locator('[data-kind="empty-column-name"]')).toContainText('column_5');
  await expect(warnings.locator('[data-kind="all-missing"]')).toContainText('allnan');
  await expect(page.locator('tr[data-column="<script>alert(2)</script>"] th')).toHaveText('<script>alert(2)</script>');
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  // One class in the label: training refuses with a message naming the column; nothing is lost.
  await importBuffer(
    page,
    'oneclass.csv',
    ['f,g,label', ...Array.from({ length: 30 }, (_, i) => `${i},${i * 2},same`)].join('\n'),
  );
  await expect(page.getByTestId('dataset-name')).toHaveText('oneclass.csv');
  await go(page, 'train');
  await page.getByTestId('train').click();
  await expect(error).toHaveAttribute('data-kind', 'one-class-label');
  await expect(error).toContainText('column "label"');
  await go(page, 'data');
  await expect(page.getByTestId('dataset-name')).toHaveText('oneclass.csv');
  expect(dialogs).toBe(0);
});

// ---------------------------------------------------------------------------------------------------
// The bad-input corpus's app subset (tests/corpus/cases/index.json, cases marked "e2e"): each file is
// uploaded where a person would upload it; each must show a clear message naming the file and the
// row/field, raise no page error, and leave what was loaded before as it was.
// ---------------------------------------------------------------------------------------------------

const CORPUS = new URL('../corpus/cases/', import.meta.url).pathname;
const corpus = JSON.parse(readFileSync(join(CORPUS, 'index.json'), 'utf8')) as CorpusIndex;
const e2eCases = (cat: CorpusCase['category']) => corpus.cases.filter((c) => c.e2e && c.category === cat);

const holds = (text: string, m: Match) =>
  (Array.isArray(m) ? m : [m]).some((s) => text.toLowerCase().includes(s.toLowerCase()));

/**
 * Waits (up to 30 s) until the page shows this case's outcome: an error naming its file (refusal), or —
 * for data files — the file loaded (with or without notes). Every check is soft, so one failing case
 * does not hide the others; returns what was shown.
 */
async function outcomeOf(page: Page, c: CorpusCase, file: string): Promise<{ kind: string; text: string }> {
  const error = page.getByTestId('error');
  const warnings = page.getByTestId('warnings');
  const name = page.getByTestId('dataset-name');
  const id = `${c.category}/${c.id}`;
  const allowed = [c.expect.outcome, c.expect.alsoOk];
  const look = async (): Promise<{ kind: string; text: string }> => {
    const err = (await error.count()) ? ((await error.textContent()) ?? '') : '';
    if (err.includes(file)) return { kind: 'refused', text: err };
    // Model and bundle messages may name the file inside (weights.bin) rather than the upload.
    if (err && c.category !== 'csv' && c.category !== 'json' && c.expect.substrings.every((m) => holds(err, m)))
      return { kind: 'refused', text: err };
    if (c.category === 'csv' || c.category === 'json') {
      const loaded = (await name.count()) ? await name.textContent() : '';
      if (loaded === file) {
        const notes = (await warnings.count()) ? ((await warnings.textContent()) ?? '') : '';
        return { kind: notes ? 'accepted-with-note' : 'accepted', text: notes };
      }
    }
    return { kind: 'nothing', text: err };
  };
  let seen = await look();
  for (const t0 = Date.now(); seen.kind === 'nothing' && Date.now() - t0 < 30_000; seen = await look())
    await page.waitForTimeout(250);
  expect.soft(seen.kind, `${id}: no message naming ${file} within 30 s (shown: ${seen.text})`).not.toBe('nothing');
  if (seen.kind === 'nothing') return seen;
  const ok =
    allowed.includes(seen.kind as Outcome) ||
    (seen.kind === 'accepted-with-note' && allowed.includes('accepted')) ||
    (seen.kind === 'accepted' && allowed.includes('accepted-with-note') && c.expect.substrings.length === 0);
  expect.soft(ok, `${id}: ${seen.kind}, expected ${allowed.filter(Boolean).join(' or ')}: ${seen.text}`).toBe(true);
  if (ok && seen.kind !== 'accepted')
    for (const m of c.expect.substrings)
      expect.soft(holds(seen.text, m), `${id}: the message lacks ${JSON.stringify(m)}: ${seen.text}`).toBe(true);
  return seen;
}

function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('corpus: bad CSV and JSON files are refused clearly and the loaded dataset stays loaded', async ({ page }) => {
  const errors = watchPageErrors(page);
  await openApp(page);
  let current = { name: 'digits-8x8.csv', rows: '1,797' };
  const cases = [...e2eCases('csv'), ...e2eCases('json')];
  expect(cases.length).toBeGreaterThanOrEqual(8);
  for (const c of cases) {
    const file = c.input!;
    await importBuffer(page, file, readFileSync(join(CORPUS, c.category, c.id, file)));
    const seen = await outcomeOf(page, c, file);
    if (seen.kind === 'refused' || seen.kind === 'nothing') {
      await expect
        .soft(page.getByTestId('dataset-name'), `${c.category}/${c.id}: the dataset changed`)
        .toHaveText(current.name);
      await expect
        .soft(page.getByTestId('dataset-rows'), `${c.category}/${c.id}: the dataset changed`)
        .toHaveText(current.rows);
    } else current = { name: file, rows: (await page.getByTestId('dataset-rows').textContent()) ?? '' };
    expect.soft(errors.splice(0), `${c.category}/${c.id}: page errors`).toEqual([]);
  }
});

test('corpus: bad model folders and bundles are refused clearly; the runs and the dataset stay', async ({ page }) => {
  const errors = watchPageErrors(page);
  await openApp(page);
  await importModel(page, join(CORPUS, '_base', 'net'));
  const rows = page.getByTestId('runs-table').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  const runId = await rows.first().getAttribute('data-run-id');
  const models = e2eCases('model-folder');
  const bundles = e2eCases('bundle');
  expect(models.length + bundles.length).toBeGreaterThanOrEqual(6);
  let count = 1;
  for (const c of [...models, ...bundles]) {
    const input = join(CORPUS, c.category, c.id, c.input!);
    if (c.category === 'model-folder')
      await page.getByTestId('import-model').setInputFiles(readdirSync(input).map((f) => join(input, f)));
    else await page.getByTestId('import-bundle').setInputFiles(input);
    await outcomeOf(page, c, basename(input));
    await expect.soft(rows, `${c.category}/${c.id}: the runs list changed`).toHaveCount(count);
    // A wrongly accepted import is already reported; count it so later cases are judged on their own.
    count = await rows.count();
    await expect
      .soft(page.locator(`tr[data-run-id="${runId}"]`), `${c.category}/${c.id}: the imported run is gone`)
      .toHaveCount(1);
    expect.soft(errors.splice(0), `${c.category}/${c.id}: page errors`).toEqual([]);
  }
  await go(page, 'data');
  await expectStillLoaded(page);
});
