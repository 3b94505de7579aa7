import { describe, expect, it } from 'vitest';
import { csvTable, shippedTable } from '../../../tests/unit/fixtures.ts';
import { inferSchema } from '../data/schema.ts';
import { prepareData } from '../model/prepare.ts';
import { fitTree } from '../classical/decision-tree.ts';
import { scoreBaselines } from './baselines.ts';
import { booleanWords } from './boolean-words.ts';
import { bestSingleFeatureRule } from './single-feature-rule.ts';

const prepared = (csv: ReturnType<typeof csvTable>, label: string, seed = 1) => {
  const p = prepareData(csv, inferSchema(csv, label), { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed });
  if (!p.ok) throw new Error(p.error.message);
  return p.value;
};

describe('best single-feature rule', () => {
  it('on german-credit (the lesson split) predicts two classes, where the Gini stump predicts "good" twice', () => {
    const t = shippedTable('german-credit.csv');
    const { pre, train, validation, test } = prepared(t, 'class');
    const y = train.y as Int32Array;
    const k = 2;
    // The old baseline: a depth-1 Gini tree. Both of its leaves predict the majority class.
    const stump = fitTree(train.X, y, y.length, pre.inputSize, {
      criterion: 'gini',
      classes: k,
      maxDepth: 1,
      minSamplesLeaf: 1,
    });
    const leaf = (i: number) => (stump.value[i * k]! >= stump.value[i * k + 1]! ? 0 : 1);
    expect(leaf(stump.left[0]!)).toBe(leaf(stump.right[0]!));
    const rule = bestSingleFeatureRule(train.X, y, y.length, pre.inputSize, k)!;
    expect(rule.leftClass).not.toBe(rule.rightClass);
    const b = scoreBaselines(pre, train, { validation, test }, 1);
    const th = b.find((x) => x.kind === 'threshold')!;
    expect(th.branches![0]).not.toBe(th.branches![1]);
    expect(th.detail).toMatch(/→ "(good|bad)", otherwise "(good|bad)"/);
    // Its training accuracy, counted here directly, is what the search maximised.
    let correct = 0;
    for (let i = 0; i < y.length; i++) {
      const left = train.X[i * pre.inputSize + rule.input]! <= rule.threshold;
      if ((left ? rule.leftClass : rule.rightClass) === y[i]) correct++;
    }
    expect(correct).toBe(rule.correct);
  });

  it('is the most accurate split with two classes on a constructed set, and null when none exists', () => {
    // x0 separates perfectly at 0.5; x1 is noise.
    const X = Float32Array.from([0, 5, 0, 1, 0, 9, 1, 2, 1, 3, 1, 7]);
    const y = Int32Array.from([0, 0, 0, 1, 1, 1]);
    const r = bestSingleFeatureRule(X, y, 6, 2, 2)!;
    expect([r.input, r.threshold, r.leftClass, r.rightClass, r.correct]).toEqual([0, 0.5, 0, 1, 6]);
    // 9 of class 0 and 1 of class 1 everywhere: the majority wins on both sides of every split.
    const X2 = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const y2 = Int32Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(bestSingleFeatureRule(X2, y2, 10, 1, 2)).toBeNull();
  });

  it('says so when every split predicts the same class on both sides', () => {
    const rows = ['x,c'];
    for (let i = 0; i < 40; i++) rows.push(`${i % 10},${i % 10 === 4 ? 'b' : 'a'}`);
    const t = csvTable(rows.join('\n'));
    const { pre, train, validation, test } = prepared(t, 'c');
    const th = scoreBaselines(pre, train, { validation, test }, 1).find((x) => x.kind === 'threshold')!;
    expect(th.detail).toMatch(/^no single-feature rule predicts different classes/);
    expect(th.branches).toEqual(['a', 'a']);
  });
});

describe('rule texts on two-valued columns', () => {
  it('names the value of a yes/no column instead of a cut between 0 and 1', () => {
    const rows = ['physician-fee-freeze,party'];
    for (let i = 0; i < 60; i++) rows.push(i % 3 === 0 ? 'y,republican' : i % 3 === 1 ? 'n,democrat' : 'n,democrat');
    const t = csvTable(rows.join('\n'));
    const { pre, train, validation, test } = prepared(t, 'party');
    expect(pre.features[0]).toMatchObject({ kind: 'numeric', parse: 'boolean' });
    const th = scoreBaselines(pre, train, { validation, test }, 1, [], booleanWords(t, pre)).find(
      (x) => x.kind === 'threshold',
    )!;
    expect(th.detail).toBe('physician-fee-freeze = n → "democrat", otherwise "republican"');
    // With missing votes (imputed by the mean, ≈ 1/3, on the "n" side) the rule is "not y".
    const gaps = csvTable(rows.map((r, i) => (i % 7 === 5 ? `,${r.split(',')[1]}` : r)).join('\n'));
    const g = prepared(gaps, 'party');
    const th2 = scoreBaselines(g.pre, g.train, g, 1, [], booleanWords(gaps, g.pre)).find(
      (x) => x.kind === 'threshold',
    )!;
    expect(th2.detail).toBe('physician-fee-freeze ≠ y → "democrat", otherwise "republican"');
  });

  it('names the other category of a two-category column, and the value of a 0/1 column', () => {
    const rows = ['colour,flag,k'];
    for (let i = 0; i < 60; i++) rows.push(i % 2 ? 'red,0,a' : 'blue,1,b');
    const t = csvTable(rows.join('\n'));
    const schema = inferSchema(t, 'k');
    const p = prepareData(
      t,
      { ...schema, columns: schema.columns.map((c) => (c.name === 'flag' ? { ...c, role: 'ignore' } : c)) },
      {
        kind: 'stratified',
        fractions: [0.7, 0.15, 0.15],
        seed: 1,
      },
    );
    if (!p.ok) throw new Error(p.error.message);
    const th = scoreBaselines(p.value.pre, p.value.train, p.value, 1).find((x) => x.kind === 'threshold')!;
    expect(th.detail).toBe('colour = "red" → "a", otherwise "b"');
    const q = prepared(csvTable(rows.map((r) => r.split(',').slice(1).join(',')).join('\n')), 'k');
    const th2 = scoreBaselines(q.pre, q.train, q, 1).find((x) => x.kind === 'threshold')!;
    expect(th2.detail).toBe('flag = 0 → "a", otherwise "b"');
  });
});
