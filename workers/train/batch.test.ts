import { beforeAll, describe, expect, it } from 'vitest';
import { trainedOnWine } from './api-test-kit.ts';

describe('training API: batch and online prediction', () => {
  let w: Awaited<ReturnType<typeof trainedOnWine>>;
  beforeAll(async () => {
    w = await trainedOnWine();
  });

  it('predicts every row in batches of 512, reporting progress, and agrees with the online path', async () => {
    const progress: [number, number][] = [];
    const r = await w.train.predictDataset(w.run.id, w.ds.id, (done, total) => progress.push([done, total]));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ width: 3, rows: 178 });
    expect(r.value.outputs).toHaveLength(178 * 3);
    expect(progress).toEqual([[178, 178]]); // one batch: 178 < 512
    for (let i = 0; i < 178; i++) {
      const sum = r.value.outputs[3 * i]! + r.value.outputs[3 * i + 1]! + r.value.outputs[3 * i + 2]!;
      expect(sum).toBeCloseTo(1, 5);
    }
    // The fingerprint rows through the batch path give what the run recorded at training time.
    const fp = w.run.fingerprint;
    const got = fp.rows.flatMap((row) => Array.from(r.value.outputs.subarray(row * 3, row * 3 + 3)));
    got.forEach((v, i) => expect(v).toBeCloseTo(fp.outputs[i]!, 5));
    const one = await w.train.predictOnline(w.run.id, w.ds.id, 17);
    if (!one.ok) throw new Error(one.error.message);
    one.value.outputs.forEach((v, j) => expect(v).toBeCloseTo(r.value.outputs[17 * 3 + j]!, 5));
  });

  it('online prediction keeps the model loaded, and says when it is not or the row is outside', async () => {
    const fresh = (await import('./api-test-kit.ts')).apis().train;
    const none = await fresh.predictOnline('r', w.ds.id, 0);
    expect(!none.ok && none.error.kind).toBe('not-loaded');
    await w.train.predictOnline(w.run.id, w.ds.id, 0);
    const cached = await w.train.predictOnline(w.run.id, w.ds.id, 5); // the loaded one
    expect(cached.ok && cached.value.outputs).toHaveLength(3);
    const out = await w.train.predictOnline(w.run.id, w.ds.id, 178);
    expect(!out.ok && out.error).toMatchObject({ kind: 'bad-row', message: 'Row 178 is outside the dataset (0–177).' });
  });
});
