import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedTable, trainRequest } from '../tests/unit/fixtures.ts';
import type { RunRecord, TrainedModel } from '../src/core/contracts/index.ts';
import { runTraining } from '../src/core/model/run-training.ts';
import { upgradeConfig } from '../src/core/store/upgrade.ts';
import { FsStore } from './fs-store.ts';

// The command line's store over files a person (or a crash) may have damaged: every read is checked
// against its schema; a corrupt file is skipped with a problem naming its path and field, never a throw.
let trained: { run: RunRecord; model: TrainedModel };
beforeAll(async () => {
  await tf.setBackend('cpu');
  const wine = shippedTable('wine.csv');
  const r = await runTraining(
    trainRequest(wine, 'cultivar', upgradeConfig({ model: { kind: 'mlp', hidden: [4] }, epochs: 1 }), { runId: 'r1' }),
  );
  if (!r.ok) throw new Error(r.error.message);
  trained = r.value;
}, 60_000);

async function filled() {
  const root = mkdtempSync(join(tmpdir(), 'benchtop-fs-'));
  const store = new FsStore(root);
  expect((await store.saveRun(trained.run, trained.model)).ok).toBe(true);
  expect((await store.saveRun({ ...trained.run, id: 'r2' }, trained.model)).ok).toBe(true);
  return { root, store };
}

describe('FsStore reads', () => {
  it('reads back what it wrote', async () => {
    const { store } = await filled();
    expect((await store.listRuns()).map((r) => r.id).sort()).toEqual(['r1', 'r2']);
    expect(await store.getModel('r1')).toBeDefined();
    expect(store.problems).toEqual([]);
  });

  it('a run.json with status 42 and history "nope" is skipped, with the path and field kept as a problem', async () => {
    const { root, store } = await filled();
    const file = join(root, 'runs', 'r2', 'run.json');
    const run = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...run, status: 42, history: 'nope' }));
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['r1']);
    expect(await store.getRun('r2')).toBeUndefined();
    expect(store.problems).toEqual([
      {
        kind: 'bad-record',
        file,
        field: 'status',
        message:
          `${file}: field "status" must be one of "running", "finished", "cancelled", "failed" or ` +
          '"interrupted" (it holds the number 42).',
      },
    ]);
    const loaded = await store.loadRun('r2');
    expect(!loaded.ok && loaded.error.file).toBe(file);
    expect((await store.loadRun('absent')).ok).toBe(true);
  });

  it('invalid JSON, a bad model file and a bad card are problems, not crashes', async () => {
    const { root, store } = await filled();
    writeFileSync(join(root, 'runs', 'r2', 'run.json'), '{"format": ');
    writeFileSync(join(root, 'runs', 'r1', 'weights.bin'), new Uint8Array(3));
    await store.saveCard({
      versionId: 'v@1',
      overview: '',
      users: '',
      useCases: '',
      limitations: '',
      tradeoffs: '',
      ethics: '',
      updatedAt: 'now',
    });
    writeFileSync(join(root, 'cards', 'v%401.json'), JSON.stringify({ versionId: 'v@1', overview: [] }));
    expect(await store.getRun('r2')).toBeUndefined();
    expect(await store.getModel('r1')).toBeUndefined();
    expect(await store.getCard('v@1')).toBeUndefined();
    const messages = store.problems.map((p) => p.message);
    expect(messages[0]).toMatch(/runs\/r2\/run\.json is not valid JSON/);
    expect(messages[1]).toMatch(/runs\/r1\/weights\.bin: it has 3 bytes; .*runs\/r1\/model\.json describes \d+\./);
    expect(messages[2]).toMatch(/cards\/v%401\.json: field "overview" must be text \(it holds an empty list\)\./);
  });

  it('a corrupt aliases.json is reported and never replaced by one alias; bad audit lines are skipped', async () => {
    const { root, store } = await filled();
    writeFileSync(join(root, 'aliases.json'), JSON.stringify([{ key: 'm:champion', name: 'm' }]));
    expect(await store.listAliases()).toEqual([]);
    expect(store.problems[0]?.message).toMatch(/aliases\.json: field "\[0\]\.alias" is missing/);
    const move = { name: 'm', alias: 'champion', from: null, to: 'm@1', who: 'me', when: 'now', reason: 'r' };
    const r = await store.moveAlias(move);
    expect(!r.ok && r.error.kind).toBe('bad-record');
    expect(JSON.parse(readFileSync(join(root, 'aliases.json'), 'utf8'))).toEqual([{ key: 'm:champion', name: 'm' }]);
    writeFileSync(
      join(root, 'alias-audit.jsonl'),
      JSON.stringify(move) + '\nnot json\n' + JSON.stringify({ ...move, to: 5 }) + '\n',
    );
    expect(await store.aliasHistory()).toEqual([move]);
    expect(store.problems.map((p) => p.message).slice(1)).toEqual([
      expect.stringMatching(/alias-audit\.jsonl line 2 is not valid JSON/),
      expect.stringMatching(
        /alias-audit\.jsonl line 3: field "to" must be a version id or null \(it holds the number 5\)\./,
      ),
    ]);
  });
});
