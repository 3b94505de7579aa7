import { fitBoost, predictBoost } from '../classical/gradient-boosting.ts';
import { rocCurve } from '../metrics/ranking-curves.ts';
import { normalSf } from '../stats/normal.ts';
import { createRandom, type Random } from '../util/random.ts';

/**
 * Multivariate shift tests on encoded rows (row-major n × d, standardized by the reference):
 * - MMD² (unbiased) with a Gaussian kernel whose width is the median pairwise distance of the pooled
 *   sample, and a permutation test (Gretton et al. 2012);
 * - a classifier two-sample test: gradient-boosted trees learn to tell reference from current rows
 *   under k-fold cross-validation; the out-of-fold ROC AUC is ~0.5 without shift. Its p-value is the
 *   Mann–Whitney normal approximation for AUC = 0.5 (Lopez-Paz & Oquab 2017).
 * Both subsample (seeded) so they stay quick on large data.
 */
export interface MmdResult {
  mmd2: number;
  pValue: number;
  permutations: number;
  bandwidth: number;
  rows: [number, number];
}

export interface ClassifierTestResult {
  auc: number;
  pValue: number;
  folds: number;
  rows: [number, number];
  /** Encoded inputs the classifier leaned on most (split counts), when names are given. */
  topFeatures: { name: string; splits: number }[];
}

function sample(n: number, k: number, rng: Random): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.subarray(0, Math.min(n, k));
}

function rows(X: Float32Array, d: number, idx: Int32Array): Float32Array {
  const out = new Float32Array(idx.length * d);
  idx.forEach((r, i) => out.set(X.subarray(r * d, (r + 1) * d), i * d));
  return out;
}

export function mmdTest(
  A: Float32Array,
  nA: number,
  B: Float32Array,
  nB: number,
  d: number,
  o: { maxRows?: number; permutations?: number; seed?: number } = {},
): MmdResult {
  const rng = createRandom(o.seed ?? 1);
  const a = rows(A, d, sample(nA, o.maxRows ?? 300, rng)),
    b = rows(B, d, sample(nB, o.maxRows ?? 300, rng));
  const na = a.length / d,
    nb = b.length / d,
    n = na + nb;
  const Z = new Float32Array(n * d);
  Z.set(a);
  Z.set(b, na * d);
  const D2 = new Float64Array(n * n);
  const dists: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (Z[i * d + k]! - Z[j * d + k]!) ** 2;
      D2[i * n + j] = D2[j * n + i] = s;
      dists.push(s);
    }
  dists.sort((x, y) => x - y);
  const med = dists.length ? dists[Math.floor(dists.length / 2)]! : 1;
  const gamma = 1 / (2 * Math.max(med, 1e-12));
  const K = D2.map((v) => Math.exp(-gamma * v));
  const stat = (perm: Int32Array) => {
    // Unbiased MMD² of the first na indices of perm against the rest.
    let xx = 0,
      yy = 0,
      xy = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const k = K[perm[i]! * n + perm[j]!]!;
        const ia = i < na,
          ja = j < na;
        if (ia && ja) xx += k;
        else if (!ia && !ja) yy += k;
        else if (ia) xy += k;
      }
    return xx / (na * (na - 1)) + yy / (nb * (nb - 1)) - (2 * xy) / (na * nb);
  };
  const id = Int32Array.from({ length: n }, (_, i) => i);
  const obs = stat(id);
  const P = o.permutations ?? 200;
  let ge = 0;
  for (let p = 0; p < P; p++) if (stat(sample(n, n, rng)) >= obs) ge++;
  return { mmd2: obs, pValue: (1 + ge) / (1 + P), permutations: P, bandwidth: Math.sqrt(med), rows: [na, nb] };
}

export function classifierTest(
  A: Float32Array,
  nA: number,
  B: Float32Array,
  nB: number,
  d: number,
  o: { maxRows?: number; folds?: number; seed?: number; names?: string[] } = {},
): ClassifierTestResult {
  const rng = createRandom(o.seed ?? 1);
  const k = Math.min(nA, nB, o.maxRows ?? 2000);
  const a = rows(A, d, sample(nA, k, rng)),
    b = rows(B, d, sample(nB, k, rng));
  const n = 2 * k;
  const X = new Float32Array(n * d);
  X.set(a);
  X.set(b, k * d);
  const y = Float64Array.from({ length: n }, (_, i) => (i < k ? 0 : 1));
  const order = sample(n, n, rng);
  const folds = Math.max(2, Math.min(o.folds ?? 5, k));
  const scores = new Float64Array(n);
  const splits = new Map<number, number>();
  for (let f = 0; f < folds; f++) {
    const test = order.filter((_, i) => i % folds === f),
      train = order.filter((_, i) => i % folds !== f);
    const Xtr = rows(X, d, train),
      ytr = Float64Array.from(train, (r) => y[r]!);
    const model = fitBoost(Xtr, ytr, train.length, d, {
      task: 'classification',
      classes: 2,
      nEstimators: 40,
      learningRate: 0.2,
      maxDepth: 3,
      minSamplesLeaf: 5,
      subsample: 1,
      seed: (o.seed ?? 1) + f,
    });
    const p = predictBoost(model, rows(X, d, test), test.length, d);
    test.forEach((r, i) => (scores[r] = p[i * 2 + 1]!));
    for (const round of model.rounds)
      for (const t of round) for (const feat of t.feature) if (feat >= 0) splits.set(feat, (splits.get(feat) ?? 0) + 1);
  }
  const auc = rocCurve(
    scores,
    Array.from(y, (v) => v === 1),
  ).auc;
  const se = Math.sqrt((n + 1) / (12 * k * k));
  const names = o.names ?? [];
  const topFeatures = [...splits.entries()]
    .sort((p, q) => q[1] - p[1])
    .slice(0, 5)
    .map(([i, s]) => ({ name: names[i] ?? `input ${i}`, splits: s }));
  return { auc, pValue: normalSf((auc - 0.5) / se), folds, rows: [k, k], topFeatures };
}
