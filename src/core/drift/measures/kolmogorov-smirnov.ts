import { ks2samp } from '../ks.ts';
import { numericOnly, type DriftMeasure } from './drift-measure.ts';

/**
 * The two-sample Kolmogorov–Smirnov test, two-sided: D = sup |F_ref − F_cur|, its p-value exact up to
 * 10,000 values a side, else from the Kolmogorov distribution (`ks2samp` in `../ks.ts`).
 * Cost: O(n log n) for D; the exact p-value O(n·m) at worst.
 * @example kolmogorovSmirnov.run(numericSample(a, b)) // { statistic: 0.18, p: 0.003 }
 */
export const kolmogorovSmirnov = {
  id: 'ks',
  label: 'Kolmogorov–Smirnov',
  short: 'KS',
  role: 'test',
  appliesTo: ['numeric'],
  gatesVerdict: false,
  description: 'the largest gap between the two empirical distribution functions, and its p-value',
  scipy: "scipy.stats.ks_2samp(reference, current, method='auto')",
  tolerance: { statistic: 1e-12, p: 1e-6, pRelative: 1e-6 },
  run(sample) {
    const s = numericOnly(sample, 'ks');
    const r = ks2samp(s.reference, s.current);
    return { statistic: r.statistic, p: r.pValue };
  },
} as const satisfies DriftMeasure;
