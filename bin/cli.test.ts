import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = new URL('./benchtop.mjs', import.meta.url).pathname;
const DATA = new URL('../public/datasets/', import.meta.url).pathname;
// Commands keep records in ./.benchtop by default: run them in a scratch directory.
const WORK = mkdtempSync(join(tmpdir(), 'benchtop-cwd-'));

async function benchtop(args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { maxBuffer: 1 << 24, cwd: WORK });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('benchtop command line', () => {
  it('--help lists the commands', async () => {
    const r = await benchtop(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/train\s+Train a model/);
  });

  it('train is reproducible on the same backend and writes a model directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchtop-'));
    const args = [
      'train',
      '--data',
      join(DATA, 'wine.csv'),
      '--label',
      'cultivar',
      '--model',
      'mlp',
      '--hidden',
      '16',
      '--epochs',
      '5',
      '--lr',
      '0.01',
      '--seed',
      '7',
      '--backend',
      'wasm',
    ];
    const a = await benchtop([...args, '--out', join(dir, 'a')]);
    const b = await benchtop([...args, '--out', join(dir, 'b')]);
    expect(a.code).toBe(0);
    const ja = JSON.parse(a.stdout),
      jb = JSON.parse(b.stdout);
    expect(ja.metrics).toEqual(jb.metrics);
    expect(ja.metrics.validation.accuracy).toBeGreaterThan(0.8);
    expect(ja.backend).toBe('wasm');
    const run = JSON.parse(await readFile(join(dir, 'a', 'run.json'), 'utf8'));
    expect(run.format).toBe('benchtop-run@2');
    const modelJson = JSON.parse(await readFile(join(dir, 'a', 'model.json'), 'utf8'));
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);

    const info = await benchtop(['info', '--model', join(dir, 'a'), '--data', join(DATA, 'wine.csv')]);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout).fingerprint.maxAbsDiff).toBeLessThan(1e-6);
    const other = await benchtop(['info', '--model', join(dir, 'a'), '--data', join(DATA, 'german-credit.csv')]);
    expect(JSON.parse(other.stderr).error.kind).toBe('other-dataset');

    const preds = join(dir, 'preds.csv');
    const p = await benchtop(['predict', '--model', join(dir, 'a'), '--data', join(DATA, 'wine.csv'), '--out', preds]);
    expect(p.code).toBe(0);
    const lines = (await readFile(preds, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('predicted,class_0,class_1,class_2');
    expect(lines).toHaveLength(179);
    const probs = lines[1]!.split(',').slice(1).map(Number);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('every model family trains and reports baselines and the lift over the strongest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchtop-'));
    for (const model of ['logistic', 'cnn', 'tree', 'forest', 'gbt', 'knn', 'naive-bayes']) {
      const r = await benchtop([
        'train',
        '--data',
        join(DATA, 'digits-8x8.csv'),
        '--label',
        'digit',
        '--model',
        model,
        '--epochs',
        '3',
        '--trees',
        '10',
        '--lr',
        '0.01',
        '--out',
        join(dir, model),
        '--baseline',
        'human:accuracy=0.98',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.model).toBe(model);
      expect(j.baselines.map((b: { kind: string }) => b.kind)).toEqual([
        'uniform',
        'prior',
        'zero-rule',
        'threshold',
        'user',
      ]);
      expect(j.baselines.find((b: { kind: string }) => b.kind === 'zero-rule').validation.accuracy).toBeLessThan(0.15);
      expect(j.lift.metric).toBe('accuracy');
      expect(j.metrics.validation.accuracy).toBeGreaterThan(0.6);
    }
  }, 180_000);

  it('tune searches, never touches test, and writes the best model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchtop-'));
    const r = await benchtop([
      'tune',
      '--data',
      join(DATA, 'wine.csv'),
      '--label',
      'cultivar',
      '--model',
      'gbt',
      '--search',
      'bayes',
      '--trials',
      '6',
      '--seed',
      '3',
      '--out',
      join(dir, 'best'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.trials).toHaveLength(6);
    expect(j.best.score).toBe(
      Math.min(
        ...j.trials.filter((t: { status: string }) => t.status === 'finished').map((t: { score: number }) => t.score),
      ),
    );
    // Search-space paths are the family's field names (src/core/families/gbt.ts).
    expect(Object.keys(j.best.params).sort()).toEqual(['boostLearningRate', 'maxDepth', 'nEstimators', 'subsample']);
    const run = JSON.parse(await readFile(join(dir, 'best', 'run.json'), 'utf8'));
    expect(run.config.params.maxDepth).toBe(j.best.params.maxDepth);
    const grid = await benchtop([
      'tune',
      '--data',
      join(DATA, 'wine.csv'),
      '--label',
      'cultivar',
      '--model',
      'knn',
      '--search',
      'grid',
      '--trials',
      '100',
      '--out',
      join(dir, 'grid'),
    ]);
    expect(JSON.parse(grid.stdout).trials).toHaveLength(8); // k at 4 points × 2 weightings
  }, 120_000);

  it('refuses an unsupported model for the task and out-of-range values before training', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchtop-'));
    const r = await benchtop([
      'train',
      '--data',
      join(DATA, 'wine.csv'),
      '--label',
      'alcohol',
      '--model',
      'naive-bayes',
      '--out',
      join(dir, 'm'),
    ]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error).toMatchObject({ kind: 'bad-config', column: 'model' });
    const r2 = await benchtop([
      'train',
      '--data',
      join(DATA, 'wine.csv'),
      '--label',
      'cultivar',
      '--model',
      'mlp',
      '--dropout',
      '1.5',
      '--out',
      join(dir, 'm'),
    ]);
    expect(JSON.parse(r2.stderr).error).toMatchObject({ kind: 'bad-config', column: 'dropout' });
    const r3 = await benchtop([
      'train',
      '--data',
      join(DATA, 'wine.csv'),
      '--label',
      'cultivar',
      '--model',
      'mlp',
      '--hidden',
      '60000,60000',
      '--out',
      join(dir, 'm'),
    ]);
    expect(JSON.parse(r3.stderr).error.message).toMatch(/parameters and needs about \d+ MB/);
    const r4 = await benchtop([
      'train',
      '--data',
      join(DATA, 'wine.csv'),
      '--label',
      'cultivar',
      '--model',
      'cnn',
      '--out',
      join(dir, 'm'),
    ]);
    expect(JSON.parse(r4.stderr).error.message).toMatch(/square image/);
  });

  it('keeps runs in a file-system store; registers versions, moves aliases, writes cards and bundles', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchtop-store-'));
    const store = join(dir, 'store');
    const ids: string[] = [];
    for (const [model, depth] of [
      ['tree', '3'],
      ['tree', '3'],
      ['knn', '3'],
    ]) {
      const r = await benchtop([
        'train',
        '--data',
        join(DATA, 'wine.csv'),
        '--label',
        'cultivar',
        '--model',
        model!,
        '--max-depth',
        depth!,
        '--seed',
        String(ids.length + 1),
        '--out',
        join(dir, `m${ids.length}`),
        '--store',
        store,
        '--tags',
        'wine,cli',
      ]);
      expect(r.code, r.stderr).toBe(0);
      ids.push(JSON.parse(r.stdout).run);
    }
    const runs = JSON.parse((await benchtop(['runs', '--store', store])).stdout);
    expect(runs).toHaveLength(3);
    expect(runs[0].tags).toEqual(['wine', 'cli']);
    const labels: string[] = [];
    for (const id of ids) {
      const r = await benchtop(['register', '--store', store, '--run', id, '--name', 'wine']);
      expect(r.code, r.stderr).toBe(0);
      labels.push(JSON.parse(r.stdout).label);
    }
    expect(labels).toEqual(['V1.1.0', 'V1.2.0', 'V2.1.0']);
    expect(
      (
        await benchtop([
          'alias',
          '--store',
          store,
          '--name',
          'wine',
          '--alias',
          'champion',
          '--version',
          '3',
          '--reason',
          'best',
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await benchtop([
          'alias',
          '--store',
          store,
          '--name',
          'wine',
          '--alias',
          'champion',
          '--version',
          '1',
          '--reason',
          'simpler',
        ])
      ).code,
    ).toBe(0);
    const back = JSON.parse(
      (
        await benchtop([
          'alias',
          '--store',
          store,
          '--name',
          'wine',
          '--alias',
          'champion',
          '--rollback',
          '--reason',
          'oops',
        ])
      ).stdout,
    );
    expect(back).toMatchObject({ from: 'wine@1', to: 'wine@3' });
    expect(back.history).toHaveLength(3);
    const versions = JSON.parse((await benchtop(['versions', '--store', store, '--name', 'wine'])).stdout);
    expect(versions.find((v: { id: string }) => v.id === 'wine@3').aliases).toEqual(['champion']);
    const card = await benchtop(['card', '--store', store, '--version', 'wine@3', '--format', 'md']);
    expect(card.stdout).toContain('# Model card: wine');
    const noReason = await benchtop([
      'alias',
      '--store',
      store,
      '--name',
      'wine',
      '--alias',
      'champion',
      '--version',
      '2',
    ]);
    expect(noReason.code).toBe(2);

    const zip = join(dir, 'b.zip');
    expect(
      (await benchtop(['bundle-export', '--store', store, '--versions', 'wine@1,wine@3', '--out', zip])).code,
    ).toBe(0);
    const other = join(dir, 'other');
    const imp = JSON.parse((await benchtop(['bundle-import', zip, '--store', other])).stdout);
    expect(imp).toMatchObject({ ok: true, runs: 2, versions: 2, datasets: 1 });
    // Importing it again replaces nothing: both copies are kept (bin/import-keep-both.test.ts).
    const again = JSON.parse((await benchtop(['bundle-import', zip, '--store', other])).stdout);
    expect(again).toMatchObject({ ok: true, runs: 2, versions: 2, datasets: 0 });
    // The imported model predicts exactly as the original.
    const a = JSON.parse(
      (await benchtop(['info', '--model', join(dir, 'm0'), '--data', join(DATA, 'wine.csv')])).stdout,
    );
    expect(a.fingerprint.maxAbsDiff).toBe(0);
  }, 120_000);

  it('evaluate prints every metric as JSON; calibrate writes a calibrated child; predict marks abstentions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchtop-eval-'));
    const data = join(DATA, 'breast-cancer-wisconsin.csv');
    expect(
      (
        await benchtop([
          'train',
          '--data',
          data,
          '--label',
          'diagnosis',
          '--model',
          'mlp',
          '--epochs',
          '20',
          '--lr',
          '0.01',
          '--out',
          join(dir, 'm'),
          '--no-store',
        ])
      ).code,
    ).toBe(0);
    const ev = await benchtop([
      'evaluate',
      '--model',
      join(dir, 'm'),
      '--data',
      data,
      '--label',
      'diagnosis',
      '--json',
      '--report',
      join(dir, 'r.html'),
    ]);
    expect(ev.code, ev.stderr).toBe(0);
    const j = JSON.parse(ev.stdout);
    expect(j.rows).toBe(569);
    expect(Object.keys(j.metrics)).toEqual(
      expect.arrayContaining([
        'accuracy',
        'balancedAccuracy',
        'macroF1',
        'mcc',
        'auc',
        'logLoss',
        'brier',
        'ece',
        'intervals',
      ]),
    );
    expect(j.metrics.intervals.accuracy.lo).toBeLessThanOrEqual(j.metrics.accuracy);
    expect(await readFile(join(dir, 'r.html'), 'utf8')).toContain('<h1>Evaluation:');
    const cal = await benchtop([
      'calibrate',
      '--model',
      join(dir, 'm'),
      '--data',
      data,
      '--label',
      'diagnosis',
      '--method',
      'temperature',
      '--out',
      join(dir, 'cal'),
    ]);
    expect(cal.code, cal.stderr).toBe(0);
    const c = JSON.parse(cal.stdout);
    expect(c.after.accuracy).toBe(c.before.accuracy);
    const run = JSON.parse(await readFile(join(dir, 'cal', 'run.json'), 'utf8'));
    expect(run.calibration.parentRunId).toBe(c.parentRun);
    const p = await benchtop([
      'predict',
      '--model',
      join(dir, 'cal'),
      '--data',
      data,
      '--out',
      join(dir, 'p.csv'),
      '--abstain-below',
      '0.9',
    ]);
    expect(p.code, p.stderr).toBe(0);
    const lines = (await readFile(join(dir, 'p.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('predicted,benign,malignant,abstain');
    expect(lines.slice(1).every((l) => /,(true|false)$/.test(l))).toBe(true);
    const wrong = await benchtop(['evaluate', '--model', join(dir, 'm'), '--data', join(DATA, 'wine.csv'), '--json']);
    expect(JSON.parse(wrong.stderr).error).toMatchObject({ kind: 'column-mismatch' });
  }, 120_000);

  it('compress writes a smaller child with lineage; export writes ONNX, tfjs and a Triton repository', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchtop-comp-'));
    const data = join(DATA, 'digits-8x8.csv');
    expect(
      (
        await benchtop([
          'train',
          '--data',
          data,
          '--label',
          'digit',
          '--epochs',
          '10',
          '--lr',
          '0.005',
          '--out',
          join(dir, 'm'),
          '--no-store',
        ])
      ).code,
    ).toBe(0);
    const c = await benchtop([
      'compress',
      '--model',
      join(dir, 'm'),
      '--data',
      data,
      '--method',
      'int8',
      '--per-tensor',
      '--out',
      join(dir, 'q'),
    ]);
    expect(c.code, c.stderr).toBe(0);
    const j = JSON.parse(c.stdout);
    expect(j.sizeFraction).toBeLessThanOrEqual(0.26);
    expect(j['parent test accuracy'] - j['test accuracy']).toBeLessThanOrEqual(0.01);
    expect(JSON.parse(await readFile(join(dir, 'q', 'run.json'), 'utf8')).compression.parentRunId).toBe(j.parentRun);
    for (const format of ['onnx', 'tfjs', 'triton']) {
      const e = await benchtop([
        'export',
        '--model',
        join(dir, 'q'),
        '--format',
        format,
        '--out',
        join(dir, format),
        '--name',
        'digits',
      ]);
      expect(e.code, e.stderr).toBe(0);
    }
    expect(await readFile(join(dir, 'triton', 'digits', 'config.pbtxt'), 'utf8')).toContain('backend: "onnxruntime"');
    expect((await readFile(join(dir, 'onnx', 'model.onnx'))).byteLength).toBeLessThan(30000);
    const bad = await benchtop([
      'compress',
      '--model',
      join(dir, 'm'),
      '--data',
      data,
      '--method',
      'prune',
      '--sparsity',
      '2',
      '--out',
      join(dir, 'x'),
    ]);
    expect(JSON.parse(bad.stderr).error.column).toBe('sparsity');
  }, 120_000);

  it('bad input exits non-zero with a JSON error naming the file and column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchtop-'));
    const f = join(dir, 'ragged.csv');
    await writeFile(f, 'a,b\n1,2\n3\n');
    const r = await benchtop(['train', '--data', f, '--label', 'b', '--out', join(dir, 'm')]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr).error).toMatchObject({ kind: 'ragged-rows', file: 'ragged.csv', row: 2 });
    const r2 = await benchtop(['train', '--data', join(DATA, 'wine.csv'), '--label', 'nope', '--out', join(dir, 'm')]);
    expect(JSON.parse(r2.stderr).error).toMatchObject({ kind: 'missing-column', column: 'nope' });
    const r3 = await benchtop(['train', '--data', join(DATA, 'wine.csv')]);
    expect(r3.code).toBe(64);
    expect(r3.stderr).toMatch(/--label is required/);
  });

  it('drift: seasons of seattle-weather — per-column tests, verdicts, schema findings, expectations', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchtop-drift-'));
    const lines = (await readFile(join(DATA, 'seattle-weather.csv'), 'utf8')).trim().split('\n');
    const header = lines[0]!,
      rows = lines.slice(1);
    const month = (l: string) => Number(l.slice(5, 7));
    await writeFile(join(dir, 'winter.csv'), [header, ...rows.filter((l) => [12, 1, 2].includes(month(l)))].join('\n'));
    await writeFile(join(dir, 'summer.csv'), [header, ...rows.filter((l) => [6, 7, 8].includes(month(l)))].join('\n'));
    const r = await benchtop([
      'drift',
      '--reference',
      join(dir, 'winter.csv'),
      '--current',
      join(dir, 'summer.csv'),
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const f = Object.fromEntries(j.features.map((x: { feature: string }) => [x.feature, x]));
    expect(f.temp_max).toMatchObject({ type: 'numeric', test: 'Kolmogorov–Smirnov', verdict: 'drift' });
    expect(f.temp_max.pValue).toBeLessThan(1e-50);
    expect(f.weather).toMatchObject({ type: 'categorical', test: 'chi-square', verdict: 'drift' });
    expect(f.temp_max.current.mean - f.temp_max.reference.mean).toBeGreaterThan(10);
    expect(j.drifted).toContain('temp_max');
    // A current file with a column gone, a column of words and a new category: findings, not a crash.
    await writeFile(
      join(dir, 'odd.csv'),
      [
        'date,precipitation,temp_max,wind,weather',
        '2015-06-01,0,hot,3,sun',
        '2015-06-02,0,warm,3,hail',
        '2015-06-03,1,20,2,rain',
      ].join('\n'),
    );
    const o = JSON.parse(
      (await benchtop(['drift', '--reference', join(dir, 'winter.csv'), '--current', join(dir, 'odd.csv'), '--json']))
        .stdout,
    );
    expect(o.schema.map((s: { kind: string; column: string }) => `${s.kind}:${s.column}`).sort()).toEqual([
      'missing-column:temp_min',
      'type-change:temp_max',
      'unseen-categories:weather',
    ]);
    // Expectations suggested from winter, run on summer.
    const sug = JSON.parse(
      (await benchtop(['drift', '--reference', join(dir, 'winter.csv'), '--suggest-expectations'])).stdout,
    );
    await writeFile(join(dir, 'exp.json'), JSON.stringify(sug.expectations));
    const e = JSON.parse(
      (
        await benchtop([
          'drift',
          '--reference',
          join(dir, 'winter.csv'),
          '--current',
          join(dir, 'summer.csv'),
          '--expectations',
          join(dir, 'exp.json'),
          '--json',
        ])
      ).stdout,
    );
    const failed = e.expectations
      .filter((x: { passed: boolean }) => !x.passed)
      .map((x: { expectation: { kind: string; column: string } }) => `${x.expectation.kind}:${x.expectation.column}`);
    expect(failed).toContain('mean-between:temp_max');
    expect(failed).toContain('between:temp_max');
    const bad = await benchtop(['drift', '--reference', join(dir, 'winter.csv'), '--current', join(dir, 'nope.csv')]);
    expect(bad.code).toBe(2);
  });

  it('rehearse: a canary of the heuristic against a trained model rolls back on accuracy; an A/B test decides', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'benchtop-rehearse-'));
    const t = await benchtop([
      'train',
      '--data',
      join(DATA, 'wine.csv'),
      '--label',
      'cultivar',
      '--epochs',
      '15',
      '--lr',
      '0.01',
      '--hidden',
      '16',
      '--out',
      join(dir, 'w'),
      '--no-store',
    ]);
    expect(t.code).toBe(0);
    const c = await benchtop([
      'rehearse',
      '--model',
      join(dir, 'w'),
      '--data',
      join(DATA, 'wine.csv'),
      '--kind',
      'canary',
      '--challenger',
      'heuristic',
      '--requests',
      '600',
      '--steps',
      '10,50,100',
      '--per-step',
      '20',
    ]);
    expect(c.code).toBe(0);
    const cj = JSON.parse(c.stdout);
    expect(cj.summary.Outcome).toMatch(/rolled back/);
    expect(cj.summary['Rollback reason']).toMatch(/accuracy .* below stable's .*one-sided p = /);
    const a = JSON.parse(
      (
        await benchtop([
          'rehearse',
          '--model',
          join(dir, 'w'),
          '--data',
          join(DATA, 'wine.csv'),
          '--kind',
          'ab',
          '--challenger',
          'heuristic',
          '--requests',
          '400',
          '--json',
        ])
      ).stdout,
    );
    expect(typeof a.summary['Decision (always-valid p ≤ α) at request']).toBe('number');
    expect(a.traces).toHaveLength(2);
    const bad = await benchtop([
      'rehearse',
      '--model',
      join(dir, 'w'),
      '--data',
      join(DATA, 'wine.csv'),
      '--kind',
      'nope',
      '--challenger',
      'heuristic',
    ]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/--kind must be one of shadow, ab, canary/);
  });
});
