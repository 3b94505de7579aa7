import { describe, expect, it } from 'vitest';
import { abVersusBandit } from './ab-vs-bandit.ts';
import { feedbackLoop } from './feedback-loop.ts';

describe('lesson simulations', () => {
  it('A/B versus Thompson sampling on one stream: both find B; the bandit loses fewer conversions', () => {
    const r = abVersusBandit({ rateA: 0.1, rateB: 0.15, requests: 6000, alpha: 0.05, seed: 3 });
    expect(r.ab.winner).toBe('B');
    expect(r.bandit.winner).toBe('B');
    expect(r.bandit.regret.at(-1)!).toBeLessThan(r.ab.regret.at(-1)!);
    // Same seed, same numbers.
    expect(abVersusBandit({ rateA: 0.1, rateB: 0.15, requests: 6000, alpha: 0.05, seed: 3 }).ab.decidedAt).toBe(r.ab.decidedAt);
  });
  it('the feedback loop collapses the catalogue; exploration keeps it open', () => {
    const o = { items: 200, groups: 4, usersPerGroup: 50, slots: 5, rounds: 20, epsilon: 0.2, seed: 1 };
    const naive = feedbackLoop('naive', o), explore = feedbackLoop('explore', o), positional = feedbackLoop('positional', o);
    expect(positional.rounds).toHaveLength(20);
    expect(naive.rounds.at(-1)!.aggregateDiversity).toBeLessThan(naive.rounds[0]!.aggregateDiversity / 3);
    expect(explore.rounds.at(-1)!.aggregateDiversity).toBeGreaterThan(2 * naive.rounds.at(-1)!.aggregateDiversity);
    expect(explore.coverage).toBeGreaterThan(naive.coverage * 3);
    // The loop locks in whatever got lucky clicks in round 1: exploration also finds better items.
    expect(explore.rounds.at(-1)!.ctr).toBeGreaterThan(naive.rounds.at(-1)!.ctr);
  });
});
