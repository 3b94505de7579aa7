import { describe, expect, it } from 'vitest';
import { splitRows } from './split.ts';

const all = (s: ReturnType<typeof splitRows>) => [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);

describe('splitRows', () => {
  it('random: a seeded partition; same seed same split, other seed other split', () => {
    const a = splitRows(100, { kind: 'random', fractions: [0.7, 0.15, 0.15], seed: 7 });
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([70, 15, 15]);
    expect(all(a)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(splitRows(100, { kind: 'random', fractions: [0.7, 0.15, 0.15], seed: 7 })).toEqual(a);
    expect(Array.from(splitRows(100, { kind: 'random', fractions: [0.7, 0.15, 0.15], seed: 8 }).train)).not.toEqual(
      Array.from(a.train),
    );
  });
  it('stratified keeps class proportions in every split', () => {
    const strata = Int32Array.from({ length: 1000 }, (_, i) => (i < 700 ? 0 : 1));
    const s = splitRows(1000, { kind: 'stratified', fractions: [0.6, 0.2, 0.2], seed: 1 }, strata);
    for (const part of [s.train, s.validation, s.test]) {
      const ones = [...part].filter((i) => strata[i] === 1).length;
      expect(ones / part.length).toBeCloseTo(0.3, 2);
    }
    expect(all(s).length).toBe(1000);
  });
  it('time: the earliest rows train, the latest test', () => {
    const order = Float64Array.from({ length: 10 }, (_, i) => 100 - i);
    const s = splitRows(10, { kind: 'time', fractions: [0.6, 0.2, 0.2], seed: 1 }, undefined, order);
    expect(Array.from(s.test)).toEqual([1, 0]);
    expect(Array.from(s.train)).toEqual([9, 8, 7, 6, 5, 4]);
  });
  it('rejects fractions that do not sum to 1', () => {
    expect(() => splitRows(10, { kind: 'random', fractions: [0.5, 0.2, 0.2], seed: 1 })).toThrow(/sum to 1/);
  });
  it('stratified: a class of 1.78M rows splits (it overflowed the call stack with push(...rows))', () => {
    const n = 1_780_000;
    const strata = Int32Array.from({ length: n }, (_, i) => (i < 1_700_000 ? 0 : 1));
    const s = splitRows(n, { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: 3 });
    expect(s.train.length + s.validation.length + s.test.length).toBe(n);
    const t = splitRows(n, { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: 3 }, strata);
    expect([t.train.length, t.validation.length, t.test.length]).toEqual([1_246_000, 267_000, 267_000]);
  });
});
