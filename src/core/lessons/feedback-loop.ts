import { createRandom, type Random } from '../util/random.ts';
import { sampleNormal } from '../rollout/bandits.ts';

/**
 * A degenerate feedback loop: a recommender shows each user group its top-K items by estimated click
 * rate, learned only from the clicks its own recommendations caused. Users click an item with
 * probability appeal(group, item) × positionBias(slot). Rich-get-richer: items never shown never get
 * clicks, so the estimates of the items shown first harden and the catalogue collapses.
 * Fixes: exploration (each slot shows a random item with probability ε), and a positional feature
 * (estimates divide clicks by the position bias of the slots the item was shown in, so items shown
 * low are not punished for their slot).
 */
export type LoopPolicy = 'naive' | 'explore' | 'positional';

export interface LoopRound {
  round: number;
  /** Distinct items recommended this round (all groups) ÷ catalogue size. */
  aggregateDiversity: number;
  /** Share of impressions on long-tail items (the 80% least appealing on average). */
  longTail: number;
  ctr: number;
}

export interface LoopResult {
  policy: LoopPolicy;
  rounds: LoopRound[];
  /** Distinct items ever recommended after the first round ÷ catalogue size. */
  coverage: number;
}

export interface LoopOptions {
  items: number;
  groups: number;
  usersPerGroup: number;
  slots: number;
  rounds: number;
  epsilon: number;
  seed: number;
}

export function feedbackLoop(policy: LoopPolicy, o: LoopOptions): LoopResult {
  const rng = createRandom(o.seed);
  // Appeal: a popularity curve shared by all, times a group taste; fixed by the seed for every policy.
  const pop = Float64Array.from({ length: o.items }, (_, i) => 0.5 / (1 + i) ** 0.5);
  const appeal = Array.from({ length: o.groups }, () =>
    Float64Array.from(pop, (p) => Math.min(0.95, p * (0.3 + 1.4 * rng.next()))),
  );
  const meanAppeal = Float64Array.from({ length: o.items }, (_, i) => appeal.reduce((s, a) => s + a[i]!, 0) / o.groups);
  const tail = new Uint8Array(o.items);
  [...meanAppeal.keys()]
    .sort((a, b) => meanAppeal[b]! - meanAppeal[a]!)
    .slice(Math.ceil(o.items * 0.2))
    .forEach((i) => (tail[i] = 1));
  const bias = Float64Array.from({ length: o.slots }, (_, s) => 1 / (1 + s));
  const sim = createRandom(o.seed + 17);
  const clicks = appeal.map(() => new Float64Array(o.items));
  const exposure = appeal.map(() => new Float64Array(o.items)); // impressions (naive) or Σ position bias (positional)
  const ever = new Uint8Array(o.items);
  const rounds: LoopRound[] = [];
  for (let r = 0; r < o.rounds; r++) {
    const shown = new Uint8Array(o.items);
    let imps = 0,
      tailImps = 0,
      nClicks = 0;
    for (let g = 0; g < o.groups; g++) {
      // The click rate each item has earned in the recommender's own logs (an item never shown scores 0).
      const est = Float64Array.from({ length: o.items }, (_, i) => clicks[g]![i]! / (exposure[g]![i]! + 1));
      for (let u = 0; u < o.usersPerGroup; u++) {
        // Round 1 is a cold start (a random list per user); afterwards each user's ranking is the
        // estimate times a little per-user noise (their own features, in a real system).
        const score = Float64Array.from(est, (e) => (r === 0 ? sim.next() : e * Math.exp(0.5 * sampleNormal(sim))));
        const ranked = [...score.keys()].sort((a, b) => score[b]! - score[a]! || a - b);
        const list: number[] = [];
        let k = 0;
        for (let s = 0; s < o.slots; s++) {
          let item: number;
          if (policy === 'explore' && sim.next() < o.epsilon) {
            do item = sim.int(o.items);
            while (list.includes(item));
          } else {
            while (list.includes(ranked[k]!)) k++;
            item = ranked[k++]!;
          }
          list.push(item);
        }
        list.forEach((item, s) => {
          shown[item] = 1;
          if (r > 0) ever[item] = 1;
          imps++;
          tailImps += tail[item]!;
          const click = sim.next() < appeal[g]![item]! * bias[s]!;
          nClicks += Number(click);
          clicks[g]![item]! += Number(click);
          exposure[g]![item]! += policy === 'positional' ? bias[s]! : 1;
        });
      }
    }
    rounds.push({
      round: r + 1,
      aggregateDiversity: shown.reduce((a, b) => a + b, 0) / o.items,
      longTail: tailImps / imps,
      ctr: nClicks / imps,
    });
  }
  return { policy, rounds, coverage: ever.reduce((a, b) => a + b, 0) / o.items };
}

export type { Random };
