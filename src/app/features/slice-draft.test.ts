import { describe, expect, it } from 'vitest';
import { rangeDefaults, sliceConditions } from './slice-draft.ts';

describe('slice form', () => {
  it('"Add slice" adds the condition being edited when none was added', () => {
    const c = { column: 'age', op: 'range' as const, min: 19, max: 75 };
    expect(sliceConditions([], c)).toEqual([c]);
    const d = { column: 'job', op: 'eq' as const, value: 'skilled' };
    expect(sliceConditions([d], c)).toEqual([d]);
    expect(sliceConditions([], null)).toEqual([]);
  });
  it("ranges start at the column's minimum and maximum, not 0–1", () => {
    const cols = [{ name: 'age', min: 19, max: 75 }, { name: 'job' }];
    expect(rangeDefaults(cols, 'age')).toEqual({ min: 19, max: 75 });
    expect(rangeDefaults(cols, 'job', ['3', null, '12.5', 'x'])).toEqual({ min: 3, max: 12.5 });
    expect(rangeDefaults(undefined, 'job')).toEqual({ min: 0, max: 1 });
  });
});
