import type { Task } from '../data/preprocess.ts';
import type { Problem } from '../util/result.ts';
import { imageSide, outputUnits } from './build-model.ts';
import { MODEL_LABELS, NEURAL_KINDS, SUPPORTS, type NeuralKind, type TrainConfig } from './spec.ts';

/** Default memory budget for one model's training state when the device does not say (bytes). */
export const DEFAULT_MEMORY_BUDGET = 1024 * 1024 * 1024;

type Range = [name: string, value: number, lo: number, hi: number, integer?: boolean];

/**
 * Checks a configuration before any training starts: every hyperparameter in range, a model family
 * that handles the task, inputs a CNN can read as an image, and a network whose training state
 * (weights, gradients, Adam moments, activations of one batch) fits the device's memory budget.
 * Returns the first problem, naming the field, or null.
 * @example validateConfig(config, 'classification', 64, 10, 2 ** 30)
 */
export function validateConfig(
  config: TrainConfig,
  task: Task,
  inputSize: number,
  classes: number,
  rows: number,
  memoryBudget = DEFAULT_MEMORY_BUDGET,
): Problem | null {
  const m = config.model;
  const field = (column: string, message: string): Problem => ({ kind: 'bad-config', column, message });
  if (!SUPPORTS[m.kind]) return field('model', `Unknown model family "${m.kind}".`);
  if (!SUPPORTS[m.kind].includes(task)) {
    const alt =
      task === 'regression'
        ? 'linear regression, an MLP or a tree model'
        : 'logistic regression, an MLP or a tree model';
    return field(
      'model',
      `${MODEL_LABELS[m.kind]} does ${SUPPORTS[m.kind].join(' and ')} only, and this label needs ${task} (${task === 'regression' ? 'it is numeric' : 'it has classes'}); use ${alt}.`,
    );
  }
  const neural = (NEURAL_KINDS as readonly string[]).includes(m.kind);
  const ranges: Range[] = neural
    ? [
        ['epochs', config.epochs, 1, 10000, true],
        ['batch size', config.batchSize, 1, 65536, true],
        ['learning rate', config.learningRate, 1e-7, 10],
        ['dropout', m.dropout, 0, 0.95],
        ['L2 penalty', m.l2, 0, 10],
        ['early-stopping patience', config.earlyStoppingPatience, 0, 1000, true],
        ['schedule step', config.schedule.every, 1, 10000, true],
        ['schedule factor', config.schedule.gamma, 1e-4, 1],
      ]
    : [
        ['max depth', m.maxDepth, 1, 64, true],
        ['min rows per leaf', m.minSamplesLeaf, 1, 1e6, true],
        ['trees', m.nEstimators, 1, 5000, true],
        ['boosting rate', m.boostLearningRate, 1e-4, 1],
        ['subsample', m.subsample, 0.05, 1],
        ['k', m.k, 1, Math.max(1, rows), true],
        ['variance smoothing', m.varSmoothing, 0, 1],
      ];
  for (const [name, v, lo, hi, integer] of ranges) {
    if (!Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v)))
      return field(
        name,
        `${name[0]!.toUpperCase()}${name.slice(1)} must be ${integer ? 'a whole number ' : ''}between ${lo} and ${hi}; it is ${v}.`,
      );
  }
  if (!neural) return null;
  const kind = m.kind as NeuralKind;
  if (
    (kind === 'mlp' || kind === 'cnn') &&
    (m.hidden.length === 0 || m.hidden.some((u) => !Number.isInteger(u) || u < 1 || u > 65536))
  )
    return field('hidden layers', 'Hidden layer widths must be whole numbers between 1 and 65536.');
  if (kind === 'cnn') {
    const side = imageSide(inputSize);
    if (side === null)
      return field(
        'model',
        `A CNN reads its inputs as a square image; these ${inputSize} inputs are not a square (digits-8x8 has 64 = 8×8).`,
      );
    if (m.filters.length === 0 || m.filters.some((f) => !Number.isInteger(f) || f < 1 || f > 1024))
      return field('filters', 'Filters per convolution must be whole numbers between 1 and 1024.');
  }
  // Parameters, then bytes: weights + gradients + two Adam moments, plus one batch's activations.
  const out = outputUnits(task, classes);
  let params = 0,
    widest = inputSize,
    prev = inputSize;
  if (kind === 'cnn') {
    let ch = 1,
      side = imageSide(inputSize)!;
    for (const f of m.filters) {
      params += 9 * ch * f + f;
      widest = Math.max(widest, side * side * f);
      ch = f;
      side = Math.ceil(side / 2);
    }
    prev = side * side * ch;
  }
  const widths = kind === 'mlp' ? m.hidden : kind === 'cnn' ? m.hidden.slice(0, 1) : [];
  for (const u of [...widths, out]) {
    params += prev * u + u;
    widest = Math.max(widest, u);
    prev = u;
  }
  const bytes = params * 4 * 4 + config.batchSize * widest * 4 * 2 * (widths.length + m.filters.length + 2);
  if (bytes > memoryBudget) {
    return field(
      'model',
      `This network has ${params.toLocaleString('en-US')} parameters and needs about ${(bytes / 2 ** 20).toFixed(0)} MB to train, more than the ${(memoryBudget / 2 ** 20).toFixed(0)} MB this device allows; use fewer or narrower layers or a smaller batch.`,
    );
  }
  return null;
}
