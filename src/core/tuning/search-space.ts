import type { TrainConfig } from '../contracts/train-config.ts';
import { familyOf } from '../families/index.ts';
import { configFor } from '../families/index.ts';
import type { Param, ParamValues, SearchSpace } from './param.ts';
export type { Param, ParamValues, SearchSpace } from './param.ts';

/**
 * The default search space of a family (its registry entry's ranges, log scales and choices), used by
 * the app and `benchtop tune` when the person does not declare one; empty for an unknown kind.
 */
export function defaultSpace(kind: string): SearchSpace {
  return familyOf(kind)?.searchSpace ?? [];
}

/** A param path as a field name: "maxDepth", or an older "model.maxDepth". */
export const fieldOfPath = (path: string): string => path.replace(/^model\./, '');

/**
 * A config with the trial's values written into the family's params (list-valued params like "128,64"
 * become arrays; paths may carry the older "model." prefix).
 */
export function applyParams(base: TrainConfig, values: ParamValues): TrainConfig {
  const params = { ...configFor(base.kind, base.params, base.seed).params };
  const family = familyOf(base.kind);
  for (const [path, v] of Object.entries(values)) {
    const name = fieldOfPath(path);
    const field = family?.fields.find((f) => f.name === name);
    params[name] = field?.type === 'int-list' && typeof v === 'string' ? v.split(',').map(Number) : v;
  }
  return { ...base, params };
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
