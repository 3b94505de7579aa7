/**
 * Classical model sanity: a stored decision tree, forest or boosting state is walked as plain data
 * before it predicts, so a tampered `classical.json` (NaN thresholds, a child index pointing back up
 * the tree) is refused naming the field instead of predicting NaN or looping forever.
 */
import type { ClassicalState } from '../contracts/model.ts';
import { describeValue } from '../store/schemas/describe-value.ts';
import { CLASSICAL_STATE_SCHEMAS, type ClassicalFamilyKind } from '../store/schemas/model-files.ts';
import { record } from '../store/schemas/primitives.ts';
import { validateRecord } from '../store/schemas/validate.ts';
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

type Sizes = (s: Loose, inputSize: number, outputs: number | undefined) => Refusal | null;

const len = (x: unknown) => (x as unknown[]).length;
/** `field "state.<f>" …` when the inputs the state expects (`d`) are not the preprocessor's. */
const inputsOf = (s: Loose, inputSize: number): Refusal | null =>
  s.d === inputSize
    ? null
    : atField('state.d', `says ${String(s.d)} inputs, but preprocessing.json makes ${inputSize}`);
const outputsOf = (field: string, n: number, outputs: number | undefined): Refusal | null =>
  outputs === undefined || n === outputs
    ? null
    : atField(field, `gives ${n} output(s) per row, but preprocessing.json's label has ${outputs}`);

/**
 * Per family: the sizes in a state that must agree with each other and with the preprocessor
 * (`outputs`: the label's classes, 1 for regression), so prediction never reads past an array.
 */
const SIZES: Readonly<Record<ClassicalFamilyKind, Sizes>> = Object.freeze({
  tree: (s, _, outputs) => outputsOf('state.width', s.width as number, outputs),
  forest: (s, _, outputs) => {
    if (len(s.trees) === 0) return atField('state.trees', 'is an empty list (a forest needs a tree)');
    const i = (s.trees as Loose[]).findIndex((t) => t.width !== s.width);
    if (i >= 0) return atField(`state.trees[${i}].width`, `must be the forest's width ${String(s.width)}`);
    return outputsOf('state.width', s.width as number, outputs);
  },
  gbt: (s, _, outputs) => {
    const width = s.mode === 'multiclass' ? (s.classes as number) : 1;
    if (len(s.init) !== width) return atField('state.init', `must hold ${width} number(s) (it holds ${len(s.init)})`);
    const r = (s.rounds as Loose[][]).findIndex((trees) => trees.length !== width);
    if (r >= 0) return atField(`state.rounds[${r}]`, `must hold ${width} tree(s) (one per score)`);
    const bad = (s.rounds as Loose[][]).flat().findIndex((t) => t.width !== 1);
    if (bad >= 0) return atField('state.rounds', 'holds a tree whose width is not 1 (boosting trees give one score)');
    return outputsOf('state.mode', s.mode === 'binary' ? 2 : width, outputs);
  },
  knn: (s, inputSize, outputs) => {
    const d = inputsOf(s, inputSize);
    if (d) return d;
    const n = len(s.y);
    if (n === 0) return atField('state.y', 'is an empty list (kNN needs its training rows)');
    if (len(s.X) !== n * inputSize)
      return atField(
        'state.X',
        `must hold ${n} rows × ${inputSize} inputs = ${n * inputSize} numbers (it holds ${len(s.X)})`,
      );
    const classes = s.classes as number;
    if (classes > 0) {
      const i = (s.y as unknown[]).findIndex(
        (c) => !Number.isInteger(c) || (c as number) < 0 || (c as number) >= classes,
      );
      if (i >= 0) return atField(`state.y[${i}]`, `must be a class index below ${classes}`);
    }
    return outputsOf('state.classes', classes > 0 ? classes : 1, outputs);
  },
  'naive-bayes': (s, inputSize, outputs) => {
    const d = inputsOf(s, inputSize);
    if (d) return d;
    const k = s.classes as number;
    if (len(s.logPrior) !== k) return atField('state.logPrior', `must hold ${k} numbers, one per class`);
    for (const f of ['mean', 'variance'] as const)
      if (len(s[f]) !== k * inputSize)
        return atField(`state.${f}`, `must hold ${k} classes × ${inputSize} inputs = ${k * inputSize} numbers`);
    const i = (s.variance as unknown[]).findIndex((x) => typeof x !== 'number' || !(x > 0) || !Number.isFinite(x));
    if (i >= 0) return atField(`state.variance[${i}]`, `must be a finite number > 0`);
    return outputsOf('state.classes', k, outputs);
  },
  'linear-svm': (s, inputSize, outputs) => {
    const d = inputsOf(s, inputSize);
    if (d) return d;
    const k = s.classes as number;
    if (k < 2) return atField('state.classes', 'must be at least 2');
    const rows = k === 2 ? 1 : k;
    if (len(s.w) !== rows * (inputSize + 1))
      return atField('state.w', `must hold ${rows} × (${inputSize} inputs + bias) = ${rows * (inputSize + 1)} numbers`);
    return outputsOf('state.classes', k, outputs);
  },
});

/**
 * Checks a classical model's fitted state before it predicts: a family this version knows
 * (refused naming `field "family"` otherwise), a state of that family's shape
 * (`CLASSICAL_STATE_SCHEMAS`: lists where lists go, whole numbers where sizes go), sizes that agree
 * with each other and with the preprocessor (`inputSize`, and `outputs` — the label's classes, or 1
 * for regression — when given), no NaN anywhere, and every tree (a decision tree, a forest's or
 * boosting's trees) with finite thresholds and leaf values, input indices below `inputSize`, and
 * child nodes in range after their parent (so prediction ends).
 * Cost: O(size of the state).
 * Errors: `bad-model`, naming the file and the field (`classical.json: field "state.threshold[3]" …`,
 * `field: 'state.threshold[3]'`).
 */
export function checkClassicalState(
  c: ClassicalState,
  inputSize: number,
  file = 'classical.json',
  outputs?: number,
): Result<void> {
  const refuse = (e: Refusal) => fail({ kind: 'bad-model', file, field: e.field, message: `${file}: ${e.message}.` });
  const family = c.family as ClassicalFamilyKind;
  if (!Object.hasOwn(CLASSICAL_STATE_SCHEMAS, family)) {
    const known = Object.keys(CLASSICAL_STATE_SCHEMAS).join(', ');
    return refuse(
      atField(
        'family',
        `names ${typeof c.family === 'string' ? JSON.stringify(c.family) : describeValue(c.family)}, which is not a classical model family of this version of Benchtop ` +
          `(${known}); the model may come from a newer version`,
      ),
    );
  }
  // The walk first (it reads any value defensively and says what a node must hold), then the
  // family's types, then the sizes that assume those types.
  const walked = checkState(c.state, 'state', inputSize);
  if (walked) return refuse(walked);
  const typed = validateRecord(record({ state: CLASSICAL_STATE_SCHEMAS[family] }), { state: c.state }, file, {
    kind: 'bad-model',
  });
  if (!typed.ok) return typed;
  const e = SIZES[family](c.state as Loose, inputSize, outputs);
  return e ? refuse(e) : ok(undefined);
}
