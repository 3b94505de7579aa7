import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runTraining } from '../src/core/model/run-training.ts';
import type { RunRecord, TrainedModel } from '../src/core/model/spec.ts';
import { upgradeConfig } from '../src/core/store/upgrade.ts';
import { shippedTable, trainRequest } from '../tests/unit/fixtures.ts';
import { FsStore } from './fs-store.ts';
import { registryCommand } from './registry-commands.ts';

// Issue 16: a stored record that fails its schema is skipped by the store and left as it is; the
// commands that read the store name it (file and field) instead of dropping it silently.

let trained: { run: RunRecord; model: TrainedModel };
beforeAll(async () => {
  const r = await runTraining(
    trainRequest(shippedTable('wine.csv'), 'cultivar', upgradeConfig({ model: { kind: 'tree', maxDepth: 2 } }), {
      runId: 'r1',
      runName: 'wine tree',
      file: 'wine.csv',
    }),
  );
  if (!r.ok) throw new Error(r.error.message);
  trained = r.value;
});

/** Runs a registry command in-process; stdout and stderr as text. */
async function benchtop(command: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
  try {
    const code = await registryCommand(command, args);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}
afterEach(() => vi.restoreAllMocks());

/** A store with runs r1 and r2, r2's run.json then given a history that is not a list. */
async function storeWithCorruptRun() {
  const root = join(await mkdtemp(join(tmpdir(), 'benchtop-problems-')), 'store');
  const store = new FsStore(root);
  for (const id of ['r1', 'r2']) {
    const saved = await store.saveRun({ ...trained.run, id, name: `run ${id}` }, trained.model);
    if (!saved.ok) throw new Error(saved.error.message);
  }
  const file = join(root, 'runs', 'r2', 'run.json');
  const run = JSON.parse(await readFile(file, 'utf8'));
  const corrupt = JSON.stringify({ ...run, history: 'nope' });
  await writeFile(file, corrupt);
  return { root, file, corrupt };
}

describe('commands name the stored records they could not read', () => {
  it('runs lists the readable runs and names the corrupt run.json with its file and field on stderr', async () => {
    const { root, file, corrupt } = await storeWithCorruptRun();
    const r = await benchtop('runs', ['--store', root]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id)).toEqual(['r1']);
    expect(JSON.parse(r.stderr)).toEqual({
      ok: true,
      problems: [
        {
          kind: 'bad-record',
          file,
          field: 'history',
          message: `${file}: field "history" must be a list of epochs (it holds a string "nope").`,
        },
      ],
    });
    // Left as it is: the file was not rewritten or removed.
    expect(await readFile(file, 'utf8')).toBe(corrupt);
  });

  it('a clean store prints no problems', async () => {
    const { root, file } = await storeWithCorruptRun();
    await writeFile(file, JSON.stringify({ ...trained.run, id: 'r2' }));
    const r = await benchtop('runs', ['--store', root]);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    expect(r.stderr).toBe('');
  });

  it('a command printing an object carries "problems" in it; register of the corrupt run fails with its problem', async () => {
    const { root, file } = await storeWithCorruptRun();
    const ok = await benchtop('register', ['--store', root, '--run', 'r1', '--name', 'wine']);
    expect(ok.code).toBe(0);
    const printed = JSON.parse(ok.stdout);
    expect(printed).toMatchObject({ ok: true, version: 'wine@1' });
    // register reads r1 only; the corrupt r2 was never read, so there is nothing to name.
    expect(printed.problems).toBeUndefined();

    const exported = await benchtop('bundle-export', [
      '--store',
      root,
      '--runs',
      'r1,r2',
      '--out',
      join(root, 'b.zip'),
    ]);
    const failed = exported.code === 0 ? JSON.parse(exported.stdout) : JSON.parse(exported.stderr);
    expect(failed.problems).toEqual([expect.objectContaining({ file, field: 'history' })]);

    const bad = await benchtop('register', ['--store', root, '--run', 'r2', '--name', 'wine']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stderr).error).toMatchObject({ kind: 'bad-record', file, field: 'history' });
  });
});
