import { describe, expect, it } from 'vitest';
import { csvTable } from '../../tests/unit/fixtures.ts';
import { fail, ok } from '../../src/core/util/result.ts';
import { createTrainContext, overTable } from './context.ts';

const table = csvTable('a,b\n1,2\n3,4\n');
const ctx = () =>
  createTrainContext({
    tables: async (id) =>
      id === 't' ? ok({ table, name: 't.csv' }) : fail({ kind: 'not-loaded', message: `Dataset ${id} is not loaded.` }),
    runtime: 'node',
    appVersion: 'test',
  });

describe('training worker context', () => {
  it('runs one job at a time: a second one while the first runs is refused as busy', async () => {
    const c = ctx();
    let release!: () => void;
    const first = c.exclusive(() => new Promise<ReturnType<typeof ok<number>>>((r) => (release = () => r(ok(1)))));
    expect(c.busy).toBe(true);
    const second = await c.exclusive(async () => ok(2));
    expect(!second.ok && second.error.kind).toBe('busy');
    release();
    expect(await first).toMatchObject({ ok: true, value: 1 });
    expect(c.busy).toBe(false);
    expect(await c.exclusive(async () => ok(3))).toMatchObject({ ok: true, value: 3 });
  });

  it('resets the cancel flag only for jobs that ask for it', async () => {
    const c = ctx();
    c.requestCancel();
    await c.exclusive(async () => ok(0));
    expect(c.isCancelled()).toBe(true);
    await c.exclusive(async () => ok(0), true);
    expect(c.isCancelled()).toBe(false);
  });

  it('overTable: loads the table, passes a missing one through, and turns a throw into a Result', async () => {
    const c = ctx();
    const rows = await overTable(c, 't', { kind: 'x-failed', prefix: 'X failed' }, async (t) => ok(t.table.rowCount));
    expect(rows).toMatchObject({ ok: true, value: 2 });
    const missing = await overTable(c, 'u', { kind: 'x-failed', prefix: 'X failed' }, async () => ok(0));
    expect(!missing.ok && missing.error.kind).toBe('not-loaded');
    const thrown = await overTable(c, 't', { kind: 'x-failed', prefix: 'X failed' }, async () => {
      throw new Error('boom');
    });
    expect(!thrown.ok && thrown.error).toEqual({ kind: 'x-failed', message: 'X failed: boom' });
    const none = createTrainContext({ runtime: 'node', appVersion: 'test' });
    const r = await none.table('t');
    expect(!r.ok && r.error.kind).toBe('no-data-source');
  });
});
