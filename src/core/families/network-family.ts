import type { Task } from '../contracts/data.ts';
import type { Params } from '../contracts/train-config.ts';
import { imageSide, outputUnits } from '../model/network-spec.ts';
import type { NetworkSpec, NeuralKind } from '../model/network-spec.ts';
import type { TrainCallbacks } from '../model/train-model.ts';
import type { FitContext, FitInput, ModelFamily, ParamField } from './family.ts';
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
 * batch's activations, plus the training split as float32 tensors (rows × (inputs + outputs) × 4
 * bytes). Returns null when it fits the budget, else the sentence to show.
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
  // The training set is held as one float32 tensor of inputs and one of targets while training.
  const data = ctx.rows * (ctx.inputSize + out) * 4;
  const bytes = params * 4 * 4 + spec.batchSize * widest * 4 * 2 * (widths.length + spec.filters.length + 2) + data;
  if (bytes <= ctx.memoryBudget) return null;
  if (data * 2 > bytes)
    return (
      `The training split (${ctx.rows.toLocaleString('en-US')} rows × ${ctx.inputSize} inputs) needs about ` +
      `${(bytes / 2 ** 20).toFixed(0)} MB as float32 tensors to train, more than the ` +
      `${(ctx.memoryBudget / 2 ** 20).toFixed(0)} MB this device allows; sample fewer rows or use fewer columns.`
    );
  return (
    `This network has ${params.toLocaleString('en-US')} parameters and needs about ` +
    `${(bytes / 2 ** 20).toFixed(0)} MB to train, more than the ${(ctx.memoryBudget / 2 ** 20).toFixed(0)} MB ` +
    'this device allows; use fewer or narrower layers or a smaller batch.'
  );
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
    // tfjs loads with the first fit, so the page can read the registry (the train form) without it.
    fit: async (params: P, input: FitInput, cb: TrainCallbacks) => {
      const { fitNetwork } = await import('./network-fit.ts');
      return fitNetwork(networkSpec(o.kind, params, input.seed), input, cb);
    },
  });
}
