import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kolmogorovSf, ks2samp, smirnovSf } from './ks.ts';
import { gammaQ } from './special.ts';
import {
  binCounts,
  chiSquareHomogeneity,
  jensenShannon,
  numericSummary,
  psi,
  quantileEdges,
  wasserstein,
} from './univariate.ts';

interface Ref {
  cases: {
    name: string;
    reference: number[];
    current: number[];
    ks: { statistic: number; p: number };
    edges: number[];
    psi: number;
    js: number;
    wasserstein: number;
    describe: Record<string, number>;
  }[];
  kstwo: { n: number; d: number; sf: number }[];
  smirnov: { n: number; d: number; sf: number }[];
  chi: { reference: number[]; current: number[]; statistic: number; p: number; dof: number; psi: number; js: number }[];
  gamma: { a: number; x: number; q: number }[];
}
const ref = JSON.parse(
  readFileSync(new URL('../../../tests/fixtures/drift-reference.json', import.meta.url), 'utf8'),
) as Ref;

describe('drift statistics against scipy (tests/fixtures/drift-reference.json)', () => {
  it('two-sample KS: statistic and p-value to 1e-6, exact and asymptotic', () => {
    for (const c of ref.cases) {
      const r = ks2samp(c.reference, c.current);
      expect(r.statistic, c.name).toBeCloseTo(c.ks.statistic, 12);
      expect(Math.abs(r.pValue - c.ks.p), `${c.name}: ${r.pValue} vs ${c.ks.p}`).toBeLessThan(1e-6);
      // Tiny p-values keep their precision too (relative), not just their distance from zero.
      if (c.ks.p > 0 && c.ks.p < 1e-6)
        expect(Math.abs(r.pValue / c.ks.p - 1), `${c.name}: ${r.pValue} vs ${c.ks.p}`).toBeLessThan(1e-6);
    }
    expect(ref.cases.filter((c) => c.ks.p < 1e-20).length).toBeGreaterThanOrEqual(2);
  });
  it("the Kolmogorov distribution (scipy's kstwo.sf) over every method's range", () => {
    for (const k of ref.kstwo)
      expect(
        Math.abs(kolmogorovSf(k.n, k.d) - k.sf),
        `n ${k.n} d ${k.d}: ${kolmogorovSf(k.n, k.d)} vs ${k.sf}`,
      ).toBeLessThan(1e-6);
    for (const s of ref.smirnov)
      expect(Math.abs(smirnovSf(s.n, s.d) - s.sf), `smirnov n ${s.n} d ${s.d}`).toBeLessThan(1e-9);
  });
  it('chi-square of homogeneity (p to 1e-6), PSI and Jensen–Shannon on counts', () => {
    for (const c of ref.chi) {
      const r = chiSquareHomogeneity(c.reference, c.current);
      expect(r.statistic).toBeCloseTo(c.statistic, 10);
      expect(r.dof).toBe(c.dof);
      expect(Math.abs(r.pValue - c.p)).toBeLessThan(1e-6);
      expect(psi(c.reference, c.current)).toBeCloseTo(c.psi, 10);
      expect(jensenShannon(c.reference, c.current)).toBeCloseTo(c.js, 10);
    }
    for (const g of ref.gamma) expect(Math.abs(gammaQ(g.a, g.x) - g.q), `Q(${g.a}, ${g.x})`).toBeLessThan(1e-12);
  });
  it('binned PSI and JS, Wasserstein and the descriptive statistics', () => {
    for (const c of ref.cases) {
      const a = Float64Array.from(c.reference),
        b = Float64Array.from(c.current);
      const e = quantileEdges(a);
      expect(e.length).toBe(c.edges.length);
      e.forEach((v, i) => expect(v).toBeCloseTo(c.edges[i]!, 10));
      const rc = binCounts(a, e),
        cc = binCounts(b, e);
      expect(psi(rc, cc), c.name).toBeCloseTo(c.psi, 10);
      expect(jensenShannon(rc, cc)).toBeCloseTo(c.js, 10);
      expect(wasserstein(a, b)).toBeCloseTo(c.wasserstein, 10);
      const d = numericSummary(a);
      for (const k of Object.keys(c.describe))
        expect((d as unknown as Record<string, number>)[k], `${c.name} ${k}`).toBeCloseTo(c.describe[k]!, 9);
    }
  });
});
