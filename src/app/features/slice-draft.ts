import type { ColumnSchema } from '../../core/data/schema.ts';
import type { SliceCondition } from '../../core/evaluation/slices.ts';

/**
 * The conditions "Add slice" adds: the conditions built so far, or — when none was added yet — the
 * one being edited (so a one-condition slice needs no "Add condition" first). Empty when nothing is
 * chosen.
 * @example sliceConditions([], { column: 'age', op: 'range', min: 18, max: 30 }) // [that condition]
 */
export function sliceConditions(draft: readonly SliceCondition[], editing: SliceCondition | null): SliceCondition[] {
  return draft.length ? [...draft] : editing ? [editing] : [];
}

/**
 * Where a range condition on a column starts: the column's minimum and maximum in the dataset's
 * schema; for a column the schema does not describe, the range of the numbers seen in `examples`
 * (e.g. the run's sampled rows); 0–1 only when nothing is known.
 * @example rangeDefaults(schema.columns, 'age', []) // { min: 19, max: 75 }
 */
export function rangeDefaults(
  columns: readonly Pick<ColumnSchema, 'name' | 'min' | 'max'>[] | undefined,
  column: string,
  examples: readonly (string | null | undefined)[] = [],
): { min: number; max: number } {
  const c = columns?.find((x) => x.name === column);
  if (c && Number.isFinite(c.min) && Number.isFinite(c.max)) return { min: c.min!, max: c.max! };
  const xs = examples.map((v) => (v == null || v === '' ? NaN : Number(v))).filter(Number.isFinite);
  return xs.length ? { min: Math.min(...xs), max: Math.max(...xs) } : { min: 0, max: 1 };
}
