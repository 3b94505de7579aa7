import { upgradeConfig } from '../store/upgrade.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { zipSync, unzipSync } from 'fflate';
import { shippedTable, trainRequest } from '../../../tests/unit/fixtures.ts';
import { datasetVersionId } from '../data/dataset-hash.ts';
import { inferSchema } from '../data/schema.ts';
import { encodeTable } from '../data/table-codec.ts';
import { runTraining } from '../model/run-training.ts';
import { type RunRecord, type TrainedModel } from '../model/spec.ts';
import { exportBundle, importBundle } from '../store/bundle.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { ModelVersion } from '../store/records.ts';
import { buildModelCard, cardToHtml, cardToMarkdown } from './model-card.ts';
import { deriveActionLabel, derivedTarget, registerDerived } from './derived-version.ts';
import { lineageLabel, moveAlias, nextLineage, registerVersion, rollbackAlias } from './registry.ts';

const v = (a: number, r: number, u: number): ModelVersion =>
  ({ lineage: { architecture: a, retrain: r, update: u } }) as ModelVersion;

describe('lineage', () => {
  it('numbers architecture, stateless retrain and stateful update as V{a}.{r}.{u}', () => {
    expect(lineageLabel(nextLineage([], 'retrain', null))).toBe('V1.1.0');
    const hist = [v(1, 1, 0), v(1, 2, 0), v(1, 2, 1)];
    expect(lineageLabel(nextLineage(hist, 'update', v(1, 2, 1)))).toBe('V1.2.2');
    expect(lineageLabel(nextLineage(hist, 'retrain', v(1, 2, 1)))).toBe('V1.3.0');
    expect(lineageLabel(nextLineage(hist, 'architecture', v(1, 2, 1)))).toBe('V2.1.0');
    const twelve = [v(1, 1, 0), v(1, 2, 0), ...Array.from({ length: 11 }, (_, i) => v(1, 2, i + 1))];
    expect(lineageLabel(nextLineage(twelve, 'update', twelve.at(-1)!))).toBe('V1.2.12');
  });
});

describe('registry over a store', () => {
  const runs: { run: RunRecord; model: TrainedModel }[] = [];
  const table = shippedTable('wine.csv');
  beforeAll(async () => {
    for (const [i, model] of [
      { kind: 'tree' as const, maxDepth: 3 },
      { kind: 'tree' as const, maxDepth: 3 },
      { kind: 'knn' as const },
    ].entries()) {
      const r = await runTraining({
        runId: `run-${i}`,
        runName: `run ${i}`,
        table,
        dataset: { id: datasetVersionId(table), name: 'wine.csv' },
        schema: inferSchema(table, 'cultivar'),
        split: { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: i + 1 },
        config: upgradeConfig({ model, seed: i }),
        environment: { backend: 'cpu', backendReason: '', runtime: 'test', appVersion: 'test' },
      });
      if (!r.ok) throw new Error(r.error.message);
      runs.push(r.value);
    }
  });

  async function filled() {
    const store = new MemoryStore();
    for (const r of runs) await store.saveRun(r.run, r.model);
    await store.saveDatasetRecord(
      {
        id: datasetVersionId(table),
        name: 'wine.csv',
        rowCount: 178,
        columns: table.columns.map((c) => c.name),
        label: 'cultivar',
        provenance: 'UCI Wine',
        savedAt: 'now',
        bytes: 1,
      },
      encodeTable(table),
    );
    return store;
  }

  it('registers versions with inferred relations, moves aliases with an audit trail, and rolls back', async () => {
    const store = await filled();
    const a = await registerVersion(store, { name: 'wine', run: runs[0]!.run, model: runs[0]!.model });
    const b = await registerVersion(store, { name: 'wine', run: runs[1]!.run, model: runs[1]!.model });
    const c = await registerVersion(store, { name: 'wine', run: runs[2]!.run, model: runs[2]!.model });
    if (!a.ok || !b.ok || !c.ok) throw new Error('register');
    expect([a.value.label, b.value.label, c.value.label]).toEqual(['V1.1.0', 'V1.2.0', 'V2.1.0']);
    expect([b.value.relation, c.value.relation]).toEqual(['retrain', 'architecture']);
    expect(c.value.parentId).toBe('wine@2');
    expect((await moveAlias(store, { name: 'wine', alias: 'champion', to: 'wine@1', reason: 'first' })).ok).toBe(true);
    expect(
      (await moveAlias(store, { name: 'wine', alias: 'champion', to: 'wine@3', reason: 'better on test' })).ok,
    ).toBe(true);
    const noReason = await moveAlias(store, { name: 'wine', alias: 'champion', to: 'wine@2', reason: ' ' });
    expect(!noReason.ok && noReason.error.kind).toBe('no-reason');
    const back = await rollbackAlias(store, { name: 'wine', alias: 'champion', reason: 'regression in production' });
    expect(back.ok && back.value).toMatchObject({ from: 'wine@3', to: 'wine@1' });
    expect((await store.aliasHistory('wine')).map((m) => [m.from, m.to])).toEqual([
      [null, 'wine@1'],
      ['wine@1', 'wine@3'],
      ['wine@3', 'wine@1'],
    ]);
    expect((await store.listAliases('wine'))[0]!.versionId).toBe('wine@1');
    const bad = await registerVersion(store, { name: '../etc', run: runs[0]!.run, model: runs[0]!.model });
    expect(!bad.ok && bad.error.kind).toBe('bad-name');
  });

  it("registers a derived model as the next version of its parent run's model, with the relation of its operation", async () => {
    const store = await filled();
    const derived = (id: string) => ({ run: { ...runs[0]!.run, id, name: id }, model: runs[0]!.model });
    // The parent run is not registered: the derived model is only a new run, and the button says so.
    const none = await registerDerived(store, { parentRunId: 'run-0', kind: 'compress', ...derived('c0') });
    expect(none.ok && none.value).toBeNull();
    expect(await store.listVersions()).toEqual([]);
    expect(deriveActionLabel('Compress', derivedTarget('run-0', 'compress', []))).toBe('Compress → new run');

    await registerVersion(store, { name: 'other', run: runs[2]!.run, model: runs[2]!.model });
    const a = await registerVersion(store, { name: 'wine', run: runs[0]!.run, model: runs[0]!.model });
    if (!a.ok) throw new Error('register');
    const target = derivedTarget('run-0', 'calibrate', await store.listVersions());
    expect(deriveActionLabel('Fit on validation', target)).toBe('Fit on validation → new version of wine');

    const cal = derived('cal');
    await store.saveRun(cal.run, cal.model);
    const c = await registerDerived(store, { parentRunId: 'run-0', kind: 'calibrate', ...cal, tags: ['calibrated'] });
    expect(c.ok && c.value).toMatchObject({ name: 'wine', relation: 'update', parentId: 'wine@1', label: 'V1.1.1' });
    expect(c.ok && c.value?.tags).toEqual(['calibrated']);
    // A compression of the calibrated run continues its lineage.
    const q = await registerDerived(store, { parentRunId: 'cal', kind: 'compress', ...derived('q') });
    expect(q.ok && q.value).toMatchObject({ name: 'wine', relation: 'update', parentId: 'wine@2', label: 'V1.1.2' });
    // A distilled student is a new architecture whose lineage parent is the teacher's version.
    const d = await registerDerived(store, { parentRunId: 'run-0', kind: 'distill', ...derived('d') });
    expect(d.ok && d.value).toMatchObject({ relation: 'architecture', parentId: 'wine@1', label: 'V2.1.0' });
  });

  it('builds a model card with per-slice analysis and escapes HTML', async () => {
    const store = await filled();
    const a = await registerVersion(store, { name: 'wine', run: runs[0]!.run, model: runs[0]!.model });
    if (!a.ok) throw new Error('register');
    const card = buildModelCard(a.value, runs[0]!.run, await store.getDatasetRecord(a.value.datasetId), [], {
      overview: '<script>alert(1)</script>',
      limitations: 'Only 178 wines\nThree cultivars',
      ethics: 'none known: n/a',
    });
    expect(card.model_details.version.name).toBe('1 (V1.1.0)');
    expect(card.considerations.limitations).toHaveLength(2);
    expect(
      card.quantitative_analysis.performance_metrics.some((m) => m.split === 'test' && m.type === 'accuracy'),
    ).toBe(true);
    expect(cardToMarkdown(card)).toContain('| accuracy | validation | overall |');
    const html = cardToHtml(card);
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('exports a bundle that imports into an empty store exactly; a tampered bundle changes nothing', async () => {
    const store = await filled();
    const a = await registerVersion(store, { name: 'wine', run: runs[0]!.run, model: runs[0]!.model });
    if (!a.ok) throw new Error('register');
    await store.saveCard({
      versionId: 'wine@1',
      overview: 'o',
      users: 'u',
      useCases: '',
      limitations: '',
      tradeoffs: '',
      ethics: '',
      updatedAt: 'now',
    });
    const bytes = await exportBundle(store, { runIds: [runs[2]!.run.id], versionIds: ['wine@1'] });
    if (!bytes.ok) throw new Error(bytes.error.message);
    const fresh = new MemoryStore();
    const r = await importBundle(fresh, bytes.value);
    expect(r.ok && r.value).toEqual({ runs: 2, versions: 1, datasets: 1, renamed: [], kept: [] });
    expect(await fresh.getRun('run-2')).toEqual(await store.getRun('run-2'));
    expect(JSON.stringify(await fresh.getVersionModel('wine@1'))).toBe(
      JSON.stringify(await store.getVersionModel('wine@1')),
    );
    expect(await fresh.getCard('wine@1')).toEqual(await store.getCard('wine@1'));
    expect(await fresh.getDatasetData(datasetVersionId(table))).toEqual(encodeTable(table));

    // Tampering: change one byte of a run record without updating the manifest.
    const files = unzipSync(bytes.value);
    const path = Object.keys(files).find((p) => p.endsWith('run.json'))!;
    files[path] = new TextEncoder().encode(new TextDecoder().decode(files[path]).replace('"finished"', '"cancelled"'));
    const other = new MemoryStore();
    const t = await importBundle(other, zipSync(files), 'evil.zip');
    expect(!t.ok && t.error.message).toMatch(/evil\.zip: .*checksum/);
    expect(other.runs.size).toBe(0);
    // Path traversal and junk are refused too.
    expect((await importBundle(other, zipSync({ '../x': new Uint8Array(1) }), 'x.zip')).ok).toBe(false);
    expect((await importBundle(other, new Uint8Array([1, 2, 3]), 'junk.zip')).ok).toBe(false);
    expect(other.runs.size).toBe(0);
  });
});

describe('concurrent registrations', () => {
  it('two registrations at once get two versions instead of overwriting one', async () => {
    const table = shippedTable('wine.csv');
    const r = await runTraining(
      trainRequest(table, 'cultivar', upgradeConfig({ model: { kind: 'tree' } }), {
        runId: 'c',
        file: 'wine.csv',
        split: { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed: 1 },
      }),
    );
    if (!r.ok) throw new Error(r.error.message);
    const store = new MemoryStore();
    await store.saveRun(r.value.run, r.value.model);
    const [a, b] = await Promise.all([
      registerVersion(store, { name: 'm', run: r.value.run, model: r.value.model }),
      registerVersion(store, { name: 'm', run: r.value.run, model: r.value.model }),
    ]);
    expect([a.ok && a.value.id, b.ok && b.value.id].sort()).toEqual(['m@1', 'm@2']);
  });
});
