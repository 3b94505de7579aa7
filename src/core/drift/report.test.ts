import { describe, expect, it } from 'vitest';
import { csvTable, shippedTable } from '../../../tests/unit/fixtures.ts';
import { inferSchema } from '../data/schema.ts';
import { createRandom } from '../util/random.ts';
import { sampleNormal } from '../rollout/bandits.ts';
import { driftColumnsFromSchema, driftReport } from './report.ts';

const all = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

function synthetic(n: number, shift: number, seed: number, extra = ''): string {
  const rng = createRandom(seed);
  const lines = [`x,y,c${extra ? `,${extra}` : ''}`];
  for (let i = 0; i < n; i++) {
    const c = rng.next() < 0.5 + shift / 4 ? 'a' : rng.next() < 0.5 ? 'b' : 'c';
    lines.push(`${(sampleNormal(rng) + shift).toFixed(3)},${sampleNormal(rng).toFixed(3)},${c}${extra ? ',1' : ''}`);
  }
  return lines.join('\n');
}

describe('drift report', () => {
  it('finds the shifted features, not the stable one; corrects for multiple testing', () => {
    const ref = csvTable(synthetic(2000, 0, 1)),
      cur = csvTable(synthetic(1500, 0.5, 2));
    const r = driftReport(
      { table: ref, rows: all(ref.rowCount) },
      { table: cur, rows: all(cur.rowCount) },
      driftColumnsFromSchema(inferSchema(ref, null)),
    );
    const f = Object.fromEntries(r.features.map((x) => [x.feature, x]));
    expect(f.x!.test).toBe('Kolmogorov–Smirnov');
    expect(f.x!.verdict).toBe('drift');
    expect(f.c!.test).toBe('chi-square');
    expect(f.c!.verdict).toBe('drift');
    expect(f.y!.verdict).toBe('none');
    expect(r.drifted.sort()).toEqual(['c', 'x']);
    // Bonferroni = min(1, 3p); BH ≤ Bonferroni.
    for (const x of r.features) {
      expect(x.pBonferroni).toBeCloseTo(Math.min(1, 3 * x.pValue), 12);
      expect(x.pBH).toBeLessThanOrEqual(x.pBonferroni + 1e-15);
    }
    expect((f.x!.current as { mean: number }).mean - (f.x!.reference as { mean: number }).mean).toBeGreaterThan(0.4);
    // Raising the size that matters above every shift's size turns "drift" into "small" (still significant).
    const strict = driftReport(
      { table: ref, rows: all(ref.rowCount) },
      { table: cur, rows: all(cur.rowCount) },
      driftColumnsFromSchema(inferSchema(ref, null)),
      { minSize: 5 },
    );
    expect(strict.minSize).toBe(5);
    expect(strict.features.find((x) => x.feature === 'x')!.verdict).toBe('small');
    expect(strict.drifted).toEqual([]);
  });

  it('multivariate: MMD and the classifier test see a joint shift the marginals cannot', () => {
    // Same marginals (x, y ~ N(0,1)), but y = x in the current data: only the joint distribution moved.
    let rng = createRandom(4);
    const rows = (n: number, corr: boolean) =>
      [
        'x,y',
        ...Array.from({ length: n }, () => {
          const x = sampleNormal(rng),
            y = corr ? x + 0.05 * sampleNormal(rng) : sampleNormal(rng);
          return `${x.toFixed(3)},${y.toFixed(3)}`;
        }),
      ].join('\n');
    const ref = csvTable(rows(600, false)),
      cur = csvTable(rows(600, true));
    // Under no shift the permutation p is uniform over (0, 1]: a fresh draw from its own seed.
    rng = createRandom(9);
    const same = csvTable(rows(600, false));
    const cols = driftColumnsFromSchema(inferSchema(ref, null));
    const shifted = driftReport({ table: ref, rows: all(600) }, { table: cur, rows: all(600) }, cols, {
      multivariate: true,
      seed: 3,
    });
    expect(shifted.multivariate!.mmd.pValue).toBeLessThan(0.01);
    expect(shifted.multivariate!.classifier.auc).toBeGreaterThan(0.7);
    expect(shifted.multivariate!.classifier.pValue).toBeLessThan(1e-6);
    const none = driftReport({ table: ref, rows: all(600) }, { table: same, rows: all(600) }, cols, {
      multivariate: true,
      seed: 3,
    });
    expect(none.multivariate!.mmd.pValue).toBeGreaterThan(0.05);
    expect(none.multivariate!.classifier.auc).toBeLessThan(0.6);
  });

  it('schema drift is reported as findings: missing and extra columns, a changed type, unseen categories', () => {
    const ref = csvTable(synthetic(300, 0, 5));
    const cur = csvTable(
      ['x,c,z', ...Array.from({ length: 200 }, (_, i) => `${i % 3 ? 'high' : '1.5'},${i % 10 ? 'a' : 'zzz'},1`)].join(
        '\n',
      ),
    );
    const r = driftReport(
      { table: ref, rows: all(ref.rowCount) },
      { table: cur, rows: all(cur.rowCount) },
      driftColumnsFromSchema(inferSchema(ref, null)),
    );
    const kinds = r.schema.map((s) => `${s.kind}:${s.column}`).sort();
    expect(kinds).toEqual(['extra-column:z', 'missing-column:y', 'type-change:x', 'unseen-categories:c']);
    expect(r.schema.find((s) => s.kind === 'unseen-categories')!.message).toContain('"zzz" × 20');
    expect(r.schema.find((s) => s.kind === 'type-change')!.message).toMatch(/133 of 200 current values are not/);
  });

  it('a real dataset against itself: nothing drifts', () => {
    const t = shippedTable('wine.csv');
    const rows = all(t.rowCount);
    const r = driftReport(
      { table: t, rows: rows.filter((i) => i % 2 === 0) },
      { table: t, rows: rows.filter((i) => i % 2 === 1) },
      driftColumnsFromSchema(inferSchema(t, 'cultivar')),
    );
    expect(r.features.length).toBe(14);
    expect(r.drifted).toEqual([]);
  });
});
