import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../core/model/spec.ts';
import {
  cellValue,
  defaultChartMetric,
  defaultVisible,
  distinctNames,
  formatCell,
  formatDuration,
  mergeVisible,
  nextSort,
  runColumns,
  sortRuns,
  tableRows,
  type RunColumn,
} from './runs-table.ts';

// Hand-made records: only the fields the table reads.
type Opts = {
  kind?: string;
  task?: 'classification' | 'regression';
  params?: Record<string, unknown>;
  seed?: number;
  val?: Record<string, number>;
  test?: Record<string, number>;
  at?: string;
  status?: string;
  tags?: string[];
  ms?: number;
};
const run = (id: string, o: Opts = {}): RunRecord =>
  ({
    id,
    name: `run ${id}`,
    status: o.status ?? 'finished',
    task: o.task ?? 'classification',
    createdAt: o.at ?? '2024-01-01T10:00:00.000Z',
    durationMs: o.ms ?? 1500,
    samplesPerSecond: 1234.5,
    tags: o.tags ?? [],
    dataset: { id: 'd', name: 'iris.csv', rows: 150 },
    config: { kind: o.kind ?? 'mlp', params: o.params ?? {}, seed: o.seed ?? 42 },
    metrics: { train: { loss: 0.1 }, validation: { loss: 0.3, ...o.val }, test: o.test },
  }) as unknown as RunRecord;

const ids = (rs: RunRecord[]) => rs.map((r) => r.id);
const col = (cols: RunColumn[], id: string) => {
  const c = cols.find((x) => x.id === id);
  if (!c) throw new Error(`no column ${id} in ${cols.map((x) => x.id).join(' ')}`);
  return c;
};

describe('runColumns', () => {
  it('has metric columns only for metrics some run has, and the union of parameters plus seed', () => {
    const runs = [
      run('a', { params: { learningRate: 0.01, hidden: [64, 32] }, val: { accuracy: 0.9 }, test: { accuracy: 0.88 } }),
      run('b', { kind: 'tree', params: { maxDepth: 4, learningRate: 0.1 }, val: { accuracy: 0.8 } }),
    ];
    const cols = runColumns(runs);
    const labels = cols.map((c) => c.label);
    expect(labels.slice(0, 6)).toEqual(['name', 'status', 'family', 'created', 'duration', 'samples/s']);
    expect(labels).toContain('val accuracy');
    expect(labels).toContain('test accuracy');
    expect(labels).toContain('val loss');
    expect(labels).toContain('train loss');
    expect(labels).not.toContain('val RMSE');
    expect(labels).not.toContain('test loss');
    expect(cols.filter((c) => c.group === 'param').map((c) => c.label)).toEqual([
      'learningRate',
      'hidden',
      'maxDepth',
      'seed',
    ]);
    expect(col(cols, 'param:learningRate').numeric).toBe(true);
    expect(col(cols, 'param:hidden').numeric).toBe(false);
  });
  it('keeps column labels unique when a parameter is named like a run column', () => {
    const labels = runColumns([run('a', { params: { status: 'x' } })]).map((c) => c.label);
    expect(labels).toContain('status (parameter)');
    expect(new Set(labels).size).toBe(labels.length);
  });
  it('names regression metrics RMSE and R²', () => {
    const cols = runColumns([run('r', { task: 'regression', val: { rmse: 2.5, r2: 0.7 } })]);
    expect(cols.map((c) => c.label)).toEqual(expect.arrayContaining(['val RMSE', 'val R²']));
  });
  it('ignores a NaN loss (a run that has just started)', () => {
    const started = run('s', { status: 'running' });
    (started.metrics.validation as { loss: number }).loss = NaN;
    (started.metrics.train as { loss: number }).loss = NaN;
    expect(runColumns([started]).filter((c) => c.group === 'metric')).toEqual([]);
  });
});

describe('cellValue and formatCell', () => {
  const runs = [
    run('a', { params: { learningRate: 0.001, hidden: [64, 32], shuffle: true }, val: { accuracy: 0.91234 } }),
    run('b', { kind: 'tree', params: { maxDepth: 4 } }),
  ];
  const cols = runColumns(runs);
  it('leaves a missing value blank and keeps raw numbers apart from their text', () => {
    expect(cellValue(runs[1]!, col(cols, 'param:learningRate'))).toBeNull();
    expect(formatCell(cellValue(runs[1]!, col(cols, 'param:learningRate')), col(cols, 'param:learningRate'))).toBe('');
    expect(cellValue(runs[1]!, col(cols, 'metric:validation.accuracy'))).toBeNull();
    const acc = cellValue(runs[0]!, col(cols, 'metric:validation.accuracy'));
    expect(acc).toBe(0.91234);
    expect(formatCell(acc, col(cols, 'metric:validation.accuracy'))).toBe('0.9123');
    expect(formatCell(0.001, col(cols, 'param:learningRate'))).toBe('0.001');
    expect(cellValue(runs[0]!, col(cols, 'param:hidden'))).toBe('64, 32');
    expect(formatCell(true, col(cols, 'param:shuffle'))).toBe('yes');
    expect(cellValue(runs[0]!, col(cols, 'param:seed'))).toBe(42);
  });
  it('formats durations, throughput and dates', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4400)).toBe('4.4 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatCell(1234.5, col(cols, 'throughput'))).toBe('1,235');
    expect(formatCell('2024-01-03T14:05:00.000Z', col(cols, 'created'))).toMatch(/^2024-01-0\d \d\d:\d5$/);
  });
  it('gives the family its label', () => {
    expect(cellValue(runs[1]!, col(cols, 'family'))).not.toBe('tree');
    expect(typeof cellValue(runs[1]!, col(cols, 'family'))).toBe('string');
  });
});

describe('sortRuns', () => {
  const runs = [
    run('a', { params: { lr: 0.1 }, val: { accuracy: 0.8 } }),
    run('b', { params: { lr: 0.001 } }),
    run('c', { params: { lr: 0.01 }, val: { accuracy: 0.95 } }),
    run('d', { params: { lr: 0.1 }, val: { accuracy: 0.8 } }),
    run('10', { val: { accuracy: 0.5 } }),
  ];
  const cols = runColumns(runs);
  it('sorts numbers numerically, not as text', () => {
    const depths = [run('x', { params: { d: 9 } }), run('y', { params: { d: 10 } }), run('z', { params: { d: 2 } })];
    expect(ids(sortRuns(depths, runColumns(depths), { column: 'param:d', direction: 'asc' }))).toEqual(['z', 'x', 'y']);
    expect(ids(sortRuns(runs, cols, { column: 'param:lr', direction: 'asc' }))).toEqual(['b', 'c', 'a', 'd', '10']);
  });
  it('puts missing values last in both directions and keeps ties in input order', () => {
    const acc = 'metric:validation.accuracy';
    expect(ids(sortRuns(runs, cols, { column: acc, direction: 'desc' }))).toEqual(['c', 'a', 'd', '10', 'b']);
    expect(ids(sortRuns(runs, cols, { column: acc, direction: 'asc' }))).toEqual(['10', 'a', 'd', 'c', 'b']);
    expect(ids(sortRuns(runs, cols, { column: 'param:lr', direction: 'desc' }))).toEqual(['a', 'd', 'c', 'b', '10']);
  });
  it('sorts names naturally and leaves the input alone', () => {
    expect(ids(sortRuns(runs, cols, { column: 'name', direction: 'asc' }))).toEqual(['10', 'a', 'b', 'c', 'd']);
    expect(ids(runs)).toEqual(['a', 'b', 'c', 'd', '10']);
    expect(ids(sortRuns(runs, cols, null))).toEqual(ids(runs));
  });
  it('flips the direction on the same column; metrics start descending, names ascending', () => {
    const acc = col(cols, 'metric:validation.accuracy');
    expect(nextSort(null, acc)).toEqual({ column: acc.id, direction: 'desc' });
    expect(nextSort({ column: acc.id, direction: 'desc' }, acc).direction).toBe('asc');
    expect(nextSort({ column: acc.id, direction: 'desc' }, col(cols, 'name'))).toEqual({
      column: 'name',
      direction: 'asc',
    });
  });
});

describe('tableRows', () => {
  it('filters with the search language, then orders by the column', () => {
    const runs = [
      run('a', { params: { learningRate: 0.1 }, val: { accuracy: 0.7 }, tags: ['x'] }),
      run('b', { params: { learningRate: 0.001 }, val: { accuracy: 0.9 }, tags: ['x'] }),
      run('c', { params: { learningRate: 0.005 }, val: { accuracy: 0.8 } }),
    ];
    const cols = runColumns(runs);
    const rows = (query: string) =>
      ids(
        tableRows(runs, cols, {
          query,
          experiment: 'all',
          fallback: 'newest',
          sort: { column: 'metric:validation.accuracy', direction: 'asc' },
        }),
      );
    expect(rows('')).toEqual(['a', 'c', 'b']);
    expect(rows('learningrate<0.01')).toEqual(['c', 'b']);
    expect(rows('tag:x')).toEqual(['a', 'b']);
    expect(rows('accuracy>0.75 tag:x')).toEqual(['b']);
  });
});

describe('defaultVisible', () => {
  it('shows the primary metrics and only the parameters that vary', () => {
    const runs = [
      run('a', { params: { learningRate: 0.1, epochs: 20, hidden: [64] }, val: { accuracy: 0.8, macroF1: 0.7 } }),
      run('b', { params: { learningRate: 0.01, epochs: 20, hidden: [64] }, val: { accuracy: 0.9, macroF1: 0.8 } }),
      run('c', { params: { learningRate: 0.01, epochs: 20 }, val: { accuracy: 0.9 }, test: { accuracy: 0.85 } }),
    ];
    const v = defaultVisible(runs, runColumns(runs));
    expect(v).toEqual(
      expect.arrayContaining([
        'name',
        'status',
        'metric:validation.accuracy',
        'metric:test.accuracy',
        'metric:validation.loss',
        'param:learningRate',
      ]),
    );
    expect(v).not.toContain('param:hidden'); // the same wherever it is set
    expect(v).not.toContain('param:epochs');
    expect(v).not.toContain('param:seed');
    expect(v).not.toContain('metric:validation.macroF1');
    expect(v).not.toContain('metric:train.loss');
  });
  it('shows a parameter of one family when that family’s runs differ on it', () => {
    const runs = [
      run('m', { params: { learningRate: 0.1 }, val: { accuracy: 0.8 } }),
      run('t1', { kind: 'tree', params: { maxDepth: 3 }, val: { accuracy: 0.7 } }),
      run('t2', { kind: 'tree', params: { maxDepth: 5 }, val: { accuracy: 0.75 } }),
    ];
    const v = defaultVisible(runs, runColumns(runs));
    expect(v).toContain('param:maxDepth');
    expect(v).not.toContain('param:learningRate');
  });
  it('shows RMSE for regression runs and every parameter of a single run', () => {
    const runs = [run('r', { task: 'regression', params: { alpha: 1 }, val: { rmse: 3, r2: 0.5 } })];
    const v = defaultVisible(runs, runColumns(runs));
    expect(v).toContain('metric:validation.rmse');
    expect(v).not.toContain('metric:validation.accuracy');
    expect(v).toContain('param:alpha');
  });
  it('keeps the person’s choice and adds columns that are new since', () => {
    expect(mergeVisible(['name'], ['name', 'status'], ['name', 'status', 'param:lr'])).toEqual(['name', 'param:lr']);
  });
});

describe('defaultChartMetric', () => {
  it('charts the newest run’s primary validation metric, or nothing before any metric exists', () => {
    const runs = [
      run('c', { at: '2024-01-01', val: { accuracy: 0.8 } }),
      run('r', { at: '2024-01-02', task: 'regression', val: { rmse: 2 } }),
    ];
    expect(defaultChartMetric(runs, runColumns(runs))).toBe('metric:validation.rmse');
    const started = run('s', { status: 'running' });
    (started.metrics.validation as { loss: number }).loss = NaN;
    (started.metrics.train as { loss: number }).loss = NaN;
    expect(defaultChartMetric([started], runColumns([started]))).toBeNull();
  });
});

describe('distinctNames', () => {
  it('tells runs of the same name apart by time, then by id', () => {
    const a = { ...run('aaaaaaaa1', { at: '2024-01-01T10:00:00Z' }), name: 'same' } as RunRecord;
    const b = { ...run('bbbbbbbb2', { at: '2024-01-02T10:00:00Z' }), name: 'same' } as RunRecord;
    const c = { ...run('cccccccc3', { at: '2024-01-02T10:00:00Z' }), name: 'same' } as RunRecord;
    const other = run('o');
    const names = distinctNames([a, b, c, other]);
    expect(names.get('o')).toBe('run o');
    expect(new Set(names.values()).size).toBe(4);
    expect(names.get('aaaaaaaa1')).toMatch(/^same \(created 2024-01-0\d \d\d:\d\d\)$/);
    expect(names.get('cccccccc3')).toMatch(/, id cccccccc\)$/);
  });
});
