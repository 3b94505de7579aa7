// The drift benchmark in Chromium: parse the flights file, then the per-feature drift report of the
// last half against the first half, timed apart, in a worker (where the app runs it).
import { parseDelimitedBytes } from '../../src/core/data/parse-delimited.ts';
import { inferSchema } from '../../src/core/data/schema.ts';
import { driftColumnsFromSchema, driftReport } from '../../src/core/drift/report.ts';

self.onmessage = async (e: MessageEvent<{ url: string }>) => {
  try {
    const bytes = new Uint8Array(await (await fetch(e.data.url)).arrayBuffer());
    const t0 = performance.now();
    const parsed = parseDelimitedBytes(bytes, 'flights-drift.csv');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const table = parsed.value;
    const parseMs = performance.now() - t0;
    const n = table.rowCount,
      half = Math.floor(n / 2);
    const ref = Uint32Array.from({ length: half }, (_, i) => i),
      cur = Uint32Array.from({ length: n - half }, (_, i) => half + i);
    const columns = driftColumnsFromSchema(inferSchema(table, null));
    const t1 = performance.now();
    const r = driftReport({ table, rows: ref }, { table, rows: cur }, columns);
    const ms = performance.now() - t1;
    const features = Object.fromEntries(
      r.features.map((f) => [
        f.feature,
        { kind: f.kind, statistic: f.statistic, p: f.pValue, psi: f.psi, js: f.js, wasserstein: f.wasserstein },
      ]),
    );
    (self as unknown as Worker).postMessage({ ok: true, rows: n, parseMs, ms, features });
  } catch (err) {
    (self as unknown as Worker).postMessage({ ok: false, message: (err as Error).message });
  }
};
