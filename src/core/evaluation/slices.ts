import type { Preprocessor } from '../data/preprocess.ts';
import { columnByName, type Table } from '../data/table.ts';
import { parseDate, parseNumber } from '../data/values.ts';
import { bootstrapInterval } from '../metrics/bootstrap.ts';
import { benjaminiHochberg } from '../stats/multiple-testing.ts';
import { meanDifference } from '../stats/welch.ts';
import type { SliceCondition, SliceDefinition, SliceResult } from '../contracts/evaluation.ts';
export type { SliceCondition, SliceDefinition, SliceResult } from '../contracts/evaluation.ts';

export function describeCondition(c: SliceCondition): string {
  return c.op === 'eq' ? `${c.column} = ${c.value}` : `${c.min} ≤ ${c.column} < ${c.max}`;
}

function matcher(table: Table, c: SliceCondition): (row: number) => boolean {
  const col = columnByName(table, c.column);
  if (!col) return () => false;
  if (c.op === 'eq') {
    const code = col.dictionary.indexOf(c.value);
    return (r) => col.codes[r] === code;
  }
  const values = col.dictionary.map((s) => {
    const v = parseNumber(s);
    return Number.isNaN(v) ? parseDate(s) : v;
  });
  return (r) => {
    const code = col.codes[r]!;
    if (code < 0) return false;
    const v = values[code]!;
    return v >= c.min && v < c.max;
  };
}

const metricOf = (loss: ArrayLike<number>, idx: ArrayLike<number>, metric: 'accuracy' | 'rmse') => {
  let s = 0;
  for (let i = 0; i < idx.length; i++) s += loss[idx[i]!]!;
  const m = s / idx.length;
  return metric === 'accuracy' ? 1 - m : Math.sqrt(m);
};

function score(
  name: string,
  conditions: SliceCondition[],
  inside: number[],
  loss: ArrayLike<number>,
  evalRows: ArrayLike<number>,
  metric: 'accuracy' | 'rmse',
  overall: number,
  seed: number,
  resamples = 300,
): Omit<SliceResult, 'adjustedP'> {
  const mask = new Uint8Array(loss.length);
  for (const i of inside) mask[i] = 1;
  const a = inside.map((i) => loss[i]!),
    b: number[] = [];
  for (let i = 0; i < loss.length; i++) if (!mask[i]) b.push(loss[i]!);
  const value = metricOf(loss, inside, metric);
  const d = b.length && a.length > 1 ? meanDifference(a, b) : { effectSize: NaN, pValue: NaN };
  return {
    name,
    conditions,
    size: inside.length,
    metric,
    value,
    interval: bootstrapInterval(
      inside.length,
      (ix) =>
        metricOf(
          loss,
          Array.from(ix, (j) => inside[j]!),
          metric,
        ),
      { resamples, seed },
    ),
    gap: value - overall,
    effectSize: d.effectSize,
    pValue: d.pValue,
    rows: inside.slice(0, 5000).map((i) => evalRows[i]!),
  };
}

/**
 * Scores the person's slices: size, metric with a bootstrap interval, the gap to the overall value,
 * and the test of "worse inside than outside". An empty slice is reported with size 0 and no value.
 */
export function scoreSlices(
  defs: readonly SliceDefinition[],
  table: Table,
  evalRows: ArrayLike<number>,
  loss: ArrayLike<number>,
  metric: 'accuracy' | 'rmse',
  seed = 1,
): SliceResult[] {
  const all = Array.from({ length: loss.length }, (_, i) => i);
  const overall = metricOf(loss, all, metric);
  const scored = defs.map((d) => {
    const ms = d.conditions.map((c) => matcher(table, c));
    const inside = all.filter((i) => ms.every((m) => m(evalRows[i]!)));
    const name = d.name || d.conditions.map(describeCondition).join(' ∧ ');
    return inside.length
      ? score(name, d.conditions, inside, loss, evalRows, metric, overall, seed)
      : {
          name,
          conditions: d.conditions,
          size: 0,
          metric,
          value: NaN,
          interval: { estimate: NaN, lo: NaN, hi: NaN, level: 0.95 },
          gap: NaN,
          effectSize: NaN,
          pValue: NaN,
          rows: [],
        };
  });
  const adj = benjaminiHochberg(scored.map((s) => (Number.isFinite(s.pValue) ? s.pValue : 1)));
  return scored.map((s, i) => ({ ...s, adjustedP: adj[i]! }));
}

/**
 * Automatic slice finding in the spirit of Slice Finder (Chung et al. 2019) and SliceLine (Sagadeeva
 * & Boehm 2021): candidate predicates are each value of a categorical feature and the quartiles of
 * each numeric one; crosses of up to three predicates on different columns are explored level by
 * level, extending only the most harmful slices (lattice search with pruning by size and effect).
 * Each slice's per-row loss is compared with the rest (effect size, one-sided Welch test); p-values
 * are adjusted over every tested slice by Benjamini–Hochberg, and the significant slices (FDR 5%)
 * with a real effect (≥ 0.2) are returned, most harmful first.
 * Cost: O(candidates × n) per level.
 */
export function findSlices(
  pre: Preprocessor,
  table: Table,
  evalRows: ArrayLike<number>,
  loss: ArrayLike<number>,
  metric: 'accuracy' | 'rmse',
  seed = 1,
  opts: { maxDegree?: number; minSize?: number; alpha?: number; beam?: number; top?: number } = {},
): SliceResult[] {
  const n = loss.length;
  const minSize = opts.minSize ?? Math.max(20, Math.ceil(0.02 * n));
  const maxDegree = opts.maxDegree ?? 3,
    alpha = opts.alpha ?? 0.05,
    beam = opts.beam ?? 25;
  const predicates: SliceCondition[] = [];
  for (const f of pre.features) {
    const col = columnByName(table, f.column);
    if (!col) continue;
    if (f.kind === 'onehot') for (const v of f.categories) predicates.push({ column: f.column, op: 'eq', value: v });
    else {
      const vals = Array.from(evalRows, (r) => (col.codes[r]! < 0 ? NaN : parseNumber(col.dictionary[col.codes[r]!]!)))
        .filter(Number.isFinite)
        .sort((a, b) => a - b);
      if (vals.length < minSize) continue;
      const q = [0, 0.25, 0.5, 0.75].map((p) => vals[Math.floor(p * (vals.length - 1))]!);
      const cuts = [...new Set(q)];
      cuts.forEach((lo, i) =>
        predicates.push({ column: f.column, op: 'range', min: lo, max: i + 1 < cuts.length ? cuts[i + 1]! : Infinity }),
      );
    }
  }
  const memberships = predicates.map((p) => {
    const m = matcher(table, p);
    const set = new Uint8Array(n);
    for (let i = 0; i < n; i++) set[i] = m(evalRows[i]!) ? 1 : 0;
    return set;
  });
  const all = Array.from({ length: n }, (_, i) => i);
  const overall = metricOf(loss, all, metric);
  const tested: Omit<SliceResult, 'adjustedP'>[] = [];
  let frontier: { preds: number[]; inside: number[] }[] = predicates
    .map((_, p) => ({ preds: [p], inside: all.filter((i) => memberships[p]![i]) }))
    .filter((s) => s.inside.length >= minSize);
  const seen = new Set<string>();
  for (let degree = 1; degree <= maxDegree && frontier.length; degree++) {
    const scored = frontier.map((s) => ({
      s,
      r: score(
        s.preds.map((p) => describeCondition(predicates[p]!)).join(' ∧ '),
        s.preds.map((p) => predicates[p]!),
        s.inside,
        loss,
        evalRows,
        metric,
        overall,
        seed,
        100,
      ),
    }));
    tested.push(...scored.map((x) => x.r));
    if (degree === maxDegree) break;
    const parents = scored
      .filter((x) => x.r.effectSize > 0)
      .sort((a, b) => b.r.effectSize - a.r.effectSize)
      .slice(0, beam);
    const next: { preds: number[]; inside: number[] }[] = [];
    for (const { s } of parents) {
      const cols = new Set(s.preds.map((p) => predicates[p]!.column));
      for (let p = 0; p < predicates.length; p++) {
        if (cols.has(predicates[p]!.column)) continue;
        const key = [...s.preds, p].sort((a, b) => a - b).join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        const inside = s.inside.filter((i) => memberships[p]![i]);
        if (inside.length >= minSize && inside.length < s.inside.length) next.push({ preds: [...s.preds, p], inside });
      }
    }
    frontier = next;
  }
  const adj = benjaminiHochberg(tested.map((s) => (Number.isFinite(s.pValue) ? s.pValue : 1)));
  return tested
    .map((s, i) => ({ ...s, adjustedP: adj[i]! }))
    .filter((s) => s.adjustedP < alpha && s.effectSize >= 0.2)
    .sort((a, b) => b.effectSize - a.effectSize)
    .slice(0, opts.top ?? 20);
}
