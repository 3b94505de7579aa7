import { describe, expect, it } from 'vitest';
import { shippedTable, trainRequest } from '../../../tests/unit/fixtures.ts';
import type { ClassicalModel, RunRecord, TrainedModel } from '../contracts/index.ts';
import { FAMILIES } from '../families/index.ts';
import { CLASSICAL_STATE_SCHEMAS } from '../store/schemas/model-files.ts';
import { upgradeConfig } from '../store/upgrade.ts';
import { bundleToFiles, filesToBundle } from './model-bundle.ts';
import { checkClassicalState, labelOutputs } from './model-sanity.ts';
import { runTraining } from './run-training.ts';

// Every classical family, trained on wine (3 classes), breast cancer (2 classes) and wine's alcohol
// (regression), written as a bundle and read back: what training writes must pass, and each
// tampering must be refused naming classical.json and the field.
const wine = shippedTable('wine.csv');
const cancer = shippedTable('breast-cancer-wisconsin.csv');
const CLASSICAL = Object.entries(FAMILIES)
  .filter(([, f]) => 'predictState' in f && f.predictState)
  .map(([k]) => k);

type Bundle = { run: RunRecord; model: TrainedModel };
async function train(table: typeof wine, label: string, kind: string): Promise<Bundle | null> {
  const r = await runTraining(trainRequest(table, label, upgradeConfig({ model: { kind }, seed: 1 }), { runId: kind }));
  if (!r.ok) return null; // a family that does not take this task
  return r.value;
}

/** The bundle's files with classical.json edited. */
function tampered(b: Bundle, edit: (c: { family: string; state: Record<string, unknown> }) => void) {
  const files = bundleToFiles(b);
  const c = JSON.parse(new TextDecoder().decode(files['classical.json']));
  edit(c);
  files['classical.json'] = new TextEncoder().encode(JSON.stringify(c));
  return filesToBundle(files, 'm');
}

describe('classical.json: a schema per family', () => {
  it('has a state schema for exactly the classical families of the registry', () => {
    expect(Object.keys(CLASSICAL_STATE_SCHEMAS).sort()).toEqual([...CLASSICAL].sort());
  });

  it('every classical family, on every task it takes, writes a bundle that reads back', async () => {
    let read = 0;
    for (const kind of CLASSICAL)
      for (const [table, label] of [
        [wine, 'cultivar'],
        [cancer, 'diagnosis'],
        [wine, 'alcohol'],
      ] as const) {
        const b = await train(table, label, kind);
        if (!b) continue;
        const r = filesToBundle(bundleToFiles(b), 'm');
        if (!r.ok) throw new Error(`${kind} on ${label}: ${r.error.message}`);
        read++;
      }
    // naive Bayes and the linear SVM classify only.
    expect(read).toBe(CLASSICAL.length * 3 - 2);
  }, 120_000);

  it('an unknown family is refused naming classical.json, the field and the family (was exit 70 at predict)', async () => {
    const b = (await train(wine, 'cultivar', 'tree'))!;
    const r = tampered(b, (c) => (c.family = 'quantum'));
    expect(!r.ok && r.error).toMatchObject({ kind: 'bad-model', file: 'm/classical.json', field: 'family' });
    expect(!r.ok && r.error.message).toContain('m/classical.json: field "family" names "quantum"');
  });

  it('a state with text where lists go is refused naming the field (was "Invalid typed array length")', async () => {
    const b = (await train(wine, 'cultivar', 'tree'))!;
    const r = tampered(b, (c) => (c.state = { feature: 'x', threshold: null, left: 3, width: -1 }));
    expect(!r.ok && r.error).toMatchObject({ kind: 'bad-model', file: 'm/classical.json', field: 'state.feature' });
    expect(!r.ok && r.error.message).toMatch(/^m\/classical\.json: field "state\.feature" must be a list/);
  });

  it('sizes that disagree with the preprocessor are refused naming the field', async () => {
    const cases: [string, (s: Record<string, unknown>) => void, string][] = [
      ['knn', (s) => (s.d = 5), 'state.d'],
      ['knn', (s) => (s.X as number[]).pop(), 'state.X'],
      ['knn', (s) => ((s.y as number[])[0] = 7), 'state.y[0]'],
      ['naive-bayes', (s) => (s.mean as number[]).pop(), 'state.mean'],
      ['naive-bayes', (s) => ((s.variance as number[])[2] = 0), 'state.variance[2]'],
      ['linear-svm', (s) => (s.w as number[]).push(1), 'state.w'],
      ['gbt', (s) => (s.init as number[]).pop(), 'state.init'],
      ['forest', (s) => (s.trees = []), 'state.trees'],
      [
        'tree',
        (s) => ((s.value = (s.value as number[]).slice(0, (s.feature as number[]).length)), (s.width = 1)),
        'state.width',
      ],
    ];
    for (const [kind, edit, field] of cases) {
      const b = (await train(wine, 'cultivar', kind))!;
      const r = tampered(b, (c) => edit(c.state));
      expect(!r.ok && r.error, `${kind} ${field}`).toMatchObject({
        kind: 'bad-model',
        file: 'm/classical.json',
        field,
      });
    }
  }, 60_000);

  it('checkClassicalState alone: an unknown family is a Result, not a throw', () => {
    const r = checkClassicalState({ family: 'quantum', state: {} }, 3);
    expect(!r.ok && r.error.field).toBe('family');
  });

  it('labelOutputs: classes for classification, 1 for regression', async () => {
    const b = (await train(wine, 'cultivar', 'tree'))!;
    expect(labelOutputs((b.model as ClassicalModel).preprocessor)).toBe(3);
  });
});
