import type { Task } from '../contracts/data.ts';
import type { Params } from '../contracts/train-config.ts';
import { disposeModel, modelToArtifacts } from '../model/artifacts.ts';
import { imageSide, outputUnits } from '../model/build-model.ts';
import type { NetworkSpec, NeuralKind } from '../model/network-spec.ts';
import { trainModel, type TrainCallbacks } from '../model/train-model.ts';
import type { FitContext, FitInput, FitOutcome, ModelFamily, ParamField } from './family.ts';
import { TRAINING_FIELDS } from './fields.ts';
import type { SearchSpace } from '../tuning/param.ts';

/** The search space every network shares: step size, batch and L2. */
export const NETWORK_SPACE: SearchSpace = Object.freeze([
  { path: 'learningRate', kind: 'float', lo: 1e-4, hi: 3e-2, log: true },
  { path: 'batchSize', kind: 'choice', values: [16, 32, 64, 128] },
  { path: 'l2', kind: 'choice', values: [0, 1e-5, 1e-4, 1e-3] },
]);

/** A full network spec from a family's params (fields a family lacks take neutral values). */
export function networkSpec(kind: NeuralKind, p: Params, seed: number): NetworkSpec {
  const n = (k: string, d: number) => (typeof p[k] === 'number' ? (p[k] as number) : d);
  const s = <T extends string>(k: string, d: T) => (typeof p[k] === 'string' ? (p[k] as T) : d);
  const list = (k: string) => (Array.isArray(p[k]) ? [...(p[k] as number[])] : []);
  return {
    kind,
    hidden: list('hidden'),
    filters: list('filters'),
    activation: s('activation', 'relu'),
    dropout: n('dropout', 0),
    l2: n('l2', 0),
    batchNorm: p.batchNorm === true,
    epochs: n('epochs', 20),
    batchSize: n('batchSize', 32),
    learningRate: n('learningRate', 0.001),
    optimizer: s('optimizer', 'adam'),
    schedule: s('schedule', 'constant'),
    scheduleEvery: n('scheduleEvery', 10),
    scheduleGamma: n('scheduleGamma', 0.5),
    earlyStoppingPatience: n('earlyStoppingPatience', 0),
    classWeights: s('classWeights', 'none'),
    seed,
  };
}

/**
 * Parameters and bytes a network needs to train: weights + gradients + two Adam moments, plus one
 * batch's activations. Returns null when it fits the budget, else the sentence to show.
 */
function memoryProblem(spec: NetworkSpec, ctx: FitContext): string | null {
  const out = outputUnits(ctx.task, ctx.classes);
  let params = 0,
    widest = ctx.inputSize,
    prev = ctx.inputSize;
  if (spec.kind === 'cnn') {
    let ch = 1,
      side = imageSide(ctx.inputSize)!;
    for (const f of spec.filters) {
      params += 9 * ch * f + f;
      widest = Math.max(widest, side * side * f);
      ch = f;
      side = Math.ceil(side / 2);
    }
    prev = side * side * ch;
  }
  const widths = spec.kind === 'mlp' ? spec.hidden : spec.kind === 'cnn' ? spec.hidden.slice(0, 1) : [];
  for (const u of [...widths, out]) {
    params += prev * u + u;
    widest = Math.max(widest, u);
    prev = u;
  }
  const bytes = params * 4 * 4 + spec.batchSize * widest * 4 * 2 * (widths.length + spec.filters.length + 2);
  if (bytes <= ctx.memoryBudget) return null;
  return (
    `This network has ${params.toLocaleString('en-US')} parameters and needs about ` +
    `${(bytes / 2 ** 20).toFixed(0)} MB to train, more than the ${(ctx.memoryBudget / 2 ** 20).toFixed(0)} MB ` +
    'this device allows; use fewer or narrower layers or a smaller batch.'
  );
}

/**
 * Trains a network family with tfjs (mini-batch gradient descent, src/core/model/train-model.ts)
 * and keeps its weights as plain artifacts.
 */
export async function fitNetwork(spec: NetworkSpec, input: FitInput, cb: TrainCallbacks): Promise<FitOutcome> {
  const outcome = await trainModel(input.pre, input.train, input.validation, spec, cb);
  try {
    const artifacts = await modelToArtifacts(outcome.model);
    return {
      model: { kind: 'network', artifacts, preprocessor: input.pre },
      history: outcome.history,
      status: outcome.status,
      message: outcome.message,
      bestEpoch: outcome.bestEpoch,
      samplesPerSecond: outcome.samplesPerSecond,
      durationMs: outcome.durationMs,
    };
  } finally {
    disposeModel(outcome.model);
  }
}

/**
 * Builds a network family: its own model fields followed by the optimiser fields every network
 * shares, validation of the image shape (CNN) and of the memory budget, and the tfjs fit.
 */
export function defineNetworkFamily<P extends Params>(o: {
  kind: NeuralKind;
  label: string;
  description: string;
  tasks: readonly Task[];
  fields: readonly ParamField[];
  searchSpace?: SearchSpace;
  describe(params: P): string;
}): ModelFamily<P> {
  return Object.freeze({
    kind: o.kind,
    label: o.label,
    description: o.description,
    tasks: o.tasks,
    engine: 'network' as const,
    fields: Object.freeze([...o.fields, ...TRAINING_FIELDS]),
    searchSpace: Object.freeze([...NETWORK_SPACE, ...(o.searchSpace ?? [])]),
    describe: o.describe,
    exports: { onnx: true, tfjs: true },
    validate(params: P, ctx: FitContext) {
      const spec = networkSpec(o.kind, params, 0);
      if (o.kind === 'cnn' && imageSide(ctx.inputSize) === null)
        return {
          kind: 'bad-config',
          column: 'model',
          message:
            `A CNN reads its inputs as a square image; these ${ctx.inputSize} inputs are not a square ` +
            '(digits-8x8 has 64 = 8×8).',
        };
      const memory = memoryProblem(spec, ctx);
      return memory ? { kind: 'bad-config', column: 'model', message: memory } : null;
    },
    // Networks take the trainer's callbacks, recipes included (fine-tuning, distillation, QAT, pruning).
    fit: (params: P, input: FitInput, cb: TrainCallbacks) =>
      fitNetwork(networkSpec(o.kind, params, input.seed), input, cb),
  });
}
