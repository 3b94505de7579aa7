import type { Schema } from '../data/schema.ts';
import type { SplitSpec } from '../data/split.ts';
import { inferTask } from '../data/preprocess.ts';
import type { RunEnvironment, RunRecord, TrainConfig } from './spec.ts';

/**
 * The record of a run that has just started (status `running`), saved before training so that a
 * page closed mid-run leaves a trace that the next visit marks `interrupted`.
 */
export function startedRun(a: {
  id: string;
  name: string;
  dataset: { id: string; name: string; rows: number };
  schema: Schema;
  split: SplitSpec;
  config: TrainConfig;
  environment: RunEnvironment;
}): RunRecord {
  return {
    format: 'benchtop-run@2',
    id: a.id,
    name: a.name,
    status: 'running',
    createdAt: new Date().toISOString(),
    durationMs: 0,
    dataset: a.dataset,
    label: a.schema.label ?? '',
    task: inferTask(a.schema),
    features: a.schema.columns.filter((c) => c.role === 'feature').map((c) => c.name),
    split: a.split,
    splitSizes: { train: 0, validation: 0, test: 0 },
    config: a.config,
    history: [],
    metrics: { train: { loss: NaN }, validation: { loss: NaN } },
    samplesPerSecond: 0,
    environment: a.environment,
    fingerprint: { rows: [], outputs: [] },
  };
}
