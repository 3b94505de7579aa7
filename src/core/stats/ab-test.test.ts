import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlwaysValidP, samplesPerArm, twoProportionTest } from './ab-test.ts';
import { normalPpf } from './normal.ts';

const REF = JSON.parse(readFileSync(new URL('../../../tests/fixtures/stats-reference.json', import.meta.url), 'utf8'));

describe('A/B statistics against scipy', () => {
  it('normal quantile matches scipy.stats.norm.ppf', () => {
    REF.ppf.p.forEach((p: number, i: number) =>
      expect(Math.abs(normalPpf(p) - REF.ppf.z[i]) / Math.max(1, Math.abs(REF.ppf.z[i])), `p=${p}`).toBeLessThan(1e-12),
    );
  });
  it('two-proportion z-test: z, two-sided p and the interval', () => {
    for (const r of REF.ztests) {
      const t = twoProportionTest(r.s1, r.n1, r.s2, r.n2);
      expect(t.z).toBeCloseTo(r.z, 12);
      expect(Math.abs(t.p - r.p)).toBeLessThan(1e-12);
      expect(t.ci[0]).toBeCloseTo(r.ci[0], 12);
      expect(t.ci[1]).toBeCloseTo(r.ci[1], 12);
    }
  });
  it('samples per arm for a given effect, alpha and power', () => {
    for (const r of REF.sizes) expect(samplesPerArm(r.p1, r.p2, r.alpha, r.power)).toBe(r.n);
  });
  it('always-valid p-values over a stream (mSPRT)', () => {
    const av = new AlwaysValidP(REF.msprt.tau2);
    REF.msprt.a.forEach((a: number, i: number) => {
      const p = av.push(a, REF.msprt.b[i]);
      expect(Math.abs(p - REF.msprt.p[i]), `pair ${i + 1}`).toBeLessThan(1e-12);
    });
  });
});
