import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Opens the app at a view's address (the Data view by default) and waits until the workers are up and
 * the dataset is loaded. From then on every Content-Security-Policy violation on the page fails the test.
 */
export async function openApp(page: Page, hash = '#/data'): Promise<void> {
  await guardCsp(page);
  await page.goto(`/${hash}`);
  await waitReady(page);
}

/** Violations recorded per page (by {@link guardCsp}), as `directive: blocked URI (source:line)`. */
const cspViolations = new WeakMap<Page, string[]>();

/**
 * Records every `securitypolicyviolation` of the page (from its first script on, across reloads) into
 * `window.__cspViolations`, and the browser's "Refused to …" console reports (which also come from
 * workers); each one is a soft failure of the running test. Idempotent per page.
 */
export async function guardCsp(page: Page): Promise<string[]> {
  const known = cspViolations.get(page);
  if (known) return known;
  const seen: string[] = [];
  cspViolations.set(page, seen);
  const fail = (what: string) => {
    seen.push(what);
    expect.soft(what, 'Content-Security-Policy violation').toBe('');
  };
  await page.exposeBinding('__benchtopCspViolation', (_src, what: string) => fail(what));
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[]; __benchtopCspViolation(s: string): void };
    w.__cspViolations = [];
    addEventListener('securitypolicyviolation', (e) => {
      const what = `${e.effectiveDirective}: ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`;
      w.__cspViolations.push(what);
      void w.__benchtopCspViolation(what);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) fail(m.text());
  });
  return seen;
}

/** Waits until the app is ready again (after a reload). */
export async function waitReady(page: Page): Promise<void> {
  await expect(page.locator('main[data-ready="true"]')).toBeVisible({ timeout: 60_000 });
}

export type View = 'data' | 'train' | 'runs' | 'run' | 'registry' | 'lessons';
export type Tab = 'overview' | 'evaluate' | 'calibrate' | 'compress' | 'cloud' | 'rehearse' | 'monitor' | 'batch';

/** Goes to a view with the header's navigation, as a person would. */
export async function go(page: Page, view: View): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByTestId(`view-${view}`).click();
  await expect(page.locator(`main[data-view="${view}"]`)).toBeVisible();
}

/** Opens the header's compute badge, chooses a backend, waits until it is in use, and closes the panel again. */
export async function chooseBackend(page: Page, name: string): Promise<void> {
  await openBackendPanel(page);
  await page
    .getByRole('region', { name: 'Compute backend and storage' })
    .getByLabel('Compute backend')
    .selectOption(name);
  await expect(page.getByTestId('backend-status')).toHaveAttribute('data-backend', name);
  await closeBackendPanel(page);
}

/** The compute badge's panel (backend choice, its reason, storage); opened if it is closed. */
export async function openBackendPanel(page: Page): Promise<Locator> {
  const badge = page.getByTestId('backend-status');
  const panel = page.getByRole('region', { name: 'Compute backend and storage' });
  if ((await badge.getAttribute('aria-expanded')) !== 'true') await badge.click();
  await expect(panel).toBeVisible();
  return panel;
}

export async function closeBackendPanel(page: Page): Promise<void> {
  const panel = page.getByRole('region', { name: 'Compute backend and storage' });
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toHaveCount(0);
}

/**
 * Clicks Train (in the Train view) and waits until its "Last run" steps offer the new run: the
 * "Open …" link names a run other than the one it named before.
 */
export async function train(page: Page, timeout = 150_000): Promise<void> {
  const next = page.getByTestId('next-open-run');
  const before = (await next.count()) ? await next.getAttribute('href') : null;
  await page.getByTestId('train').click();
  await expect
    .poll(
      async () => {
        const href = (await next.count()) ? await next.getAttribute('href') : null;
        return href !== null && href !== before;
      },
      { timeout, intervals: [250] },
    )
    .toBe(true);
}

/**
 * Opens the selected run: from the Train view by its "Open “…”" next step, elsewhere by the header's
 * Run link; then, if given, one of its tabs.
 */
export async function openRun(page: Page, tab?: Tab): Promise<Locator> {
  if (await page.getByTestId('train-view').isVisible()) await page.getByTestId('next-open-run').click();
  else await page.getByTestId('view-run').click();
  const view = page.getByTestId('run-view');
  await expect(view).toBeVisible();
  await expect(page.locator('main[data-view="run"]')).toBeVisible();
  if (tab) await runTab(page, tab);
  return view;
}

/** Opens one of the shown run's tabs. */
export async function runTab(page: Page, tab: Tab): Promise<Locator> {
  await page.getByTestId('run-view').getByTestId(`tab-${tab}`).click();
  const section = page.getByTestId(`run-tab-${tab}`);
  await expect(section).toBeVisible();
  return section;
}

/** Opens a `<details>` panel unless it is open already. */
export async function expand(details: Locator): Promise<void> {
  await expect(details).toBeVisible();
  if ((await details.getAttribute('open')) === null) await details.locator('summary').first().click();
  await expect(details).toHaveAttribute('open', '');
}

/** Waits until the lazily loaded Plotly has been evaluated (it is preloaded when the page is idle). */
export async function waitForPlotly(page: Page): Promise<void> {
  await page.waitForFunction(
    () => (globalThis as { __benchtopPlotlyLoaded?: boolean }).__benchtopPlotlyLoaded === true,
    null,
    { timeout: 60_000 },
  );
}

/** Starts recording long tasks (> 50 ms) on the main thread; read them with {@link longTasks}. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
}

export async function longTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
}

/** Collects every request the page makes to another origin (none are allowed). */
export function watchForeignRequests(page: Page): string[] {
  const foreign: string[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!['localhost', '127.0.0.1'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol))
      foreign.push(req.url());
  });
  return foreign;
}

export const CLI = new URL('../../bin/benchtop.mjs', import.meta.url).pathname;

/** Starts `benchtop serve` on a free loopback port and returns its URL once it prints it. */
export async function serve(args: string[]): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '',
    err = '';
  proc.stderr!.on('data', (c) => (err += c));
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (c) => {
      out += c;
      const m = /"url":"([^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.on('exit', (code) => reject(new Error(`benchtop serve exited ${code}: ${err}`)));
  });
  return { url, proc };
}

export const DATA_DIR = new URL('../../public/datasets/', import.meta.url).pathname;

/** Trains a small MLP with `benchtop train` into a fresh temporary directory and returns it. */
export async function cliModel(data: string, label: string, extra: string[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'benchtop-e2e-'));
  const model = join(dir, basename(data).replace(/\.\w+$/, ''));
  await promisify(execFile)(process.execPath, [
    CLI,
    'train',
    '--data',
    join(DATA_DIR, data),
    '--label',
    label,
    '--epochs',
    '10',
    '--lr',
    '0.01',
    '--hidden',
    '16',
    ...extra,
    '--out',
    model,
    '--no-store',
  ]);
  return model;
}

/** Imports a model directory in the Runs view ("Import a model") and waits until it is imported and selected. */
export async function importModel(page: Page, model: string): Promise<void> {
  await go(page, 'runs');
  await page.getByTestId('import-model').setInputFiles((await readdir(model)).map((f) => join(model, f)));
  await expect(page.getByRole('status').filter({ hasText: 'Imported model' })).toBeVisible({ timeout: 60_000 });
}

/** A value for {@link seedVersion1Database}: `{ __buffer: bytes }` becomes an ArrayBuffer, `{ __blob: bytes }` a Blob. */
export type SeedRecord = { store: 'runs' | 'models' | 'datasets' | 'settings'; value: unknown };

/**
 * Creates the app's database as schema version 1 had it (runs, models, datasets, settings) and puts
 * the given records in, so a test can open the app on data an older version wrote.
 */
export async function seedVersion1Database(page: Page, records: SeedRecord[]): Promise<void> {
  await page.goto('/favicon.svg');
  await page.evaluate(async (records) => {
    const revive = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(revive);
      if (v === null || typeof v !== 'object') return v;
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.__buffer)) return Uint8Array.from(o.__buffer as number[]).buffer;
      if (Array.isArray(o.__blob)) return new Blob([Uint8Array.from(o.__blob as number[])]);
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
    };
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      const req = indexedDB.open('benchtop', 1);
      req.onupgradeneeded = () => {
        const d = req.result;
        const runs = d.createObjectStore('runs', { keyPath: 'id' });
        runs.createIndex('createdAt', 'createdAt');
        runs.createIndex('datasetId', 'dataset.id');
        d.createObjectStore('models', { keyPath: 'runId' });
        d.createObjectStore('datasets', { keyPath: 'id' });
        d.createObjectStore('settings', { keyPath: 'key' });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction(['runs', 'models', 'datasets', 'settings'], 'readwrite');
    for (const r of records) tx.objectStore(r.store).put(revive(r.value));
    await new Promise((r) => (tx.oncomplete = r));
    db.close();
  }, records);
}
