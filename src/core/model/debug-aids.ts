import type { Preprocessor } from '../data/preprocess.ts';
import { disposeModel } from './artifacts.ts';
import type { EncodedSet } from './prepare.ts';
import type { NetworkSpec } from './network-spec.ts';
import { trainModel } from './train-model.ts';

export interface OverfitReport {
  rows: number;
  steps: number;
  losses: number[];
  initialLoss: number;
  finalLoss: number;
  /** The pipeline can fit: the loss fell below 5% of where it started (or below 0.01). */
  passed: boolean;
  verdict: string;
}

function take(set: EncodedSet, n: number, d: number): EncodedSet {
  return { X: set.X.slice(0, n * d), y: set.y.slice(0, n) as Int32Array | Float32Array, rows: set.rows.slice(0, n) };
}

/**
 * "Overfit one batch" (Karpathy's sanity check): trains the configured network on a single small
 * batch, without dropout or early stopping, and reports whether the loss goes to near zero. A model
 * that cannot memorize 32 rows has a bug in its data, labels or wiring — or far too little capacity.
 * Cost: `steps` optimizer steps on one batch.
 */
export async function overfitOneBatch(
  pre: Preprocessor,
  train: EncodedSet,
  config: NetworkSpec,
  rows = 32,
  steps = 150,
  isCancelled?: () => boolean,
): Promise<OverfitReport> {
  const batch = take(train, Math.min(rows, train.y.length), pre.inputSize);
  const cfg: NetworkSpec = {
    ...config,
    epochs: steps,
    batchSize: batch.y.length,
    earlyStoppingPatience: 0,
    schedule: 'constant',
    classWeights: 'none',
    dropout: 0,
    l2: 0,
  };
  const losses: number[] = [];
  const out = await trainModel(pre, batch, batch, cfg, {
    isCancelled,
    onStep: (_s, _lr, loss) => void losses.push(loss),
  });
  disposeModel(out.model);
  const initialLoss = losses[0] ?? NaN,
    finalLoss = out.history.at(-1)?.train.loss ?? losses.at(-1) ?? NaN;
  const passed = Number.isFinite(finalLoss) && (finalLoss < 0.01 || finalLoss < 0.05 * initialLoss);
  return {
    rows: batch.y.length,
    steps: losses.length,
    losses,
    initialLoss,
    finalLoss,
    passed,
    verdict: passed
      ? `Passed: on ${batch.y.length} rows the loss fell from ${initialLoss.toFixed(4)} ` +
        `to ${finalLoss.toFixed(4)} in ${losses.length} steps — the pipeline can learn.`
      : `Failed: on ${batch.y.length} rows the loss only went from ${initialLoss.toFixed(4)} ` +
        `to ${finalLoss.toFixed(4)} in ${losses.length} steps. Check the label and features, raise the ` +
        `learning rate, or add capacity.`,
  };
}

export interface LrRangeReport {
  learningRates: number[];
  losses: number[];
  /** Exponentially smoothed losses (β = 0.9, bias-corrected) used to pick the suggestion. */
  smoothed: number[];
  /** A tenth of the rate at the smoothed minimum — a common starting point (Smith 2017, fast.ai). */
  suggested: number;
}

/**
 * Learning-rate range test (Smith 2017): one short run whose rate grows geometrically from `lo` to
 * `hi` step by step, recording the loss; stops when the smoothed loss exceeds 4× its minimum.
 * Cost: at most `steps` optimizer steps.
 */
export async function lrRangeTest(
  pre: Preprocessor,
  train: EncodedSet,
  config: NetworkSpec,
  lo = 1e-6,
  hi = 1,
  steps = 100,
  isCancelled?: () => boolean,
): Promise<LrRangeReport> {
  const learningRates: number[] = [],
    losses: number[] = [],
    smoothed: number[] = [];
  const factor = (hi / lo) ** (1 / Math.max(1, steps - 1));
  const perEpoch = Math.max(1, Math.ceil(train.y.length / config.batchSize));
  const cfg: NetworkSpec = { ...config, epochs: Math.ceil(steps / perEpoch), earlyStoppingPatience: 0 };
  let avg = 0,
    best = Infinity;
  const out = await trainModel(pre, train, train, cfg, {
    isCancelled,
    trainEvalRows: 0,
    lrAtStep: (s) => lo * factor ** (s - 1),
    onStep: (s, lr, loss) => {
      learningRates.push(lr);
      losses.push(loss);
      avg = 0.9 * avg + 0.1 * loss;
      const sm = avg / (1 - 0.9 ** s);
      smoothed.push(sm);
      best = Math.min(best, sm);
      return s >= steps || !Number.isFinite(loss) || sm > 4 * best;
    },
  });
  disposeModel(out.model);
  const at = smoothed.indexOf(Math.min(...smoothed.filter(Number.isFinite)));
  return { learningRates, losses, smoothed, suggested: (learningRates[Math.max(0, at)] ?? config.learningRate) / 10 };
}
