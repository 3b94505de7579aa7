import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedTable } from '../../../tests/unit/fixtures.ts';
import { datasetVersionId } from '../data/dataset-hash.ts';
import { inferSchema } from '../data/schema.ts';
import type { Table } from '../data/table.ts';
import type { Params } from '../contracts/train-config.ts';
import { configFor } from '../families/index.ts';
import { runTraining } from '../model/run-training.ts';
import type { DeriveOp } from './derive-op.ts';
import { DERIVE_OPS, deriveRun, type RunWithModel } from './derive-run.ts';
import { runProvenance } from './provenance.ts';

const env = { backend: 'cpu' as const, backendReason: '', runtime: 'vitest', appVersion: 'test' };

describe('deriveRun', () => {
  let wine: Table, parent: RunWithModel, other: RunWithModel;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    wine = shippedTable('wine.csv');
    const train = async (runId: string, kind: string, params: Partial<Params>) => {
      const r = await runTraining({
        runId,
        runName: runId,
        table: wine,
        dataset: { id: datasetVersionId(wine), name: 'wine.csv' },
        schema: inferSchema(wine, 'cultivar'),
        split: { kind: 'stratified', fractions: [0.6, 0.2, 0.2], seed: 5 },
        config: configFor(kind, params, 5),
        environment: env,
      });
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    parent = await train('parent', 'mlp', { hidden: [16], epochs: 10 });
    other = await train('teacher', 'logistic', {});
  });

  const ops: DeriveOp[] = [
    { kind: 'calibrate', method: 'temperature' },
    { kind: 'compress', spec: { method: 'int8' } },
    { kind: 'fine-tune', method: 'qat', epochs: 1, learningRate: 0.001 },
    { kind: 'distill', hidden: [8], temperature: 2, alpha: 0.5, epochs: 2 },
    { kind: 'distill', hidden: [8], temperature: 2, alpha: 0.5, epochs: 2, teacherRunId: 'teacher' },
  ];
  it('has one entry per operation kind', () => {
    expect(Object.keys(DERIVE_OPS).sort()).toEqual([...new Set(ops.map((o) => o.kind))].sort());
  });
  for (const op of ops)
    it(`${op.kind}${'teacherRunId' in op && op.teacherRunId ? ' from another run' : ''} makes a run whose lineage names the parent`, async () => {
      const r = await deriveRun(parent, op, {
        table: wine,
        runId: `child-${op.kind}`,
        modelOf: async (id) => (id === other.run.id ? other.model : undefined),
      });
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.run.id).toBe(`child-${op.kind}`);
      const lineage = op.kind === 'calibrate' ? r.value.run.calibration : r.value.run.compression;
      expect(lineage!.parentRunId).toBe('parent');
      expect(r.value.run.fingerprint.rows).toEqual(parent.run.fingerprint.rows);
      expect(r.value.run.metrics.test!.accuracy).toBeGreaterThan(0);
      // The derived run records its own derivation and cost, not the parent's training.
      const d = r.value.run.derivation!;
      expect(d).toMatchObject({ kind: op.kind, parentRunId: 'parent', parentName: 'parent' });
      expect(r.value.run.durationMs).toBe(d.durationMs);
      expect(runProvenance(r.value.run)).toMatch(/ of ‘parent’ in \d+\.\d s/);
      expect(runProvenance(r.value.run)).not.toMatch(/^trained/);
      if (op.kind === 'fine-tune' || op.kind === 'distill') expect(d.epochs).toBe(r.value.run.history.length);
      else expect(d.epochs).toBeUndefined();
    }, 60_000);

  it("a trained run's provenance is its training", () => {
    expect(runProvenance(parent.run)).toMatch(/^trained 10 epochs in \d+\.\d s on CPU$/);
  });

  it('fails with a message naming an unknown teacher run', async () => {
    const op: DeriveOp = { kind: 'distill', hidden: [8], temperature: 2, alpha: 0.5, teacherRunId: 'nope' };
    const r = await deriveRun(parent, op, { table: wine, runId: 'x', modelOf: async () => undefined });
    expect(!r.ok && r.error.kind).toBe('not-found');
    expect(!r.ok && r.error.message).toMatch(/teacher run nope/);
    const none = await deriveRun(parent, op, { table: wine, runId: 'x' });
    expect(!none.ok && none.error.message).toMatch(/teacher run nope/);
  });
});
