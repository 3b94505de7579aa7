import { describe, expect, it } from 'vitest';
import { csvTable, shippedTable } from '../../../tests/unit/fixtures.ts';
import { inferSchema } from '../data/schema.ts';
import { runExpectations, suggestExpectations, type Expectation } from './expectations.ts';

describe('data expectations', () => {
  const t = csvTable(
    [
      'id,age,start,end,city,code',
      '1,34,1,5,Oslo,AB-1',
      '2,,2,1,Oslo,AB-2',
      '3,151,3,9,Paris,XX',
      '3,40,4,4,Rome,AB-4',
      '5,-2,5,8,Oslo,AB-5',
    ].join('\n'),
  );
  const run = (e: Expectation) => runExpectations(t, [e])[0]!;
  it('each kind passes or fails with the share, and example rows', () => {
    expect(run({ kind: 'not-null', column: 'age' })).toMatchObject({
      passed: false,
      failing: 1,
      examples: [{ row: 2, value: '' }],
    });
    expect(run({ kind: 'not-null', column: 'age', mostly: 0.8 }).passed).toBe(true);
    expect(run({ kind: 'between', column: 'age', min: 0, max: 120 })).toMatchObject({
      passed: false,
      failing: 2,
      examples: [
        { row: 3, value: '151' },
        { row: 5, value: '-2' },
      ],
    });
    expect(run({ kind: 'in-set', column: 'city', values: ['Oslo', 'Paris'] })).toMatchObject({
      passed: false,
      failing: 1,
      examples: [{ row: 4, value: 'Rome' }],
    });
    expect(run({ kind: 'matches', column: 'code', pattern: '^AB-\\d$' })).toMatchObject({
      failing: 1,
      examples: [{ row: 3, value: 'XX' }],
    });
    expect(run({ kind: 'unique', column: 'id' })).toMatchObject({ passed: false, examples: [{ row: 4, value: '3' }] });
    expect(run({ kind: 'greater-than', column: 'end', other: 'start' })).toMatchObject({
      failing: 2,
      examples: [
        { row: 2, value: '1 vs 2' },
        { row: 4, value: '4 vs 4' },
      ],
    });
    expect(run({ kind: 'greater-than', column: 'end', other: 'start', orEqual: true }).failing).toBe(1);
    expect(run({ kind: 'mean-between', column: 'age', min: 50, max: 60 })).toMatchObject({
      passed: true,
      observed: 'mean = 55.750',
    });
    expect(run({ kind: 'quantile-between', column: 'age', quantile: 0.5, min: 0, max: 10 })).toMatchObject({
      passed: false,
      observed: 'q0.5 = 37.000',
    });
    expect(run({ kind: 'column-exists', column: 'city', type: 'categorical' }).passed).toBe(true);
    expect(run({ kind: 'column-exists', column: 'age', type: 'categorical' })).toMatchObject({
      passed: false,
      observed: 'present, numeric',
    });
    expect(run({ kind: 'not-null', column: 'nope' })).toMatchObject({
      passed: false,
      error: 'The data has no column "nope".',
    });
    expect(run({ kind: 'matches', column: 'code', pattern: '(' }).error).toMatch(/not a valid regular expression/);
  });
  it('suggested from training data: the training data passes them; shifted data breaks some', () => {
    const wine = shippedTable('wine.csv');
    const suggestions = suggestExpectations(wine, inferSchema(wine, 'cultivar'));
    expect(suggestions.length).toBeGreaterThan(40);
    expect(runExpectations(wine, suggestions).filter((r) => !r.passed)).toEqual([]);
    const lines = ['alcohol,malic_acid', '30,1', '31,1', '29,2'];
    const bad = runExpectations(
      csvTable(lines.join('\n')),
      suggestions.filter((s) => s.column === 'alcohol' || s.column === 'cultivar'),
    );
    expect(
      bad
        .filter((r) => !r.passed)
        .map((r) => r.expectation.kind)
        .sort(),
    ).toEqual(['between', 'column-exists', 'in-set', 'mean-between', 'not-null'].sort());
  });
});
