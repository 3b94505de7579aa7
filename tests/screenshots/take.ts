/**
 * `npm run screenshots`: renders every view of the built app with a shipped dataset (a model trained
 * and registered in the page first) into `docs/screenshots/`, at 1440 and 390 px wide, plus the dark
 * theme, and prints each page's width against the window's (a sideways scroll shows as overflow).
 * Needs `npm run build` (the script runs it) and Debian's Chromium (or CHROMIUM_PATH).
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../playwright.config.ts';

const PORT = Number(process.env.SHOT_PORT ?? 4280);
const BASE = `http://localhost:${PORT}/`;
const OUT = new URL('../../docs/screenshots/', import.meta.url).pathname;

async function until(url: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer`);
}

async function shot(page: Page, name: string, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 900 });
  await page.waitForTimeout(400);
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: innerWidth,
  }));
  await page.screenshot({ path: `${OUT}${name}-${width}.png`, fullPage: true });
  console.log(`${name}-${width}.png  page ${scroll} px in a ${inner} px window${scroll > inner ? '  OVERFLOW' : ''}`);
}

const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
try {
  await until(BASE);
  await mkdir(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  for (const scheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ colorScheme: scheme, viewport: { width: 1440, height: 900 } });
    await page.goto(`${BASE}#/data`);
    await page.locator('main[data-ready="true"]').waitFor({ timeout: 60_000 });
    const widths = scheme === 'light' ? [1440, 390] : [1440];
    const views: [string, string][] = [
      ['data', '#/data'],
      ['train', '#/train'],
    ];
    for (const [name, hash] of views) {
      await page.goto(`${BASE}${hash}`);
      await page.locator('main[data-ready="true"]').waitFor();
      for (const w of widths) await shot(page, `${scheme}-${name}`, w);
    }
    if (scheme === 'light') {
      // A run to show: the default model on the default dataset, registered as a version.
      await page.getByTestId('train').click();
      await page.getByTestId('next-open-run').click({ timeout: 120_000 });
      await page.getByTestId('register').click();
    }
    const runId = await page.evaluate(() => {
      const a = [...document.querySelectorAll('a[data-testid="view-run"]')][0] as HTMLAnchorElement | undefined;
      return a?.getAttribute('href') ?? '#/run';
    });
    const more: [string, string][] = [
      ['runs', '#/runs'],
      ...['', '/evaluate', '/calibrate', '/compress', '/cloud', '/rehearse', '/monitor', '/batch'].map(
        (t): [string, string] => [`run${t.replace('/', '-') || '-overview'}`, `${runId}${t}`],
      ),
      ['registry', '#/registry'],
      ['lessons', '#/lessons'],
    ];
    for (const [name, hash] of more) {
      await page.goto(`${BASE}${hash}`);
      await page.locator('main[data-ready="true"]').waitFor();
      // Open every collapsed section so the picture shows what each holds.
      await page.evaluate(() => document.querySelectorAll('main details').forEach((d) => d.setAttribute('open', '')));
      for (const w of widths) await shot(page, `${scheme}-${name}`, w);
    }
    await page.close();
  }
  await browser.close();
} finally {
  server.kill();
}
