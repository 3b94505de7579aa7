import { describe, expect, it } from 'vitest';
import { createRandom } from '../util/random.ts';
import { creditClicks, interleavingPreference, teamDraft } from './interleaving.ts';

describe('team-draft interleaving', () => {
  it('merges without duplicates, balancing the teams', () => {
    const rng = createRandom(4);
    for (let q = 0; q < 200; q++) {
      const { items, team } = teamDraft([1, 2, 3, 4, 5, 6], [3, 1, 7, 8, 2, 9], 6, rng);
      expect(new Set(items).size).toBe(6);
      const a = team.filter((t) => t === 'A').length;
      expect(Math.abs(a - (6 - a))).toBeLessThanOrEqual(1);
      // Each team's items keep their ranker's order.
      const fromA = items.filter((_, i) => team[i] === 'A');
      expect(fromA.map((x) => [1, 2, 3, 4, 5, 6].indexOf(x))).toEqual(
        [...fromA.map((x) => [1, 2, 3, 4, 5, 6].indexOf(x))].sort((x, y) => x - y),
      );
    }
  });
  it('finds the ranker users prefer, and a sign test that says so', () => {
    const rng = createRandom(9);
    const relevant = new Set([7, 8, 9]); // B ranks these higher
    const outcomes = Array.from({ length: 300 }, () => {
      const { items, team } = teamDraft([1, 2, 3, 7, 8, 9], [7, 8, 1, 9, 2, 3], 6, rng);
      const clicks = items.flatMap((x, i) => (relevant.has(x) && rng.next() < 0.6 ? [i] : []));
      return creditClicks(team, clicks);
    });
    const pref = interleavingPreference(outcomes);
    expect(pref.preferB).toBeGreaterThan(0.7);
    expect(pref.p).toBeLessThan(1e-6);
    // The sign test matches scipy.stats.binomtest(3, 20).pvalue = 0.0025768280029296875.
    expect(interleavingPreference([...Array(3).fill('A'), ...Array(17).fill('B')]).p).toBeCloseTo(
      0.0025768280029296875,
      14,
    );
  });
});
