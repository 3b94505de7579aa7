import { expect, test } from '@playwright/test';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS, parseHeadersFile } from '../../src/app/csp.ts';
import {
  chooseBackend,
  expand,
  go,
  guardCsp,
  openApp,
  openRun,
  runTab,
  train,
  waitForPlotly,
  waitReady,
} from './helpers.ts';

/** The directives every response must carry, whatever else the policy allows. */
const REQUIRED: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
};

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

test('every response carries the policy and the isolation headers, and dist/_headers says the same', async ({
  request,
}) => {
  for (const path of ['/', '/index.html', '/#/run/x/compress', '/sw.js', '/datasets/wine.csv', '/favicon.svg']) {
    const res = await request.get(path);
    expect(res.ok(), path).toBe(true);
    const h = res.headers();
    const got = directives(h['content-security-policy'] ?? '');
    for (const [name, sources] of Object.entries(REQUIRED))
      for (const s of sources) expect(got.get(name), `${path} ${name}`).toContain(s);
    // No source lets a string become code, nor lets script come from anywhere but the app.
    expect(got.get('script-src'), path).not.toContain("'unsafe-eval'");
    expect(got.get('script-src'), path).not.toContain("'unsafe-inline'");
    expect(h['content-security-policy'], path).toBe(CONTENT_SECURITY_POLICY);
    expect(h['cross-origin-opener-policy'], path).toBe('same-origin');
    expect(h['cross-origin-embedder-policy'], path).toBe('require-corp');
  }
  // The production headers file (built into dist/, which preview serves) holds the same headers.
  const file = await request.get('/_headers');
  expect(file.ok()).toBe(true);
  expect(parseHeadersFile(await file.text())).toEqual({ ...SECURITY_HEADERS });
});

test('an injected inline script, inline handler and eval are blocked and reported', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/#/data');
  await waitReady(page);
  const result = await page.evaluate(async () => {
    const w = window as unknown as { __pwned?: number; __pwnedHandler?: number };
    const violations: string[] = [];
    addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
    // The ways markup or strings from a file could become code: a <script>, an inline handler, eval.
    const s = document.createElement('script');
    s.textContent = 'window.__pwned = 1';
    document.body.append(s);
    const div = document.createElement('div');
    div.innerHTML = '<img src="/favicon.svg" onload="window.__pwnedHandler = 1">';
    document.body.append(div);
    // eval from code the page runs (DevTools' own evaluation is exempt, so ask a Blob worker, which
    // inherits the page's policy): refused, since the policy has no 'unsafe-eval'.
    const code = "let r; try { eval('1 + 1'); r = 'ran'; } catch (e) { r = e.name; } postMessage(r);";
    const worker = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
    const evalResult = await new Promise<string>((r) => (worker.onmessage = (e) => r(String(e.data))));
    worker.terminate();
    await new Promise((r) => setTimeout(r, 500));
    return { pwned: w.__pwned, handler: w.__pwnedHandler, evalResult, violations };
  });
  expect(result.pwned).toBeUndefined();
  expect(result.handler).toBeUndefined();
  expect(result.evalResult).toBe('EvalError');
  expect(result.violations).toEqual(expect.arrayContaining(['script-src-elem', 'script-src-attr']));
  expect(errors).toEqual([]);
});

test('a journey raises no policy violation: data, WASM/WebGL/WebGPU training, run tabs, compression on ORT, a lesson, plots', async ({
  page,
}) => {
  test.setTimeout(900_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const violations = await guardCsp(page);
  await openApp(page);
  await chooseBackend(page, 'wasm');
  await page.getByLabel('Shipped dataset').selectOption('wine');
  await expect(page.getByTestId('dataset-name')).toHaveText('wine.csv');

  // A lesson from its link, followed in the page (it runs on open; on WASM, like the run before it).
  const lesson = async () => {
    await go(page, 'lessons');
    await page.evaluate(() => (location.hash = '#lesson=baselines&model=logistic&epochs=10&seed=7&backend=wasm&run=1'));
    await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'baselines');
    await expect(page.getByTestId('notice')).toBeVisible({ timeout: 240_000 });
    await expect(page.locator('[data-testid="lesson"] .js-plotly-plot').first()).toBeVisible();
    await go(page, 'train');
  };

  for (const backend of ['wasm', 'webgl', 'webgpu']) {
    if (backend === 'webgl') await lesson();
    if (backend !== 'wasm') await chooseBackend(page, backend);
    await go(page, 'train');
    await page.getByLabel('Epochs', { exact: true }).fill('5');
    await page.getByLabel('Epochs', { exact: true }).blur();
    await train(page);
    const run = await openRun(page);
    await expect(run).toHaveAttribute('data-status', 'finished');
    await expect(run).toContainText(`on ${{ wasm: 'WASM', webgl: 'WebGL', webgpu: 'WebGPU' }[backend]}`);
    await expect(run.locator('.js-plotly-plot').first()).toBeVisible();
  }
  await waitForPlotly(page);
  // Plotly's own controls (the modebar, its hover labels) and a redraw at another width.
  await page.setViewportSize({ width: 600, height: 900 });
  await page.locator('.js-plotly-plot').first().hover();
  await expect(page.locator('.js-plotly-plot .modebar').first()).toBeAttached();
  await page.setViewportSize({ width: 1280, height: 900 });

  // The last run (WebGPU), tab by tab; the model check runs it on onnxruntime-web's WASM too.
  await chooseBackend(page, 'wasm');
  const run = page.getByTestId('run-view');
  await run.getByTestId('check-model').click();
  await expect(page.getByTestId('onnx-check')).toHaveAttribute('data-max-diff', /.+/, { timeout: 120_000 });

  const ev = await runTab(page, 'evaluate');
  await ev.getByTestId('evaluate').click();
  await expect(ev.getByTestId('eval-summary')).toBeVisible({ timeout: 60_000 });

  const cal = await runTab(page, 'calibrate');
  await cal.getByTestId('calibration-method').selectOption('temperature');
  await cal.getByTestId('calibrate').click();
  await expect(cal.getByTestId('calibration-preview')).toBeVisible({ timeout: 60_000 });

  const comp = await runTab(page, 'compress');
  await comp.getByTestId('compress-method').selectOption('int8');
  await comp.getByTestId('compress').click();
  const table = comp.getByTestId('compression-table');
  await expect(table.locator('tr[data-method="int8"]')).toHaveCount(1, { timeout: 60_000 });
  await comp.getByTestId('measure').click();
  // Latency on tfjs, onnxruntime-web WASM and onnxruntime-web's WebGPU provider (its own runtime).
  await expect(table.locator('thead')).toContainText('onnxruntime-web webgpu (int8 QDQ)', { timeout: 180_000 });
  // Each onnxruntime-web column measured some row (a blocked script or eval in its worker would leave "—").
  const heads = await table.locator('thead th').allTextContents();
  const ort = heads.flatMap((h, i) => (h.startsWith('onnxruntime-web') ? [i] : []));
  expect(ort.map((i) => heads[i]!.split(' ')[1])).toEqual(expect.arrayContaining(['wasm', 'webgpu']));
  for (const i of ort) {
    const cells = await table.locator(`tbody tr td:nth-child(${i + 1})`).allTextContents();
    expect(
      cells.some((c) => /\d+\.\d+ \/ \d+\.\d+, [\d,]+/.test(c)),
      `${heads[i]}: ${cells.join(' | ')}`,
    ).toBe(true);
  }

  const mon = await runTab(page, 'monitor');
  await expect(mon).toBeVisible();
  const details = mon.locator('details');
  if (await details.count()) await expand(details.first());

  expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
});
