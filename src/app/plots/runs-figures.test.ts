import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../core/model/spec.ts';
import { runColumns, type RunColumn } from '../runs-table.ts';
import { leftOut, metricAcrossRuns, metricAgainstParam, wantsLogAxis } from './runs-figures.ts';

// Hand-made records: only the fields the figures read.
const run = (
  id: string,
  o: { kind?: string; at: string; params?: Record<string, unknown>; acc?: number; name?: string },
): RunRecord =>
  ({
    id,
    name: o.name ?? `run ${id}`,
    status: 'finished',
    task: 'classification',
    createdAt: o.at,
    config: { kind: o.kind ?? 'mlp', params: o.params ?? {}, seed: 1 },
    metrics: { train: { loss: 0.1 }, validation: { loss: 0.2, ...(o.acc === undefined ? {} : { accuracy: o.acc }) } },
  }) as unknown as RunRecord;

const runs = [
  run('c', { at: '2024-01-03', kind: 'tree', params: { maxDepth: 4 }, acc: 0.7 }),
  run('a', { at: '2024-01-01', params: { learningRate: 0.0001, optimizer: 'adam' }, acc: 0.8 }),
  run('b', { at: '2024-01-02', params: { learningRate: 0.1, optimizer: 'sgd' }, acc: 0.9 }),
  run('d', { at: '2024-01-04', params: { learningRate: 0.01, optimizer: 'adam' } }),
];
const cols = runColumns(runs);
const col = (id: string): RunColumn => cols.find((c) => c.id === id)!;
const acc = col('metric:validation.accuracy');
type Trace = { name: string; type: string; x: unknown[]; y: number[]; marker: { color: string } };
const traces = (f: { data: unknown[] }) => f.data as Trace[];
const axis = (f: { layout: Record<string, unknown> }) => f.layout['xaxis'] as Record<string, unknown>;

describe('metricAcrossRuns', () => {
  it('puts runs in creation order, one colour per family, and leaves out runs without the metric', () => {
    const f = metricAcrossRuns(runs, acc);
    expect(axis(f)['categoryarray']).toEqual(['run a', 'run b', 'run c']);
    const t = traces(f);
    expect(t.map((x) => x.x)).toEqual([['run a', 'run b'], ['run c']]);
    expect(t.map((x) => x.y)).toEqual([[0.8, 0.9], [0.7]]);
    expect(new Set(t.map((x) => x.marker.color)).size).toBe(2);
    expect(leftOut(runs, acc)).toBe(1);
  });
  it('orders by name on request, draws bars, and keeps runs of the same name apart', () => {
    const twins = [run('x', { at: '1', name: 'same', acc: 0.5 }), run('y', { at: '2', name: 'same', acc: 0.6 })];
    const f = metricAcrossRuns(twins, acc, { order: 'name', style: 'bars' });
    expect(traces(f)[0]!.type).toBe('bar');
    expect(axis(f)['categoryarray']).toEqual(['same', 'same (2)']);
  });
});

describe('metricAgainstParam', () => {
  it('uses a log axis with decade ticks when a positive parameter spans more than two decades', () => {
    const f = metricAgainstParam(runs, acc, col('param:learningRate'));
    const x = axis(f);
    expect(x['type']).toBe('log');
    expect(x['dtick']).toBe(1);
    expect(x['exponentformat']).toBe('none');
    expect(traces(f)[0]!.x).toEqual([0.0001, 0.1]);
    expect(leftOut(runs, acc, col('param:learningRate'))).toBe(2); // the tree has no rate, d no accuracy
    expect(traces(f).flatMap((t) => t.x)).toHaveLength(runs.length - 2);
  });
  it('stays linear over a narrow range and writes tiny values as powers of ten', () => {
    const narrow = [
      run('a', { at: '1', params: { lr: 0.01 }, acc: 0.5 }),
      run('b', { at: '2', params: { lr: 0.5 }, acc: 0.6 }),
    ];
    expect(
      axis(
        metricAgainstParam(
          narrow,
          acc,
          runColumns(narrow).find((c) => c.id === 'param:lr')!,
        ),
      )['type'],
    ).toBe('linear');
    const tiny = [
      run('a', { at: '1', params: { l2: 1e-7 }, acc: 0.5 }),
      run('b', { at: '2', params: { l2: 1e-3 }, acc: 0.6 }),
    ];
    const x = axis(
      metricAgainstParam(
        tiny,
        acc,
        runColumns(tiny).find((c) => c.id === 'param:l2')!,
      ),
    );
    expect(x['type']).toBe('log');
    expect(x['exponentformat']).toBe('power');
  });
  it('draws a choice parameter on a category axis', () => {
    const f = metricAgainstParam(runs, acc, col('param:optimizer'));
    expect(axis(f)['type']).toBe('category');
    expect(traces(f)[0]!.x).toEqual(['adam', 'sgd']);
  });
});

describe('wantsLogAxis', () => {
  it('needs positive values spanning more than 100×', () => {
    expect(wantsLogAxis([0.001, 0.1])).toBe(false); // exactly 100×
    expect(wantsLogAxis([0.001, 0.2])).toBe(true);
    expect(wantsLogAxis([0, 1, 1000])).toBe(false);
    expect(wantsLogAxis([-1, 1000])).toBe(false);
    expect(wantsLogAxis([5])).toBe(false);
  });
});
