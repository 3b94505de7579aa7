import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { expect, type Page } from '@playwright/test';

/** Opens the app and waits until the workers are up and the default dataset is loaded. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('main[data-ready="true"]')).toBeVisible({ timeout: 60_000 });
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

/** Imports a model directory into the open app (as "Import a model" does). */
export async function importModel(page: Page, model: string): Promise<void> {
  await page.getByTestId('import-model').setInputFiles((await readdir(model)).map((f) => join(model, f)));
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
