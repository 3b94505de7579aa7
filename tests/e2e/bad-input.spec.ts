import { expect, test, type Page } from '@playwright/test';
import { go, openApp } from './helpers.ts';

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
