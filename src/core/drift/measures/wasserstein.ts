import { stdDev, wasserstein as wassersteinDistance } from '../univariate.ts';
import { numericOnly, type DriftMeasure } from './drift-measure.ts';

/**
 * Wasserstein-1 (earth mover's) distance ∫|F_ref − F_cur| between the samples; its size is the
 * distance in reference standard deviations (ddof = 0; NaN when the reference is constant).
 * Cost: O((n + m) log(n + m)).
 * @example wasserstein.run(numericSample(a, b)) // { statistic: 0.31, size: 0.3 }
 */
export const wasserstein = {
  id: 'wasserstein',
  label: 'Wasserstein',
  short: 'W / σ',
  role: 'distance',
  appliesTo: ['numeric'],
  gatesVerdict: true,
  description: 'the area between the two distribution functions, in reference standard deviations',
  scipy: 'scipy.stats.wasserstein_distance(reference, current) / np.std(reference)',
  tolerance: { statistic: 1e-10, size: 1e-10 },
  run(sample) {
    const s = numericOnly(sample, 'wasserstein');
    const w = wassersteinDistance(s.reference, s.current),
      sd = stdDev(s.reference);
    return { statistic: w, size: sd > 0 ? w / sd : NaN };
  },
} as const satisfies DriftMeasure;
