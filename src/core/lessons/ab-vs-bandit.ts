import { AlwaysValidP } from '../stats/ab-test.ts';
import { sampleBeta } from '../rollout/bandits.ts';
import { createRandom } from '../util/random.ts';

/**
 * A/B test against a bandit on the same replayed stream: every request t has a pre-drawn outcome for
 * each variant (would this user convert under A, under B), so both policies meet the same users.
 * - A/B: a 50/50 split until the always-valid p-value crosses α, then everything to the winner.
 * - Thompson sampling: routes by posterior draws; it "decides" when the posterior probability that one
 *   variant is better (2,000 Monte-Carlo draws) passes 1 − α.
 * Regret: conversions lost against always showing the better variant (expected, from the true rates).
 */
export interface AbBanditResult {
  requests: number;
  rates: [number, number];
  ab: { decidedAt: number | null; winner: 'A' | 'B' | null; regret: number[]; conversions: number };
  bandit: {
    decidedAt: number | null;
    winner: 'A' | 'B' | null;
    regret: number[];
    conversions: number;
    shareB: number[];
  };
  /** Per request (thinned to ≤ 300 points): x, the always-valid p, and the bandit's P(B better). */
  trace: { x: number[]; pAlways: number[]; probB: number[] };
}

export function abVersusBandit(o: {
  rateA: number;
  rateB: number;
  requests: number;
  alpha: number;
  seed: number;
}): AbBanditResult {
  const rng = createRandom(o.seed);
  const N = o.requests;
  const outA = new Uint8Array(N),
    outB = new Uint8Array(N);
  for (let t = 0; t < N; t++) ((outA[t] = Number(rng.next() < o.rateA)), (outB[t] = Number(rng.next() < o.rateB)));
  const best = Math.max(o.rateA, o.rateB);
  const route = createRandom(o.seed + 1),
    draws = createRandom(o.seed + 2);
  // A/B
  const avp = new AlwaysValidP();
  const qa: number[] = [],
    qb: number[] = [];
  let abDecided: number | null = null,
    abWinner: 'A' | 'B' | null = null,
    abConv = 0,
    abReg = 0,
    sa = 0,
    na = 0,
    sb = 0,
    nb = 0;
  const abRegret: number[] = [],
    pAlways: number[] = [];
  // Bandit
  const bs = [0, 0],
    bn = [0, 0];
  let bDecided: number | null = null,
    bWinner: 'A' | 'B' | null = null,
    bConv = 0,
    bReg = 0,
    toB = 0;
  const bRegret: number[] = [],
    probB: number[] = [],
    shareB: number[] = [];
  const step = Math.max(1, Math.ceil(N / 300));
  const x: number[] = [];
  for (let t = 0; t < N; t++) {
    // A/B arm
    const arm = abWinner ? (abWinner === 'B' ? 1 : 0) : route.next() < 0.5 ? 1 : 0;
    const y = arm ? outB[t]! : outA[t]!;
    abConv += y;
    abReg += best - (arm ? o.rateB : o.rateA);
    if (!abWinner) {
      if (arm) (nb++, (sb += y), qb.push(y));
      else (na++, (sa += y), qa.push(y));
      while (qa.length && qb.length) avp.push(qa.shift()!, qb.shift()!);
      if (avp.p <= o.alpha) {
        abDecided = t + 1;
        abWinner = sb / Math.max(1, nb) > sa / Math.max(1, na) ? 'B' : 'A';
      }
    }
    // Thompson
    const dA = sampleBeta(1 + bs[0]!, 1 + bn[0]! - bs[0]!, draws),
      dB = sampleBeta(1 + bs[1]!, 1 + bn[1]! - bs[1]!, draws);
    const b = dB > dA ? 1 : 0;
    const yb = b ? outB[t]! : outA[t]!;
    bs[b]! += yb;
    bn[b]!++;
    bConv += yb;
    bReg += best - (b ? o.rateB : o.rateA);
    toB += b;
    let pB = NaN;
    if (t % step === 0 || t === N - 1 || bDecided === null) {
      let wins = 0;
      const M = bDecided === null ? 400 : 0;
      for (let i = 0; i < M; i++)
        if (sampleBeta(1 + bs[1]!, 1 + bn[1]! - bs[1]!, draws) > sampleBeta(1 + bs[0]!, 1 + bn[0]! - bs[0]!, draws))
          wins++;
      pB = M ? wins / M : (probB.at(-1) ?? NaN);
      if (bDecided === null && M && t >= 20 && (pB >= 1 - o.alpha || pB <= o.alpha)) {
        // Confirm with a larger draw before declaring.
        let w2 = 0;
        for (let i = 0; i < 2000; i++)
          if (sampleBeta(1 + bs[1]!, 1 + bn[1]! - bs[1]!, draws) > sampleBeta(1 + bs[0]!, 1 + bn[0]! - bs[0]!, draws))
            w2++;
        const p2 = w2 / 2000;
        if (p2 >= 1 - o.alpha || p2 <= o.alpha) {
          bDecided = t + 1;
          bWinner = p2 >= 0.5 ? 'B' : 'A';
        }
        pB = p2;
      }
    }
    if (t % step === 0 || t === N - 1) {
      x.push(t + 1);
      abRegret.push(abReg);
      bRegret.push(bReg);
      pAlways.push(avp.p);
      probB.push(pB);
      shareB.push(toB / (t + 1));
    }
  }
  return {
    requests: N,
    rates: [o.rateA, o.rateB],
    ab: { decidedAt: abDecided, winner: abWinner, regret: abRegret, conversions: abConv },
    bandit: { decidedAt: bDecided, winner: bWinner, regret: bRegret, conversions: bConv, shareB },
    trace: { x, pAlways, probB },
  };
}
