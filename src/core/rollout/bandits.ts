import type { Random } from '../util/random.ts';

/**
 * Multi-armed bandits that route traffic between model versions: each request goes to the arm the
 * policy chooses, and its reward (a click, a correct prediction) updates the policy.
 * - ε-greedy: explore uniformly with probability ε, else the best mean so far;
 * - UCB1 (Auer et al. 2002): each arm once, then the largest mean + √(2 ln t / n);
 * - Thompson sampling (Bernoulli rewards): a draw from each arm's Beta(1 + successes, 1 + failures).
 */
export interface Bandit {
  readonly name: string;
  choose(): number;
  update(arm: number, reward: number): void;
  /** Pulls and mean reward per arm so far. */
  readonly pulls: readonly number[];
  readonly means: readonly number[];
}

abstract class Base {
  pulls: number[];
  sums: number[];
  t = 0;
  constructor(readonly k: number) {
    this.pulls = new Array<number>(k).fill(0);
    this.sums = new Array<number>(k).fill(0);
  }
  get means(): number[] {
    return this.sums.map((s, i) => (this.pulls[i] ? s / this.pulls[i]! : 0));
  }
  update(arm: number, reward: number): void {
    this.t++;
    this.pulls[arm]!++;
    this.sums[arm]! += reward;
  }
  protected best(score: (i: number) => number): number {
    let b = 0;
    for (let i = 1; i < this.k; i++) if (score(i) > score(b)) b = i;
    return b;
  }
}

export class EpsilonGreedy extends Base implements Bandit {
  readonly name: string;
  constructor(
    k: number,
    private readonly epsilon: number,
    private readonly rng: Random,
  ) {
    super(k);
    this.name = `ε-greedy (ε = ${epsilon})`;
  }
  choose(): number {
    const untried = this.pulls.indexOf(0);
    if (untried >= 0) return untried;
    if (this.rng.next() < this.epsilon) return this.rng.int(this.k);
    const m = this.means;
    return this.best((i) => m[i]!);
  }
}

export class Ucb1 extends Base implements Bandit {
  readonly name = 'UCB1';
  choose(): number {
    const untried = this.pulls.indexOf(0);
    if (untried >= 0) return untried;
    const m = this.means,
      lt = Math.log(this.t);
    return this.best((i) => m[i]! + Math.sqrt((2 * lt) / this.pulls[i]!));
  }
}

export class Thompson extends Base implements Bandit {
  readonly name = 'Thompson sampling';
  constructor(
    k: number,
    private readonly rng: Random,
  ) {
    super(k);
  }
  choose(): number {
    const draws = this.pulls.map((n, i) => sampleBeta(1 + this.sums[i]!, 1 + n - this.sums[i]!, this.rng));
    return this.best((i) => draws[i]!);
  }
}

/** A standard normal draw (Box–Muller). */
export function sampleNormal(rng: Random): number {
  const u = 1 - rng.next(),
    v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000); shape < 1 through the boost Gamma(a+1)·U^(1/a). */
export function sampleGamma(shape: number, rng: Random): number {
  if (shape < 1) return sampleGamma(shape + 1, rng) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3,
    c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function sampleBeta(a: number, b: number, rng: Random): number {
  const x = sampleGamma(a, rng),
    y = sampleGamma(b, rng);
  return x / (x + y);
}

export interface BanditTrace {
  /** Per step: the arm chosen, cumulative reward, and cumulative (expected) regret against the best arm. */
  arms: Uint8Array;
  reward: Float64Array;
  regret: Float64Array;
}

/**
 * Replays `steps` requests through a bandit; `reward(arm, t)` gives the observed reward (from a
 * logged stream or a simulation) and `means` the arms' true mean rewards, for the expected regret.
 */
export function runBandit(
  b: Bandit,
  steps: number,
  reward: (arm: number, t: number) => number,
  means: readonly number[],
): BanditTrace {
  const best = Math.max(...means);
  const arms = new Uint8Array(steps),
    cum = new Float64Array(steps),
    regret = new Float64Array(steps);
  let r = 0,
    g = 0;
  for (let t = 0; t < steps; t++) {
    const a = b.choose();
    const x = reward(a, t);
    b.update(a, x);
    r += x;
    g += best - means[a]!;
    arms[t] = a;
    cum[t] = r;
    regret[t] = g;
  }
  return { arms, reward: cum, regret };
}
