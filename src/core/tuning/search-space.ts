import type { ModelKind, TrainConfig } from '../model/spec.ts';
import { completeConfig } from '../model/spec.ts';

/** One hyperparameter of a search space; `path` is a TrainConfig field ("learningRate", "model.maxDepth"). */
export type Param =
  | { path: string; kind: 'float'; lo: number; hi: number; log?: boolean }
  | { path: string; kind: 'int'; lo: number; hi: number; log?: boolean }
  | { path: string; kind: 'choice'; values: readonly (string | number | boolean)[] };

export type SearchSpace = readonly Param[];
export type ParamValues = Record<string, string | number | boolean>;

/**
 * A sensible default space per model family (ranges, log scales and choices), used by the app and
 * `benchtop tune` when the person does not declare one.
 */
export function defaultSpace(kind: ModelKind): SearchSpace {
  const neural: Param[] = [
    { path: 'learningRate', kind: 'float', lo: 1e-4, hi: 3e-2, log: true },
    { path: 'batchSize', kind: 'choice', values: [16, 32, 64, 128] },
    { path: 'model.l2', kind: 'choice', values: [0, 1e-5, 1e-4, 1e-3] },
  ];
  switch (kind) {
    case 'logistic':
    case 'linear':
      return neural;
    case 'mlp':
      return [
        ...neural,
        { path: 'model.hidden', kind: 'choice', values: ['32', '64', '128', '64,32', '128,64'] },
        { path: 'model.dropout', kind: 'float', lo: 0, hi: 0.5 },
        { path: 'model.activation', kind: 'choice', values: ['relu', 'tanh', 'elu'] },
      ];
    case 'cnn':
      return [
        ...neural,
        { path: 'model.filters', kind: 'choice', values: ['8', '8,16', '16,32'] },
        { path: 'model.dropout', kind: 'float', lo: 0, hi: 0.5 },
      ];
    case 'tree':
      return [
        { path: 'model.maxDepth', kind: 'int', lo: 1, hi: 16 },
        { path: 'model.minSamplesLeaf', kind: 'int', lo: 1, hi: 32, log: true },
      ];
    case 'forest':
      return [
        { path: 'model.nEstimators', kind: 'int', lo: 10, hi: 200, log: true },
        { path: 'model.maxDepth', kind: 'int', lo: 2, hi: 16 },
        { path: 'model.minSamplesLeaf', kind: 'int', lo: 1, hi: 16, log: true },
        { path: 'model.maxFeatures', kind: 'choice', values: ['sqrt', 'all'] },
      ];
    case 'gbt':
      return [
        { path: 'model.nEstimators', kind: 'int', lo: 10, hi: 200, log: true },
        { path: 'model.boostLearningRate', kind: 'float', lo: 0.01, hi: 0.5, log: true },
        { path: 'model.maxDepth', kind: 'int', lo: 1, hi: 6 },
        { path: 'model.subsample', kind: 'float', lo: 0.5, hi: 1 },
      ];
    case 'knn':
      return [
        { path: 'model.k', kind: 'int', lo: 1, hi: 50, log: true },
        { path: 'model.knnWeights', kind: 'choice', values: ['uniform', 'distance'] },
      ];
    case 'naive-bayes':
      return [{ path: 'model.varSmoothing', kind: 'float', lo: 1e-12, hi: 1e-2, log: true }];
    case 'onnx':
      return [];
  }
}

/** A config with the trial's values written in (list-valued params like "128,64" become arrays). */
export function applyParams(base: TrainConfig, values: ParamValues): TrainConfig {
  const c = structuredClone(completeConfig(base)) as TrainConfig & Record<string, unknown>;
  for (const [path, v] of Object.entries(values)) {
    const parts = path.split('.');
    let obj = c as Record<string, unknown>;
    for (const p of parts.slice(0, -1)) obj = obj[p] as Record<string, unknown>;
    const key = parts.at(-1)!;
    obj[key] = (key === 'hidden' || key === 'filters') && typeof v === 'string' ? v.split(',').map(Number) : v;
  }
  return c;
}

/** Values of a grid: every choice; numeric ranges at `points` (log-)evenly spaced points. */
export function gridValues(p: Param, points = 4): (string | number | boolean)[] {
  if (p.kind === 'choice') return [...p.values];
  const out: number[] = [];
  for (let i = 0; i < points; i++) {
    const t = points === 1 ? 0.5 : i / (points - 1);
    let v = p.log ? Math.exp(Math.log(p.lo) + t * (Math.log(p.hi) - Math.log(p.lo))) : p.lo + t * (p.hi - p.lo);
    if (p.kind === 'int') v = Math.round(v);
    else v = Number(v.toPrecision(3));
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** Checks a declared space: known kinds, lo < hi, positive bounds on log scales, non-empty choices. */
export function checkSpace(space: SearchSpace): string | null {
  for (const p of space) {
    if (p.kind === 'choice') {
      if (p.values.length === 0) return `${p.path}: a choice needs at least one value`;
    } else if (!(p.lo < p.hi) && !(p.lo === p.hi)) return `${p.path}: the range ${p.lo}…${p.hi} is empty`;
    else if (p.log && p.lo <= 0) return `${p.path}: a log-scale range must be positive`;
  }
  return null;
}
