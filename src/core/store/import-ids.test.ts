import { describe, expect, it } from 'vitest';
import type { RunRecord, TrainedModel } from '../model/spec.ts';
import { describeRenamed, importedRunId, resolveImport, type ExistingIds } from './import-ids.ts';
import type { DatasetRecord, Experiment, ModelCardProse, ModelVersion } from './records.ts';
import type { ImportPayload } from './store.ts';

// Records reduced to the fields the id resolution reads; the rest rides along untouched.
const run = (id: string, extra: Partial<RunRecord> = {}): RunRecord =>
  ({
    format: 'benchtop-run@2',
    id,
    name: `run ${id}`,
    dataset: { id: 'd1', name: 'wine.csv', rows: 178 },
    ...extra,
  }) as RunRecord;
const model = { kind: 'tree', marker: 'model' } as unknown as TrainedModel;
const version = (name: string, n: number, runId: string, parentId: string | null = null): ModelVersion =>
  ({ id: `${name}@${n}`, name, version: n, label: `V1.${n}.0`, runId, parentId, datasetId: 'd1' }) as ModelVersion;
const card = (versionId: string): ModelCardProse => ({ versionId, overview: `card of ${versionId}` }) as ModelCardProse;
const dataset = (id: string): { record: DatasetRecord; data?: Uint8Array } => ({
  record: { id, name: 'wine.csv' } as DatasetRecord,
  data: new Uint8Array([1, 2, 3]),
});
const experiment = (id: string, name = id): Experiment => ({ id, name, createdAt: '2024-01-01T00:00:00Z' });

const payload = (p: Partial<ImportPayload>): ImportPayload => ({
  runs: [],
  datasets: [],
  versions: [],
  cards: [],
  experiments: [],
  ...p,
});
const stored = (s: Partial<Record<keyof ExistingIds, string[]>>): ExistingIds => ({
  runs: [],
  versions: [],
  datasets: [],
  experiments: [],
  ...s,
});
const origin = { source: 'model.zip', at: '2024-05-01T10:00:00.000Z' };

describe('resolveImport', () => {
  it('leaves an import whose ids are all new unchanged (the same objects)', () => {
    const p = payload({
      runs: [{ run: run('r1'), model }],
      versions: [{ version: version('wine', 1, 'r1'), model }],
      cards: [card('wine@1')],
      datasets: [dataset('d1')],
      experiments: [experiment('e1')],
    });
    const r = resolveImport(p, stored({ runs: ['r0'], versions: ['wine@0x', 'other@1'], datasets: ['d0'] }), origin);
    expect(r.renamed).toEqual([]);
    expect(r.kept).toEqual([]);
    expect(r.payload).toEqual(p);
    expect(r.payload.runs[0]).toBe(p.runs[0]);
    expect(r.payload.versions[0]).toBe(p.versions[0]);
    expect(r.payload.runs[0]!.run.importedFrom).toBeUndefined();
  });

  it('keeps a run whose id is stored beside it as <id>-import-2, with where it came from', () => {
    const original = run('wine-mlp', { tags: ['a'] });
    const r = resolveImport(payload({ runs: [{ run: original, model }] }), stored({ runs: ['wine-mlp'] }), origin);
    expect(r.renamed).toEqual([{ kind: 'run', from: 'wine-mlp', to: 'wine-mlp-import-2' }]);
    const got = r.payload.runs[0]!;
    expect(got.run).toEqual({
      ...original,
      id: 'wine-mlp-import-2',
      importedFrom: { id: 'wine-mlp', source: 'model.zip', at: '2024-05-01T10:00:00.000Z' },
    });
    expect(got.model).toBe(model);
    // The input is not mutated.
    expect(original.id).toBe('wine-mlp');
    expect(original.importedFrom).toBeUndefined();
  });

  it('counts past taken copies, and a copy of a copy counts on from its base', () => {
    const taken = stored({ runs: ['m', 'm-import-2', 'm-import-3'] });
    expect(resolveImport(payload({ runs: [{ run: run('m') }] }), taken, origin).renamed[0]!.to).toBe('m-import-4');
    expect(resolveImport(payload({ runs: [{ run: run('m-import-2') }] }), taken, origin).renamed[0]!.to).toBe(
      'm-import-4',
    );
    expect(importedRunId('x', () => false)).toBe('x-import-2');
  });

  it('never gives a new id that another run of the same import has', () => {
    const r = resolveImport(
      payload({ runs: [{ run: run('a') }, { run: run('a-import-2') }] }),
      stored({ runs: ['a'] }),
      origin,
    );
    expect(r.payload.runs.map((x) => x.run.id)).toEqual(['a-import-3', 'a-import-2']);
  });

  it('renames a run repeated inside the import too', () => {
    const r = resolveImport(payload({ runs: [{ run: run('a') }, { run: run('a') }] }), stored({}), origin);
    expect(r.payload.runs.map((x) => x.run.id)).toEqual(['a', 'a-import-2']);
  });

  it('points references between runs of the import at their new ids, and leaves references to stored runs', () => {
    const parent = run('p');
    const child = run('c', {
      derivation: { kind: 'calibrate', what: 'temperature', parentRunId: 'p', parentName: 'run p', durationMs: 1 },
      calibration: { method: 'temperature', parentRunId: 'p' } as RunRecord['calibration'],
      evaluation: { runId: 'c' } as RunRecord['evaluation'],
    });
    const ensemble = run('e', {
      ensemble: {
        method: 'vote-soft',
        members: [{ runId: 'p', name: 'p' }, { runId: 'elsewhere', name: 'x' }, { name: 'y' }],
      },
    } as Partial<RunRecord>);
    const r = resolveImport(
      payload({ runs: [{ run: parent }, { run: child }, { run: ensemble }] }),
      stored({ runs: ['p', 'c', 'elsewhere'] }),
      origin,
    );
    expect(r.renamed).toEqual([
      { kind: 'run', from: 'p', to: 'p-import-2' },
      { kind: 'run', from: 'c', to: 'c-import-2' },
    ]);
    const [p2, c2, e2] = r.payload.runs.map((x) => x.run);
    expect(p2!.id).toBe('p-import-2');
    expect(c2!.derivation!.parentRunId).toBe('p-import-2');
    expect(c2!.calibration!.parentRunId).toBe('p-import-2');
    expect(c2!.evaluation!.runId).toBe('c-import-2');
    // Not renamed itself, but its member moved: no importedFrom, references follow.
    expect(e2!.id).toBe('e');
    expect(e2!.importedFrom).toBeUndefined();
    expect(e2!.ensemble!.members).toEqual([
      { runId: 'p-import-2', name: 'p' },
      { runId: 'elsewhere', name: 'x' },
      { name: 'y' },
    ]);
  });

  it('gives a colliding version the next free number of its name, remapping parent, run and card', () => {
    const p = payload({
      runs: [{ run: run('r1') }, { run: run('r2') }],
      versions: [
        { version: version('wine', 1, 'r1'), model },
        { version: version('wine', 2, 'r2', 'wine@1'), model },
        { version: version('wine', 5, 'r2', 'wine@4'), model },
      ],
      cards: [card('wine@1'), card('wine@5')],
    });
    const r = resolveImport(p, stored({ runs: ['r1'], versions: ['wine@1', 'wine@2', 'wine@3', 'other@9'] }), origin);
    expect(r.renamed).toEqual([
      { kind: 'run', from: 'r1', to: 'r1-import-2' },
      { kind: 'version', from: 'wine@1', to: 'wine@6' },
      { kind: 'version', from: 'wine@2', to: 'wine@7' },
    ]);
    const [v1, v2, v5] = r.payload.versions.map((v) => v.version);
    expect(v1).toMatchObject({ id: 'wine@6', version: 6, runId: 'r1-import-2', parentId: null, label: 'V1.1.0' });
    expect(v1!.importedFrom).toEqual({ id: 'wine@1', source: 'model.zip', at: origin.at });
    // Its parent is in the bundle: it points at the parent's new id.
    expect(v2).toMatchObject({ id: 'wine@7', version: 7, runId: 'r2', parentId: 'wine@6' });
    // Not taken: kept as it is, its parent (not in the bundle) too.
    expect(v5).toBe(p.versions[2]!.version);
    expect(r.payload.versions[0]!.model).toBe(model);
    expect(r.payload.cards).toEqual([{ ...card('wine@1'), versionId: 'wine@6' }, card('wine@5')]);
  });

  it('keeps a version whose number is free but whose run was renamed at its own id, pointing at the new run', () => {
    const r = resolveImport(
      payload({ runs: [{ run: run('r1') }], versions: [{ version: version('wine', 1, 'r1'), model }] }),
      stored({ runs: ['r1'] }),
      origin,
    );
    expect(r.payload.versions[0]!.version).toMatchObject({ id: 'wine@1', runId: 'r1-import-2' });
    expect(r.payload.versions[0]!.version.importedFrom).toBeUndefined();
  });

  it('leaves out datasets and experiments already stored (the stored ones stay), and repeated ones', () => {
    const r = resolveImport(
      payload({
        datasets: [dataset('d1'), dataset('d2'), dataset('d2')],
        experiments: [experiment('default', 'Default'), experiment('e2', 'Mine')],
      }),
      stored({ datasets: ['d1'], experiments: ['default'] }),
      origin,
    );
    expect(r.payload.datasets.map((d) => d.record.id)).toEqual(['d2']);
    expect(r.payload.experiments.map((e) => e.id)).toEqual(['e2']);
    expect(r.kept).toEqual([
      { kind: 'dataset', id: 'd1' },
      { kind: 'experiment', id: 'default' },
    ]);
    expect(r.renamed).toEqual([]);
  });

  it('says the renames in words', () => {
    expect(
      describeRenamed([
        { kind: 'run', from: 'a', to: 'a-import-2' },
        { kind: 'version', from: 'w@1', to: 'w@3' },
      ]),
    ).toBe('run a as a-import-2, version w@1 as w@3');
  });
});
