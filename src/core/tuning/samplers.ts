import type { Random } from '../util/random.ts';
import { gridValues, type Param, type ParamValues, type SearchSpace } from './search-space.ts';

export type SearchKind = 'grid' | 'random' | 'bayes';

/** A finished (or pruned) trial as the samplers see it: its values and score (lower is better). */
export interface Observation {
  values: ParamValues;
  score: number;
}

function sampleParam(p: Param, rng: Random): string | number | boolean {
  if (p.kind === 'choice') return p.values[rng.int(p.values.length)]!;
  const u = rng.next();
  const v = p.log ? Math.exp(Math.log(p.lo) + u * (Math.log(p.hi) - Math.log(p.lo))) : p.lo + u * (p.hi - p.lo);
  return p.kind === 'int' ? Math.round(v) : v;
}

/** Uniform random search (Bergstra & Bengio 2012), respecting log scales. */
export function randomSample(space: SearchSpace, rng: Random): ParamValues {
  const out: ParamValues = {};
  for (const p of space) out[p.path] = sampleParam(p, rng);
  return out;
}

/** Every combination of {@link gridValues}, in a fixed order; `limit` trims it (seeded shuffle keeps coverage even). */
export function gridPoints(space: SearchSpace, limit: number, rng: Random, points = 4): ParamValues[] {
  let all: ParamValues[] = [{}];
  for (const p of space) {
    const vs = gridValues(p, points);
    all = all.flatMap((partial) => vs.map((v) => ({ ...partial, [p.path]: v })));
  }
  if (all.length <= limit) return all;
  for (let i = all.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, limit);
}

const toUnit = (p: Extract<Param, { lo: number }>, v: number) =>
  p.log ? (Math.log(v) - Math.log(p.lo)) / (Math.log(p.hi) - Math.log(p.lo) || 1) : (v - p.lo) / (p.hi - p.lo || 1);
const fromUnit = (p: Extract<Param, { lo: number }>, u: number) => {
  const c = Math.min(1, Math.max(0, u));
  const v = p.log ? Math.exp(Math.log(p.lo) + c * (Math.log(p.hi) - Math.log(p.lo))) : p.lo + c * (p.hi - p.lo);
  return p.kind === 'int' ? Math.round(v) : v;
};

function gaussian(rng: Random): number {
  const u = Math.max(1e-12, rng.next()),
    v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), one parameter at a time: observations
 * are split at the γ = 0.25 quantile of score into "good" and "bad"; each side becomes a Parzen
 * density (Gaussian kernels on the unit-scaled, log where declared, axis; smoothed frequencies for
 * choices); 24 candidates drawn from the good density are ranked by l(x)/g(x). Falls back to random
 * sampling for the first `startup` trials.
 */
export function tpeSample(
  space: SearchSpace,
  history: readonly Observation[],
  rng: Random,
  startup = 5,
  candidates = 24,
): ParamValues {
  const done = history.filter((o) => Number.isFinite(o.score));
  if (done.length < startup) return randomSample(space, rng);
  const sorted = [...done].sort((a, b) => a.score - b.score);
  const nGood = Math.max(1, Math.ceil(0.25 * sorted.length));
  const good = sorted.slice(0, nGood),
    bad = sorted.slice(nGood);
  const out: ParamValues = {};
  for (const p of space) {
    if (p.kind === 'choice') {
      const weight = (obs: readonly Observation[]) =>
        p.values.map((v) => (obs.filter((o) => o.values[p.path] === v).length + 1) / (obs.length + p.values.length));
      const l = weight(good),
        g = weight(bad);
      let best = 0,
        bestRatio = -Infinity;
      for (let c = 0; c < candidates; c++) {
        let u = rng.next(),
          i = 0;
        while (i < l.length - 1 && u >= l[i]!) u -= l[i++]!;
        const ratio = l[i]! / g[i]!;
        if (ratio > bestRatio) ((bestRatio = ratio), (best = i));
      }
      out[p.path] = p.values[best]!;
      continue;
    }
    const pts = (obs: readonly Observation[]) => obs.map((o) => toUnit(p, Number(o.values[p.path])));
    const lg = pts(good),
      bg = pts(bad);
    const bw = (xs: number[]) => Math.max(0.05, 1.06 * Math.min(0.5, std(xs) || 0.25) * Math.max(1, xs.length) ** -0.2);
    const hl = bw(lg),
      hb = bw(bg);
    const density = (xs: number[], h: number, x: number) =>
      xs.length === 0 ? 1 : xs.reduce((s, m) => s + Math.exp(-0.5 * ((x - m) / h) ** 2), 0) / (xs.length * h) + 1e-12;
    let best = 0.5,
      bestRatio = -Infinity;
    for (let c = 0; c < candidates; c++) {
      const x = Math.min(1, Math.max(0, lg[rng.int(lg.length)]! + hl * gaussian(rng)));
      const ratio = density(lg, hl, x) / density(bg, hb, x);
      if (ratio > bestRatio) ((bestRatio = ratio), (best = x));
    }
    out[p.path] = fromUnit(p, best);
  }
  return out;
}

function std(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}
