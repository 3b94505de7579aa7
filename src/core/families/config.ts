import type { ClassicalState } from '../contracts/model.ts';
import type { Problem } from '../contracts/problem.ts';
import type { Params, TrainConfig } from '../contracts/train-config.ts';
import type { FitContext } from './family.ts';
import { withDefaults, validateParams } from './params.ts';
import { familyOf, FAMILY_KINDS, type FamilyKind } from './registry.ts';

/** Default memory budget for one model's training state when the device does not say (bytes). */
export const DEFAULT_MEMORY_BUDGET = 1024 * 1024 * 1024;
export const DEFAULT_SEED = 42;
export const DEFAULT_FAMILY: FamilyKind = 'mlp';

/**
 * A complete configuration of a family: the given params over the family's defaults.
 * @example configFor('tree', { maxDepth: 3 }) // { kind: 'tree', params: { maxDepth: 3, minSamplesLeaf: 1 }, seed: 42 }
 */
export function configFor(kind: string, params: Partial<Params> = {}, seed = DEFAULT_SEED): TrainConfig {
  const family = familyOf(kind);
  return { kind, params: family ? withDefaults(family, params) : ({ ...params } as Params), seed };
}

/** The configuration a new person starts from (an MLP with its defaults). */
export const defaultConfig = (): TrainConfig => configFor(DEFAULT_FAMILY);

/** Display name of a family kind ('Imported ONNX model' for imports). */
export function familyLabel(kind: string): string {
  return kind === 'onnx' ? 'Imported ONNX model' : (familyOf(kind)?.label ?? kind);
}

/** A short name of a configuration, for run names and tables ("MLP 128-64", "Forest 50×d6"). */
export function describeConfig(config: Pick<TrainConfig, 'kind' | 'params'>): string {
  if (config.kind === 'onnx') return 'ONNX';
  const family = familyOf(config.kind);
  return family ? family.describe(withDefaults(family, config.params)) : config.kind;
}

/** Whether a family is a tfjs network (trained by gradient descent, exported to ONNX). */
export const isNetworkKind = (kind: string): boolean => familyOf(kind)?.engine === 'network';

/**
 * Checks a configuration before anything trains: a known family that handles the task, every
 * parameter in range, and the family's own rules (image-shaped inputs, the device's memory).
 * Returns the first problem, naming the field, or null.
 */
export function validateConfig(
  config: TrainConfig,
  ctx: Omit<FitContext, 'memoryBudget'> & { memoryBudget?: number },
): Problem | null {
  const family = familyOf(config.kind);
  const field = (column: string, message: string): Problem => ({ kind: 'bad-config', column, message });
  if (!family) return field('model', `Unknown model family "${config.kind}"; known: ${FAMILY_KINDS.join(', ')}.`);
  if (!family.tasks.includes(ctx.task)) {
    const alt = FAMILY_KINDS.filter((k) => familyOf(k)!.tasks.includes(ctx.task))
      .slice(0, 4)
      .map((k) => familyOf(k)!.label.toLowerCase())
      .join(', ');
    return field(
      'model',
      `${family.label} does ${family.tasks.join(' and ')} only, and this label needs ${ctx.task} ` +
        `(${ctx.task === 'regression' ? 'it is numeric' : 'it has classes'}); use one of: ${alt}.`,
    );
  }
  if (!Number.isInteger(config.seed)) return field('seed', `The seed must be a whole number; it is ${config.seed}.`);
  return validateParams(family, withDefaults(family, config.params), {
    ...ctx,
    memoryBudget: ctx.memoryBudget ?? DEFAULT_MEMORY_BUDGET,
  });
}

/**
 * Raw outputs of a classical model from its state through its family: class probabilities (n × k)
 * or standardised regression values (n).
 * @throws Error for a family this version does not know (a bug or a model from a newer version).
 */
export function predictClassical(c: ClassicalState, X: Float32Array, n: number, d: number): Float64Array {
  const family = familyOf(c.family);
  if (!family?.predictState) throw new Error(`No classical family "${c.family}" in this version.`);
  return family.predictState(c.state, X, n, d);
}
