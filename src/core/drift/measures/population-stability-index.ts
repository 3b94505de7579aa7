import { psi } from '../univariate.ts';
import type { DriftMeasure } from './drift-measure.ts';

/**
 * Population stability index Σ (c − r)·ln(c / r) over bin shares (numbers: the reference's deciles;
 * categories: each category), every share floored at 1e-4 (`psi` in `../univariate.ts`). Cost: O(bins).
 * @example populationStabilityIndex.run(numericSample(a, b)) // { statistic: 0.12, size: 0.12 }
 */
export const populationStabilityIndex = {
  id: 'psi',
  label: 'population stability index',
  short: 'PSI',
  role: 'distance',
  appliesTo: ['numeric', 'categorical'],
  gatesVerdict: true,
  description: 'Σ (c − r)·ln(c/r) over bin shares floored at 1e-4 (reference deciles, or categories)',
  scipy: 'numpy: np.sum((c - r) * np.log(c / r)) with r, c = np.maximum(shares, 1e-4)',
  tolerance: { statistic: 1e-10, size: 1e-10 },
  run(sample) {
    const v = psi(sample.referenceCounts, sample.currentCounts);
    return { statistic: v, size: v };
  },
} as const satisfies DriftMeasure;
