import { assert } from '../util/result.ts';
import { createRandom, shuffleInPlace } from '../util/random.ts';
import type { SplitSpec } from '../contracts/data.ts';
export type { SplitKind, SplitSpec } from '../contracts/data.ts';

export interface SplitIndices {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

function sizes(n: number, fractions: readonly number[]): [number, number, number] {
  const nTrain = Math.round(n * fractions[0]!);
  const nVal = Math.round(n * fractions[1]!);
  return [nTrain, Math.min(nVal, n - nTrain), Math.max(0, n - nTrain - nVal)];
}

/**
 * Seeded train/validation/test split of `n` rows.
 * - `random`: one seeded shuffle, then cut by the fractions.
 * - `stratified`: each class (given by `strata`, a code per row; -1 = missing) is shuffled and cut
 *   by the same fractions, so every split keeps the class proportions (like scikit-learn's
 *   `StratifiedShuffleSplit`). Rows with a missing stratum are split at random.
 * - `time`: rows sorted by `order` (ties by row number), the earliest for training and the latest
 *   for test, so nothing from the future leaks into training. NaN times go first.
 * Cost: O(n log n) for time, O(n) otherwise.
 * @example splitRows(100, { kind: 'random', fractions: [0.7, 0.15, 0.15], seed: 1 })
 */
export function splitRows(n: number, spec: SplitSpec, strata?: Int32Array, order?: Float64Array): SplitIndices {
  const sum = spec.fractions[0] + spec.fractions[1] + spec.fractions[2];
  assert(Math.abs(sum - 1) < 1e-9, () => `split fractions must sum to 1, got ${sum}`);
  const rng = createRandom(spec.seed);
  const all = new Uint32Array(n).map((_, i) => i);
  if (spec.kind === 'time') {
    assert(order !== undefined, () => 'a time split needs an order column');
    const key = (i: number) => (Number.isNaN(order[i]!) ? -Infinity : order[i]!);
    const sorted = Array.from(all).sort((a, b) => key(a) - key(b) || a - b);
    const [a, b] = sizes(n, spec.fractions);
    return {
      train: Uint32Array.from(sorted.slice(0, a)),
      validation: Uint32Array.from(sorted.slice(a, a + b)),
      test: Uint32Array.from(sorted.slice(a + b)),
    };
  }
  if (spec.kind === 'random' || strata === undefined) {
    shuffleInPlace(all, rng);
    const [a, b] = sizes(n, spec.fractions);
    return { train: all.slice(0, a), validation: all.slice(a, a + b), test: all.slice(a + b) };
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = strata[i]!;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(i);
  }
  const train: number[] = [],
    validation: number[] = [],
    test: number[] = [];
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const rows = Uint32Array.from(groups.get(key)!);
    shuffleInPlace(rows, rng);
    const [a, b] = sizes(rows.length, spec.fractions);
    // A loop, not push(...rows): spreading a class of ~100k+ rows overflows the call stack.
    for (let i = 0; i < rows.length; i++) (i < a ? train : i < a + b ? validation : test).push(rows[i]!);
  }
  // Interleave classes so mini-batches drawn in order are not single-class.
  const mix = (xs: number[]) => shuffleInPlace(Uint32Array.from(xs), rng);
  return { train: mix(train), validation: mix(validation), test: mix(test) };
}
