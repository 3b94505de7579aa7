// `npm run bench`: builds the app with its benchmark page, serves it with the production headers,
// drives headless Chromium through it and prints one table of figures and ratios measured in one run.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../playwright.config.ts';
import { execFileSync } from 'node:child_process';
import type { BatchBenchRow, BenchRow, CompressionBenchRow, DriftBenchResult, MatmulRow } from './bench-page.ts';
import { flightsDriftCsv } from './drift-data.ts';
import type { RegistryRow } from './registry-bench.ts';
import { servingBench } from './serving-bench.ts';

/** Native float32 matrix-multiply peak on this machine: numpy (OpenBLAS) from Debian's python3-numpy. */
function nativePeak(threads: number): { gflops: number; kernel: string } | null {
  const code = `
import numpy as np, time, json
a=np.random.rand(1024,1024).astype(np.float32); b=np.random.rand(1024,1024).astype(np.float32)
a@b
best=0
for _ in range(5):
  t=time.perf_counter(); [a@b for _ in range(5)]; best=max(best, 5*2*1024**3/(time.perf_counter()-t)/1e9)
try:
  import threadpoolctl; k=threadpoolctl.threadpool_info()[0]; kernel=f"{k['internal_api']} {k['version']} {k['architecture']}"
except Exception: kernel='numpy'
print(json.dumps({'gflops': best, 'kernel': kernel}))`;
  try {
    const out = execFileSync('/usr/bin/python3', ['-c', code], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) },
      encoding: 'utf8',
    });
    return JSON.parse(out);
  } catch {
    return null;
  }
}

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

// The drift benchmark's file, served by the preview server and read by scipy from disk.
const driftFile = new URL('../../dist-bench/flights-drift.csv', import.meta.url).pathname;
writeFileSync(driftFile, flightsDriftCsv().csv);

const server = spawn('npx', ['vite', 'preview', '--outDir', 'dist-bench', '--port', String(PORT), '--strictPort'], {
  stdio: 'ignore',
});
try {
  await waitForServer(`http://localhost:${PORT}/bench.html`, 30_000);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const page = await browser.newPage();
  await page.goto(`http://localhost:${PORT}/bench.html`);
  await page.waitForFunction(() => (window as unknown as { benchResults?: unknown }).benchResults !== undefined, null, {
    timeout: 540_000,
  });
  const rows = (await page.evaluate(
    () => (window as unknown as { benchResults: BenchRow[] }).benchResults,
  )) as BenchRow[];
  const matmul = (await page.evaluate(
    () => (window as unknown as { benchMatmul: MatmulRow }).benchMatmul,
  )) as MatmulRow;
  const compression = (await page.evaluate(
    () => (window as unknown as { benchCompression: CompressionBenchRow[] | string }).benchCompression,
  )) as CompressionBenchRow[] | string;
  const registry = (await page.evaluate(
    () => (window as unknown as { benchRegistry: RegistryRow[] }).benchRegistry,
  )) as RegistryRow[];
  const batch = (await page.evaluate(
    () => (window as unknown as { benchBatch: BatchBenchRow[] | string }).benchBatch,
  )) as BatchBenchRow[] | string;
  const drift = (await page.evaluate(
    () => (window as unknown as { benchDrift: DriftBenchResult }).benchDrift,
  )) as DriftBenchResult;
  // Open the runs table with 1,000 runs: seed the app's database, then time the app from navigation
  // until all 1,000 rows are in the list.
  const ctx = await browser.newContext();
  const seedPage = await ctx.newPage();
  await seedPage.goto(`http://localhost:${PORT}/bench.html#seed-runs`);
  await seedPage.waitForFunction(() => (window as unknown as { seeded?: boolean }).seeded === true, null, {
    timeout: 120_000,
  });
  const app = await ctx.newPage();
  await app.goto(`http://localhost:${PORT}/`);
  await app.waitForFunction(() => document.querySelectorAll('[data-testid="runs"] li').length >= 1000, null, {
    timeout: 120_000,
  });
  const openMs = await app.evaluate(() => performance.now());
  await app.goto(`http://localhost:${PORT}/`);
  const t0 = await app.evaluate(() => performance.now());
  await app.waitForFunction(() => document.querySelectorAll('[data-testid="runs"] li').length >= 1000, null, {
    timeout: 120_000,
  });
  const reopenMs = await app.evaluate(() => performance.now());
  void t0;
  await ctx.close();
  // The app shell: what the page itself loads (index.html, its script and style), and time to
  // interactive on a first visit (fresh profile, nothing cached): the workbench ready (workers up,
  // default dataset loaded) and the lessons list on screen.
  const shell = await (async () => {
    const dir = new URL('../../dist-bench/', import.meta.url).pathname;
    const html = readFileSync(`${dir}index.html`, 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    const files = ['index.html', ...refs];
    const raw = files.reduce((a, f) => a + readFileSync(`${dir}${f}`).length, 0);
    const gz = files.reduce((a, f) => a + gzipSync(readFileSync(`${dir}${f}`)).length, 0);
    const assets = readdirSync(`${dir}assets`);
    const size = (prefix: string) =>
      assets
        .filter((f) => f.startsWith(prefix) && f.endsWith('.js'))
        .reduce((a, f) => a + readFileSync(`${dir}assets/${f}`).length, 0);
    const tti: { workbench: number; lessons: number; loadedBeforeReady: string[] }[] = [];
    for (let i = 0; i < 3; i++) {
      const ctx = await browser.newContext();
      const pg = await ctx.newPage();
      await pg.goto(`http://localhost:${PORT}/#lessons`);
      await pg.waitForSelector('[data-testid="lessons"]', { timeout: 60_000 });
      const lessons = await pg.evaluate(() => performance.now());
      await pg.waitForSelector('main[data-ready="true"]', { state: 'attached', timeout: 60_000 });
      const workbench = await pg.evaluate(() => performance.now());
      const loaded = await pg.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => /\.js$/.test(e.name))
          .map((e) =>
            e.name
              .split('/')
              .pop()!
              .replace(/-[A-Za-z0-9_-]{8}\.js$/, '.js'),
          ),
      );
      tti.push({ workbench, lessons, loadedBeforeReady: loaded });
      await ctx.close();
    }
    return { files, raw, gz, trainKiB: size('train.worker') / 1024, plotlyKiB: size('plotly') / 1024, tti };
  })();
  await browser.close();

  const naive = rows.find((r) => r.name.includes('default'))!;
  const pad = (s: string, n: number) => s.padEnd(n);
  const num = (v: number, d = 0) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  console.log('\nTraining throughput: MLP 64→128→64→10 on digits-8x8 (1,258 training rows, batch 32, Adam)');
  console.log(`Chromium ${browser.version()} headless; WebGL/WebGPU run in software (SwiftShader) on this machine.\n`);
  console.log(
    `| ${pad('case', 40)} | ${pad('backend', 8)} | ${pad('samples/s', 10)} | ${pad('× naive', 8)} | ${pad('longest main-thread task', 24)} |`,
  );
  console.log(`|${'-'.repeat(42)}|${'-'.repeat(10)}|${'-'.repeat(12)}|${'-'.repeat(10)}|${'-'.repeat(26)}|`);
  for (const r of rows) {
    console.log(
      `| ${pad(r.name, 40)} | ${pad(r.backend, 8)} | ${pad(num(r.samplesPerSecond), 10)} | ${pad(num(r.samplesPerSecond / naive.samplesPerSecond, 2), 8)} | ${pad(`${num(r.longestTaskMs)} ms`, 24)} |`,
    );
  }
  for (const r of rows) if (r.note) console.log(`  ${r.name} ${r.backend}: ${r.note}`);

  console.log(
    '\nCompression: int8 (per-tensor symmetric weights) MLP 64/30→128→64→k, in the Benchtop worker, WASM, 1 thread\n',
  );
  if (typeof compression === 'string') console.log(`  ${compression}`);
  else {
    console.log(
      `| ${pad('dataset', 28)} | ${pad('int8 size / f32', 15)} | ${pad('test acc f32 → int8', 20)} | ${pad('b1 p50 ms: tfjs f32 / ORT int8 / ORT f32', 42)} | ${pad('b256 rows/s: tfjs f32 / ORT int8 / ORT f32', 44)} | ${pad('int8 ORT ÷ f32 tfjs (b256)', 26)} |`,
    );
    console.log(
      `|${'-'.repeat(30)}|${'-'.repeat(17)}|${'-'.repeat(22)}|${'-'.repeat(44)}|${'-'.repeat(46)}|${'-'.repeat(28)}|`,
    );
    for (const c of compression) {
      console.log(
        `| ${pad(c.dataset, 28)} | ${pad(`${(c.sizeFraction * 100).toFixed(1)}%`, 15)} | ${pad(`${c.accuracyFloat.toFixed(4)} → ${c.accuracyInt8.toFixed(4)}`, 20)} | ${pad(`${c.tfjsFloat.p50.toFixed(2)} / ${c.ortInt8.p50.toFixed(2)} / ${c.ortFloat.p50.toFixed(2)}`, 42)} | ${pad(`${Math.round(c.tfjsFloat.throughput)} / ${Math.round(c.ortInt8.throughput)} / ${Math.round(c.ortFloat.throughput)}`, 44)} | ${pad(`${(c.ortInt8.throughput / c.tfjsFloat.throughput).toFixed(2)}×`, 26)} |`,
      );
    }
    console.log(
      '\nStatic int8 (weights and activations quantized; ranges by min-max on 256 training rows), ONNX QDQ in onnxruntime-web WASM\n',
    );
    console.log(
      `| ${pad('dataset', 28)} | ${pad('test acc f32 → static int8', 26)} | ${pad('b256 rows/s: ORT static / ORT f32 / tfjs f32', 46)} | ${pad('static ÷ ORT f32', 16)} | ${pad('static ÷ tfjs f32', 17)} |`,
    );
    console.log(`|${'-'.repeat(30)}|${'-'.repeat(28)}|${'-'.repeat(48)}|${'-'.repeat(18)}|${'-'.repeat(19)}|`);
    for (const c of compression) {
      console.log(
        `| ${pad(c.dataset, 28)} | ${pad(`${c.accuracyFloat.toFixed(4)} → ${c.accuracyStatic.toFixed(4)}`, 26)} | ${pad(`${Math.round(c.ortStatic.throughput)} / ${Math.round(c.ortFloat.throughput)} / ${Math.round(c.tfjsFloat.throughput)}`, 46)} | ${pad(`${(c.ortStatic.throughput / c.ortFloat.throughput).toFixed(2)}×`, 16)} | ${pad(`${(c.ortStatic.throughput / c.tfjsFloat.throughput).toFixed(2)}×`, 17)} |`,
      );
    }
  }

  console.log('\nRegistry and storage (IndexedDB in Chromium; median of 5 where repeated)\n');
  console.log(`| ${pad('operation', 70)} | ${pad('ms', 8)} |`);
  console.log(`|${'-'.repeat(72)}|${'-'.repeat(10)}|`);
  for (const r of registry) console.log(`| ${pad(r.name, 70)} | ${pad(num(r.ms, 1), 8)} |`);
  const ratio = (a: string, b: string) => {
    const x = registry.find((r) => r.name.startsWith(a))?.ms,
      y = registry.find((r) => r.name.startsWith(b))?.ms;
    return x && y ? (y / x).toFixed(2) : 'n/a';
  };
  console.log(
    `| ${pad('open the app with 1,000 runs: navigation → all rows listed (first visit)', 70)} | ${pad(num(openMs, 0), 8)} |`,
  );
  console.log(
    `| ${pad('open the app with 1,000 runs: navigation → all rows listed (reload)', 70)} | ${pad(num(reopenMs, 0), 8)} |`,
  );
  console.log(
    `  tfjs indexeddb:// time ÷ Benchtop time — save: ${ratio('save 1M-parameter model version', 'save 1M-parameter model (tfjs')}×, load: ${ratio('load 1M-parameter model version', 'load 1M-parameter model (tfjs')}×`,
  );

  {
    const { files, raw, gz, trainKiB, plotlyKiB, tti } = shell;
    const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log('\nApp shell (first visit, fresh profile, median of 3)\n');
    console.log(`| ${pad('measure', 62)} | ${pad('value', 18)} |`);
    console.log(`|${'-'.repeat(64)}|${'-'.repeat(20)}|`);
    console.log(
      `| ${pad(`shell: ${files.join(', ')}`.slice(0, 62), 62)} | ${pad(`${(raw / 1024).toFixed(0)} KiB (${(gz / 1024).toFixed(0)} KiB gzip)`, 18)} |`,
    );
    console.log(
      `| ${pad('loaded later, by workers or on demand: training worker', 62)} | ${pad(`${trainKiB.toFixed(0)} KiB`, 18)} |`,
    );
    console.log(
      `| ${pad('… Plotly (first plot, or when the page is idle after start)', 62)} | ${pad(`${plotlyKiB.toFixed(0)} KiB`, 18)} |`,
    );
    console.log(
      `| ${pad('navigation → lessons list on screen', 62)} | ${pad(`${num(med(tti.map((t) => t.lessons)), 0)} ms`, 18)} |`,
    );
    console.log(
      `| ${pad('navigation → workbench interactive (workers up, data loaded)', 62)} | ${pad(`${num(med(tti.map((t) => t.workbench)), 0)} ms`, 18)} |`,
    );
    console.log(
      `  scripts fetched before the workbench was ready: ${[...new Set(tti[0]!.loadedBeforeReady)].join(', ')}`,
    );
  }

  console.log(
    '\nDrift statistics: flights-200k (vega-datasets) × 10 features (3 columns + 7 derived), last 100,000 rows against the first 100,000 — per feature KS or chi-square, PSI, Jensen–Shannon, Wasserstein, descriptive statistics\n',
  );
  if (!drift.ok) console.log(`  Benchtop failed: ${drift.message}`);
  else {
    let sc: {
      ms: number;
      features: Record<string, { statistic: number; p: number; psi: number; js: number; wasserstein?: number }>;
    } | null = null;
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = spawnSync('/usr/bin/python3', [new URL('./drift_scipy.py', import.meta.url).pathname, driftFile], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      if (r.status !== 0) {
        console.log(`  scipy run failed (python3-scipy installed?): ${r.stderr.slice(0, 300)}`);
        break;
      }
      sc = JSON.parse(r.stdout);
      runs.push(sc!.ms);
    }
    const scMs = runs.length ? runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]! : NaN;
    console.log(`| ${pad('implementation', 44)} | ${pad('statistics ms', 13)} | ${pad('rows/s', 12)} |`);
    console.log(`|${'-'.repeat(46)}|${'-'.repeat(15)}|${'-'.repeat(14)}|`);
    console.log(
      `| ${pad('Benchtop, in a worker in Chromium', 44)} | ${pad(num(drift.ms, 0), 13)} | ${pad(Math.round(drift.rows / (drift.ms / 1000)).toLocaleString('en'), 12)} |`,
    );
    if (sc)
      console.log(
        `| ${pad('scipy/numpy (python3, median of 3)', 44)} | ${pad(num(scMs, 0), 13)} | ${pad(Math.round(drift.rows / (scMs / 1000)).toLocaleString('en'), 12)} |`,
      );
    console.log(
      `  (parsing the 200,000-row file in the worker: ${num(drift.parseMs, 0)} ms, not counted; scipy's file loading not counted either)`,
    );
    if (sc) {
      console.log(`  Benchtop ÷ scipy time: ${(drift.ms / scMs).toFixed(2)}× (below 1 = Benchtop faster)`);
      let dp = 0,
        ds = 0,
        dpsi = 0;
      for (const [k, v] of Object.entries(sc.features)) {
        const b = drift.features[k];
        if (!b) continue;
        dp = Math.max(dp, Math.abs(b.p - v.p));
        ds = Math.max(ds, Math.abs(b.statistic - v.statistic) / Math.max(1, Math.abs(v.statistic)));
        dpsi = Math.max(dpsi, Math.abs(b.psi - v.psi));
      }
      console.log(
        `  same answers: largest |Δp| ${dp.toExponential(2)}, largest relative Δstatistic ${ds.toExponential(2)}, largest |ΔPSI| ${dpsi.toExponential(2)} over ${Object.keys(sc.features).length} features`,
      );
    }
  }

  console.log(
    "\nBatch versus online prediction (the app's way): every row predicted in the worker and stored in IndexedDB, then 500 random rows looked up from the page vs predicted on demand by the worker\n",
  );
  if (typeof batch === 'string') console.log(`  ${batch}`);
  else {
    console.log(
      `| ${pad('dataset', 28)} | ${pad('rows', 5)} | ${pad('batch: predict + write ms', 25)} | ${pad('lookup p50/p95 ms', 18)} | ${pad('online p50/p95 ms', 18)} | ${pad('online ÷ lookup (p50)', 21)} | ${pad('agree', 7)} |`,
    );
    console.log(
      `|${'-'.repeat(30)}|${'-'.repeat(7)}|${'-'.repeat(27)}|${'-'.repeat(20)}|${'-'.repeat(20)}|${'-'.repeat(23)}|${'-'.repeat(9)}|`,
    );
    for (const b of batch)
      console.log(
        `| ${pad(b.dataset, 28)} | ${pad(String(b.rows), 5)} | ${pad(`${num(b.predictMs, 0)} + ${num(b.writeMs, 0)}`, 25)} | ${pad(`${b.measure.lookup.p50.toFixed(2)} / ${b.measure.lookup.p95.toFixed(2)}`, 18)} | ${pad(`${b.measure.online.p50.toFixed(2)} / ${b.measure.online.p95.toFixed(2)}`, 18)} | ${pad(`${(b.measure.online.p50 / b.measure.lookup.p50).toFixed(1)}×`, 21)} | ${pad(`${b.measure.agree}/${b.measure.samples}`, 7)} |`,
      );
  }

  console.log('\nServing client: 10,000 rows against `benchtop serve` on loopback (onnxruntime-node, MLP 13→64→3)\n');
  try {
    const sv = await servingBench();
    console.log(
      `| ${pad('case', 58)} | ${pad('rows/s', 9)} | ${pad('requests', 8)} | ${pad('round trip p50/p95/p99 ms', 26)} | ${pad('client share', 12)} | ${pad('bytes sent', 10)} |`,
    );
    console.log(
      `|${'-'.repeat(60)}|${'-'.repeat(11)}|${'-'.repeat(10)}|${'-'.repeat(28)}|${'-'.repeat(14)}|${'-'.repeat(12)}|`,
    );
    for (const r of sv)
      console.log(
        `| ${pad(r.name, 58)} | ${pad(Math.round(r.rowsPerSecond).toLocaleString('en'), 9)} | ${pad(String(r.requests), 8)} | ${pad(`${r.p50.toFixed(2)} / ${r.p95.toFixed(2)} / ${r.p99.toFixed(2)}`, 26)} | ${pad(`${(r.clientShare * 100).toFixed(1)}%`, 12)} | ${pad(r.bytesSent.toLocaleString('en'), 10)} |`,
      );
    for (const p of ['kserve-v2', 'tfserving']) {
      const b = sv.find((r) => r.name.startsWith(`${p}, 256`))!,
        one = sv.find((r) => r.name.startsWith(`${p}, one row`) && r.name.endsWith('1 in flight'))!,
        many = sv.find((r) => r.name.startsWith(`${p}, one row`) && r.name.endsWith('8 in flight'))!;
      console.log(
        `  ${p}: batched ÷ one row per request = ${(b.rowsPerSecond / one.rowsPerSecond).toFixed(1)}× (1 in flight), ${(b.rowsPerSecond / many.rowsPerSecond).toFixed(1)}× (8 in flight)`,
      );
    }
    const jb = sv.find((r) => r.name.startsWith('kserve-v2, 256'))!,
      bb = sv.find((r) => r.name.startsWith('kserve-v2 binary tensors, 256'))!;
    console.log(
      `  binary tensors ÷ JSON (KServe V2, 256 rows per request): ${(bb.rowsPerSecond / jb.rowsPerSecond).toFixed(2)}× rows/s, ${(bb.bytesSent / jb.bytesSent).toFixed(2)}× bytes sent, client share ${(bb.clientShare * 100).toFixed(1)}% vs ${(jb.clientShare * 100).toFixed(1)}%`,
    );
  } catch (e) {
    console.log(`  failed: ${(e as Error).message}`);
  }

  const single = nativePeak(1),
    all = nativePeak(os.cpus().length);
  console.log('\nLarge dense layer on WASM against the native matrix-multiply peak (float32, 1024×1024 · 1024×1024)\n');
  console.log(`| ${pad('case', 52)} | ${pad('GFLOP/s', 8)} | ${pad('fraction of native peak', 24)} |`);
  console.log(`|${'-'.repeat(54)}|${'-'.repeat(10)}|${'-'.repeat(26)}|`);
  const frac = (g: number, peak: { gflops: number } | null) =>
    peak ? `${((100 * g) / peak.gflops).toFixed(1)}%` : 'n/a (no python3-numpy)';
  console.log(
    `| ${pad(`tfjs WASM in a worker (${matmul.threads} thread${matmul.threads === 1 ? '' : 's'}${matmul.simd ? ', SIMD' : ''})`, 52)} | ${pad(num(matmul.gflops, 1), 8)} | ${pad(`${frac(matmul.gflops, matmul.threads > 1 ? all : single)} of native, same threads`, 24)} |`,
  );
  if (single)
    console.log(
      `| ${pad(`native: ${single.kernel}, 1 thread`, 52)} | ${pad(num(single.gflops, 1), 8)} | ${pad('100% (reference)', 24)} |`,
    );
  if (all)
    console.log(
      `| ${pad(`native: ${all.kernel}, ${os.cpus().length} threads`, 52)} | ${pad(num(all.gflops, 1), 8)} | ${pad(`WASM reaches ${frac(matmul.gflops, all)}`, 24)} |`,
    );
} finally {
  server.kill();
}
