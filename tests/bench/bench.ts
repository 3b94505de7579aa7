// `npm run bench`: builds the app with its benchmark page, serves it with the production headers,
// drives headless Chromium through it and prints one table of figures and ratios measured in one run.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../playwright.config.ts';
import type { BenchRow } from './bench-page.ts';

const PORT = 4179;

async function waitForServer(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server at ${url} did not start`);
}

const server = spawn('npx', ['vite', 'preview', '--outDir', 'dist-bench', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
try {
  await waitForServer(`http://localhost:${PORT}/bench.html`, 30_000);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  await page.goto(`http://localhost:${PORT}/bench.html`);
  await page.waitForFunction(() => (window as unknown as { benchResults?: unknown }).benchResults !== undefined, null, { timeout: 540_000 });
  const rows = (await page.evaluate(() => (window as unknown as { benchResults: BenchRow[] }).benchResults)) as BenchRow[];
  await browser.close();

  const naive = rows.find((r) => r.name.includes('default'))!;
  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (v: number, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  console.log('\nTraining throughput: MLP 64→128→64→10 on digits-8x8 (1,258 training rows, batch 32, Adam)');
  console.log(`Chromium ${browser.version()} headless; WebGL/WebGPU run in software (SwiftShader) on this machine.\n`);
  console.log(`| ${pad('case', 40)} | ${pad('backend', 8)} | ${pad('samples/s', 10)} | ${pad('× naive', 8)} | ${pad('longest main-thread task', 24)} |`);
  console.log(`|${'-'.repeat(42)}|${'-'.repeat(10)}|${'-'.repeat(12)}|${'-'.repeat(10)}|${'-'.repeat(26)}|`);
  for (const r of rows) {
    console.log(`| ${pad(r.name, 40)} | ${pad(r.backend, 8)} | ${pad(num(r.samplesPerSecond), 10)} | ${pad(num(r.samplesPerSecond / naive.samplesPerSecond, 2), 8)} | ${pad(`${num(r.longestTaskMs)} ms`, 24)} |`);
  }
  for (const r of rows) if (r.note) console.log(`  ${r.name} ${r.backend}: ${r.note}`);
} finally {
  server.kill();
}
