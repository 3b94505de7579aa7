import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../core/model/spec.ts';
import { filterRuns } from './run-filter.ts';

// Hand-made records: only the fields the filter reads.
const run = (id: string, o: { acc: number; at: string; tags?: string[]; lr?: number; exp?: string }): RunRecord =>
  ({
    id,
    name: `run ${id}`,
    status: 'finished',
    task: 'classification',
    createdAt: o.at,
    tags: o.tags ?? [],
    experimentId: o.exp,
    dataset: { id: 'd', name: 'digits-8x8.csv', rows: 10 },
    config: { kind: 'mlp', params: { learningRate: o.lr ?? 0.01 }, seed: 42 },
    metrics: { validation: { accuracy: o.acc } },
  }) as unknown as RunRecord;

const runs = [
  run('a', { acc: 0.8, at: '2024-01-01', tags: ['baseline'], lr: 0.1 }),
  run('b', { acc: 0.9, at: '2024-01-03', lr: 0.001, exp: 'e1' }),
  run('c', { acc: 0.85, at: '2024-01-02', tags: ['candidate'] }),
];
const ids = (rs: RunRecord[]) => rs.map((r) => r.id);

describe('filterRuns', () => {
  it('orders by date, score and name', () => {
    expect(ids(filterRuns(runs, '', 'all', 'newest'))).toEqual(['b', 'c', 'a']);
    expect(ids(filterRuns(runs, '', 'all', 'oldest'))).toEqual(['a', 'c', 'b']);
    expect(ids(filterRuns(runs, '', 'all', 'best'))).toEqual(['b', 'c', 'a']);
    expect(ids(filterRuns(runs, '', 'all', 'name'))).toEqual(['a', 'b', 'c']);
  });
  it('matches tags, parameters and words; every term must hold', () => {
    expect(ids(filterRuns(runs, 'tag:baseline', 'all', 'name'))).toEqual(['a']);
    expect(ids(filterRuns(runs, 'learningrate<0.01', 'all', 'name'))).toEqual(['b']);
    expect(ids(filterRuns(runs, 'accuracy>0.82 run', 'all', 'name'))).toEqual(['b', 'c']);
    expect(ids(filterRuns(runs, 'tag:candidate accuracy>0.95', 'all', 'name'))).toEqual([]);
  });
  it('keeps one experiment (runs without one are in "default")', () => {
    expect(ids(filterRuns(runs, '', 'e1', 'name'))).toEqual(['b']);
    expect(ids(filterRuns(runs, '', 'default', 'name'))).toEqual(['a', 'c']);
  });
  it('does not reorder its input', () => {
    filterRuns(runs, '', 'all', 'name');
    expect(ids(runs)).toEqual(['a', 'b', 'c']);
  });
});
