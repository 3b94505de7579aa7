import type { Preprocessor } from '../data/preprocess.ts';
import { cell, columnByName, type Table } from '../data/table.ts';
import { parseNumber } from '../data/values.ts';
import { predictAny } from '../pipeline/predict-any.ts';
import { argmaxRows } from '../metrics/argmax-rows.ts';
import type { TrainedModel } from '../model/spec.ts';
import { createRandom } from '../util/random.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { subTable, withColumn } from './subtable.ts';
import type { BehaviourTest, Example, BehaviourResult } from '../contracts/evaluation.ts';
export type { BehaviourTest, Example, BehaviourResult } from '../contracts/evaluation.ts';

const fmtNum = (v: number) => String(Number(v.toPrecision(6)));

function labelOf(pre: Preprocessor, out: Float64Array, i: number, k: number): string {
  return pre.label.task === 'classification'
    ? pre.label.classes[argmaxRows(out.subarray(i * k, (i + 1) * k), k)[0]!]!
    : fmtNum(out[i]!);
}

/**
 * Runs one behavioural test on the given rows:
 * - perturbation: Gaussian noise of σ = strength × the feature's standard deviation on every
 *   numeric feature, and (optionally) each categorical value swapped for another with probability
 *   strength — the metric at each strength;
 * - invariance: each row's sensitive attribute set to every other value it can take; the rate of
 *   rows whose prediction changes, with examples;
 * - directional: the feature increased by `delta` (in its own units); the rate of rows where the
 *   target class's probability (or the prediction, for regression) moves against the expectation.
 * Seeded, so reruns on a new version use the same noise.
 */
export async function runBehaviourTest(
  model: TrainedModel,
  table: Table,
  rows: Uint32Array,
  y: ArrayLike<number>,
  test: BehaviourTest,
  seed = 1,
): Promise<Result<BehaviourResult>> {
  const pre = model.preprocessor;
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  const base = subTable(table, rows);
  const all = Uint32Array.from({ length: rows.length }, (_, i) => i);
  const before = await predictAny(model, base, all);
  if (!before.ok) return before;
  const metricName = pre.label.task === 'classification' ? 'accuracy' : 'rmse';
  const score = (out: Float64Array) => {
    if (pre.label.task === 'classification') {
      const p = argmaxRows(out, k);
      let hit = 0;
      for (let i = 0; i < p.length; i++) if (p[i] === y[i]) hit++;
      return hit / p.length;
    }
    let s = 0;
    for (let i = 0; i < out.length; i++) s += (out[i]! - y[i]!) ** 2;
    return Math.sqrt(s / out.length);
  };
  if (test.kind === 'perturbation') {
    const values: number[] = [];
    for (const strength of test.strengths) {
      const rng = createRandom(seed + Math.round(strength * 1e6));
      let t = base;
      for (const f of pre.features) {
        const col = columnByName(base, f.column)!;
        if (f.kind === 'numeric' && f.parse === 'numeric') {
          t = withColumn(
            t,
            f.column,
            Array.from(col.codes, (code) => {
              if (code < 0) return null;
              const u = Math.max(1e-12, rng.next()),
                v = rng.next();
              const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
              return fmtNum(parseNumber(col.dictionary[code]!) + z * strength * f.std);
            }),
          );
        } else if (f.kind === 'onehot' && test.swapCategories && f.categories.length > 1) {
          t = withColumn(
            t,
            f.column,
            Array.from(col.codes, (code) => {
              const v = code < 0 ? null : col.dictionary[code]!;
              if (rng.next() >= strength) return v;
              const others = f.categories.filter((c) => c !== v);
              return others[rng.int(others.length)]!;
            }),
          );
        }
      }
      const out = await predictAny(model, t, all);
      if (!out.ok) return out;
      values.push(score(out.value));
    }
    const drop = values[0]! - values.at(-1)!;
    return ok({
      kind: 'perturbation',
      strengths: test.strengths,
      metric: metricName,
      values,
      note:
        `${metricName} goes from ${values[0]!.toFixed(3)} without noise to ${values.at(-1)!.toFixed(3)} ` +
        `at strength ${test.strengths.at(-1)} ` +
        `(${metricName === 'accuracy' ? 'a drop of' : 'a change of'} ${Math.abs(drop).toFixed(3)}).`,
    });
  }
  const f = pre.features.find((x) => x.column === test.column);
  const col = columnByName(base, test.column);
  if (!f || !col)
    return fail({
      kind: 'missing-column',
      column: test.column,
      message: `The model does not use a column "${test.column}".`,
    });
  if (test.kind === 'invariance') {
    const values = f.kind === 'onehot' ? f.categories : null;
    if (!values)
      return fail({
        kind: 'bad-test',
        column: test.column,
        message:
          `An invariance test swaps the values of a categorical attribute; "${test.column}" is ` +
          `numeric — use a directional test.`,
      });
    let changed = 0,
      tested = 0;
    const examples: Example[] = [];
    for (const v of values) {
      const swapped = withColumn(
        base,
        test.column,
        Array.from(col.codes, () => v),
      );
      const out = await predictAny(model, swapped, all);
      if (!out.ok) return out;
      for (let i = 0; i < rows.length; i++) {
        const orig = cell(col, i);
        if (orig === v || orig === null) continue;
        tested++;
        const a = labelOf(pre, before.value, i, k),
          b = labelOf(pre, out.value, i, k);
        if (a !== b) {
          changed++;
          if (examples.length < 20)
            examples.push({ row: rows[i]!, before: a, after: b, change: `${test.column}: ${orig} → ${v}` });
        }
      }
    }
    const changedRate = tested ? changed / tested : NaN;
    return ok({
      kind: 'invariance',
      column: test.column,
      changedRate,
      tested,
      examples,
      note:
        `Changing "${test.column}" alone changed the prediction in ${(changedRate * 100).toFixed(1)}% ` +
        `of ${tested} swaps.`,
    });
  }
  if (f.kind !== 'numeric')
    return fail({
      kind: 'bad-test',
      column: test.column,
      message:
        `A directional test increases a numeric feature; "${test.column}" is categorical — use an ` +
        `invariance test.`,
    });
  const target = pre.label.task === 'classification' ? pre.label.classes.indexOf(test.target) : 0;
  if (target < 0)
    return fail({
      kind: 'bad-test',
      column: 'target',
      message:
        `"${test.target}" is not a class of this model ` +
        `(${(pre.label as { classes: string[] }).classes.join(', ')}).`,
    });
  const moved = withColumn(
    base,
    test.column,
    Array.from(col.codes, (code) => (code < 0 ? null : fmtNum(parseNumber(col.dictionary[code]!) + test.delta))),
  );
  const after = await predictAny(model, moved, all);
  if (!after.ok) return after;
  let violations = 0,
    tested = 0;
  const examples: Example[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (col.codes[i]! < 0) continue;
    tested++;
    const a = pre.label.task === 'classification' ? before.value[i * k + target]! : before.value[i]!;
    const b = pre.label.task === 'classification' ? after.value[i * k + target]! : after.value[i]!;
    const bad = test.expect === 'increase' ? b < a - 1e-9 : b > a + 1e-9;
    if (bad) {
      violations++;
      if (examples.length < 20)
        examples.push({ row: rows[i]!, before: fmtNum(a), after: fmtNum(b), change: `${test.column} + ${test.delta}` });
    }
  }
  const violationRate = tested ? violations / tested : NaN;
  const what = pre.label.task === 'classification' ? `P(${test.target})` : 'the prediction';
  return ok({
    kind: 'directional',
    column: test.column,
    target: test.target,
    expect: test.expect,
    violationRate,
    tested,
    examples,
    note:
      `Raising "${test.column}" by ${test.delta} moved ${what} the wrong way ` +
      `in ${(violationRate * 100).toFixed(1)}% of ${tested} rows.`,
  });
}
