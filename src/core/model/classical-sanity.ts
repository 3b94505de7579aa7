/**
 * Classical model sanity: a stored decision tree, forest or boosting state is walked as plain data
 * before it predicts, so a tampered `classical.json` (NaN thresholds, a child index pointing back up
 * the tree) is refused naming the field instead of predicting NaN or looping forever.
 */
import type { ClassicalState } from '../contracts/model.ts';
import { describeValue } from '../store/schemas/describe-value.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';

type Loose = Record<string, unknown>;
const isObject = (x: unknown): x is Loose => typeof x === 'object' && x !== null && !Array.isArray(x);
const isPositiveInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 1;

/** Why the walk refused, and the field it is about (`state.threshold[3]`). */
interface Refusal {
  message: string;
  field: string;
}

/** A refusal about `field "<field>"`: the message names it, and so does the problem. */
const atField = (field: string, rest: string): Refusal => ({ message: `field "${field}" ${rest}`, field });

/** Walks a classical state: refuses NaN anywhere, and trees whose nodes are out of range or not finite. */
function checkState(value: unknown, path: string, inputSize: number): Refusal | null {
  if (typeof value === 'number') return Number.isNaN(value) ? atField(path, 'holds NaN') : null;
  if (Array.isArray(value)) {
    if (value.length > 0 && typeof value[0] === 'number') {
      for (let i = 0; i < value.length; i++)
        if (typeof value[i] === 'number' && Number.isNaN(value[i])) return atField(`${path}[${i}]`, 'holds NaN');
      return null;
    }
    for (let i = 0; i < value.length; i++) {
      const e = checkState(value[i], `${path}[${i}]`, inputSize);
      if (e) return e;
    }
    return null;
  }
  if (!isObject(value)) return null;
  const t = value;
  if (Array.isArray(t.feature) && Array.isArray(t.left) && Array.isArray(t.right) && Array.isArray(t.value)) {
    const e = checkTree(t, path, inputSize);
    if (e) return e;
  }
  for (const [k, v] of Object.entries(value)) {
    const e = checkState(v, path ? `${path}.${k}` : k, inputSize);
    if (e) return e;
  }
  return null;
}

/** A CART tree as flat arrays (src/core/classical/decision-tree.ts): children after their parent, all in range. */
function checkTree(t: Loose, path: string, inputSize: number): Refusal | null {
  const feature = t.feature as unknown[],
    left = t.left as unknown[],
    right = t.right as unknown[],
    value = t.value as unknown[],
    threshold = t.threshold as unknown[] | undefined;
  const n = feature.length;
  const width = t.width;
  if (n === 0) return atField(path, 'is a tree with no nodes');
  if (!isPositiveInt(width))
    return atField(`${path}.width`, `must be a whole number ≥ 1 (it holds ${describeValue(width)})`);
  if (left.length !== n || right.length !== n || (threshold && threshold.length !== n) || value.length !== n * width)
    return atField(path, 'is a tree whose node lists have different lengths');
  for (let i = 0; i < n; i++) {
    const f = feature[i];
    if (typeof f !== 'number' || !Number.isInteger(f) || f >= inputSize)
      return atField(
        `${path}.feature[${i}]`,
        `must be an input index below ${inputSize} or -1 (it holds ${describeValue(f)})`,
      );
    if (f < 0) continue;
    for (const [side, arr] of [
      ['left', left],
      ['right', right],
    ] as const) {
      const c = arr[i];
      if (typeof c !== 'number' || !Number.isInteger(c) || c <= i || c >= n)
        return atField(
          `${path}.${side}[${i}]`,
          `must be a node after ${i} and below ${n} (it holds ${describeValue(c)})`,
        );
    }
    if (threshold && (typeof threshold[i] !== 'number' || !Number.isFinite(threshold[i])))
      return atField(`${path}.threshold[${i}]`, `must be a finite number (it holds ${describeValue(threshold[i])})`);
  }
  for (let i = 0; i < value.length; i++)
    if (typeof value[i] !== 'number' || !Number.isFinite(value[i]))
      return atField(`${path}.value[${i}]`, `must be a finite number (it holds ${describeValue(value[i])})`);
  return null;
}

/**
 * Checks a classical model's fitted state before it predicts: no NaN anywhere, and every tree (a
 * decision tree, a forest's or boosting's trees) with finite thresholds and leaf values, input
 * indices below `inputSize`, and child nodes in range after their parent (so prediction ends).
 * Cost: O(size of the state).
 * Errors: `bad-model`, naming the file and the field (`classical.json: field "state.threshold[3]" …`,
 * `field: 'state.threshold[3]'`).
 */
export function checkClassicalState(c: ClassicalState, inputSize: number, file = 'classical.json'): Result<void> {
  const e = checkState(c.state, 'state', inputSize);
  return e ? fail({ kind: 'bad-model', file, field: e.field, message: `${file}: ${e.message}.` }) : ok(undefined);
}
