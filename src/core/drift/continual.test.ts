import { upgradeConfig } from '../store/upgrade.ts';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedTable, trainRequest } from '../../../tests/unit/fixtures.ts';
import { runSplitRows } from '../evaluation/report.ts';
import { runTraining } from '../model/run-training.ts';
import { type RunRecord, type TrainedModel } from '../model/spec.ts';
import { continualLearning, freshDataValue } from './continual.ts';
import { driftColumnsFromPreprocessor } from './report.ts';
import { makeWindows } from './timeline.ts';

const table = shippedTable('seattle-weather.csv');
let run: RunRecord, model: TrainedModel;
const config = upgradeConfig({
  epochs: 15,
  learningRate: 0.01,
  model: { kind: 'mlp' as const, hidden: [16] },
});

beforeAll(async () => {
  await tf.setBackend('cpu');
  const r = await runTraining(
    trainRequest(table, 'weather', config, {
      runId: 'c',
      runName: 'weather',
      file: 'seattle-weather.csv',
      split: { kind: 'time', fractions: [0.25, 0.05, 0.7], seed: 1, timeColumn: 'date' },
    }),
  );
  if (!r.ok) throw new Error(r.error.message);
  run = r.value.run;
  model = r.value.model;
});

function setup() {
  const s = runSplitRows(run, table);
  if (!s.ok) throw new Error(s.error.message);
  const stream = Uint32Array.from([...s.value.validation, ...s.value.test]).sort();
  const { windows } = makeWindows(table, stream, { by: 'time', column: 'date', unit: 'month', mode: 'sliding' });
  return { train: s.value.train, windows: windows.slice(0, 8) };
}

describe('continual learning over seattle-weather', () => {
  it('a schedule trigger retrains both ways; every version is backtested on the next window', async () => {
    const { train, windows } = setup();
    const r = await continualLearning({
      table,
      name: 'seattle',
      pre: model.preprocessor,
      config,
      initial: model,
      initialRows: train,
      windows,
      trigger: { kind: 'schedule', every: 3 },
      trainRows: 400,
      fineTuneEpochs: 5,
      columns: driftColumnsFromPreprocessor(model.preprocessor, false),
    });
    if (!r.ok) throw new Error(r.error.message);
    const v = r.value;
    expect(v.metric).toBe('accuracy');
    expect(v.windows.map((w) => w.trigger !== null)).toEqual([false, false, true, false, false, true, false, false]);
    // Two triggers × (stateless + stateful).
    expect(v.versions.map((x) => `${x.strategy}@${x.afterWindow}`)).toEqual([
      'stateless@2',
      'stateful@2',
      'stateless@5',
      'stateful@5',
    ]);
    for (const x of v.versions) {
      expect(x.nextMetric).toBe(v.windows[x.afterWindow + 1]!.metric[x.strategy]);
      expect(x.ms).toBeGreaterThan(0);
    }
    // Before any retrain, all three are the same model.
    expect(v.windows[0]!.metric.static).toBe(v.windows[0]!.metric.stateless);
    expect(v.windows[2]!.metric.stateful).toBe(v.windows[2]!.metric.static);
    expect(v.summary.statelessMs).toBeGreaterThan(0);
  });

  it('volume, performance and drift triggers fire on their own conditions', async () => {
    const { train, windows } = setup();
    const base = {
      table,
      name: 'seattle',
      pre: model.preprocessor,
      config: { ...config, epochs: 3 },
      initial: model,
      initialRows: train,
      windows: windows.slice(0, 5),
      trainRows: 300,
      fineTuneEpochs: 2,
      columns: driftColumnsFromPreprocessor(model.preprocessor, false),
    };
    const vol = await continualLearning({ ...base, trigger: { kind: 'volume', rows: 60 } });
    if (!vol.ok) throw new Error(vol.error.message);
    // Fires when the rows since the last retrain reach 60 (the first window is a partial month).
    let since = 0;
    const want = vol.value.windows.map((w) => ((since += w.rows) >= 60 ? ((since = 0), true) : false));
    expect(vol.value.windows.map((w) => w.trigger !== null)).toEqual(want);
    expect(want.filter(Boolean).length).toBeGreaterThanOrEqual(2);
    expect(vol.value.windows.find((w) => w.trigger)!.trigger).toMatch(/^volume: \d+ new labelled rows ≥ 60$/);
    const perf = await continualLearning({ ...base, trigger: { kind: 'performance', below: 1.01 } });
    if (!perf.ok) throw new Error(perf.error.message);
    expect(perf.value.windows.slice(0, 4).every((w) => /^performance: accuracy/.test(w.trigger!))).toBe(true);
    const drift = await continualLearning({ ...base, trigger: { kind: 'drift' } });
    if (!drift.ok) throw new Error(drift.error.message);
    expect(drift.value.windows.some((w) => /^drift: .*temp/.test(w.trigger ?? ''))).toBe(true);
  });

  it('the value of fresh data: one model per training-window age, all tested on the latest window', async () => {
    const all = Uint32Array.from({ length: table.rowCount }, (_, i) => i);
    const { windows } = makeWindows(table, all, { by: 'time', column: 'date', unit: 'month', mode: 'sliding' });
    const r = await freshDataValue({
      table,
      name: 'seattle',
      pre: model.preprocessor,
      config: { ...config, params: { ...config.params, epochs: 5 } },
      windows,
      span: 3,
      maxAge: 4,
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.test).toBe('2015-12');
    expect(r.value.points.map((p) => p.age)).toEqual([0, 1, 2, 3, 4]);
    expect(r.value.points[0]!.trainLabel).toBe('2015-09 … 2015-11');
    for (const p of r.value.points) expect(p.metric).toBeGreaterThan(0);
    const few = await freshDataValue({
      table,
      name: 'x',
      pre: model.preprocessor,
      config,
      windows: windows.slice(0, 2),
      span: 3,
      maxAge: 2,
    });
    expect(few.ok).toBe(false);
  });
});
