import { jensenShannon as jensenShannonDistance } from '../univariate.ts';
import type { DriftMeasure } from './drift-measure.ts';

/**
 * Jensen–Shannon distance in base 2 (in [0, 1]) between the bin shares (numbers: the reference's
 * deciles; categories: each category). Cost: O(bins).
 * @example jensenShannon.run(categoricalSample(['a', 'b'], [1, 1], [1, 0])) // { statistic: 0.56, size: 0.56 }
 */
export const jensenShannon = {
  id: 'js',
  label: 'Jensen–Shannon',
  short: 'JS',
  role: 'distance',
  appliesTo: ['numeric', 'categorical'],
  gatesVerdict: true,
  description: 'the square root of the Jensen–Shannon divergence (base 2) between the bin shares',
  scipy: 'scipy.spatial.distance.jensenshannon(r / r.sum(), c / c.sum(), base=2)',
  tolerance: { statistic: 1e-10, size: 1e-10 },
  run(sample) {
    const v = jensenShannonDistance(sample.referenceCounts, sample.currentCounts);
    return { statistic: v, size: v };
  },
} as const satisfies DriftMeasure;
