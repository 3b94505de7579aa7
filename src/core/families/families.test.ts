import { describe, expect, it } from 'vitest';
import { configFor, describeConfig, validateConfig } from './config.ts';
import { checkField, fieldApplies, flagOf, parseFieldText, withDefaults } from './params.ts';
import { FAMILIES, FAMILY_KINDS, familyOf } from './registry.ts';

const ctx = { task: 'classification' as const, inputSize: 64, classes: 10, rows: 1000 };

describe('model families registry', () => {
  it('is frozen, keyed by each family kind, with unique labels', () => {
    expect(Object.isFrozen(FAMILIES)).toBe(true);
    for (const k of FAMILY_KINDS) expect(FAMILIES[k].kind).toBe(k);
    expect(new Set(FAMILY_KINDS.map((k) => FAMILIES[k].label)).size).toBe(FAMILY_KINDS.length);
    expect(familyOf('onnx')).toBeUndefined();
    expect(familyOf('toString')).toBeUndefined();
  });

  it("every family's defaults validate for a task it supports, and describe themselves", () => {
    for (const k of FAMILY_KINDS) {
      const fam = FAMILIES[k];
      const task = fam.tasks[0]!;
      const c = configFor(k);
      expect(validateConfig(c, { ...ctx, task, classes: task === 'regression' ? 1 : 10 }), k).toBeNull();
      expect(describeConfig(c).length, k).toBeGreaterThan(0);
      for (const f of fam.fields) expect(checkField(f, f.default, ctx), `${k}.${f.name}`).toBeNull();
      for (const p of fam.searchSpace)
        expect(
          fam.fields.map((f) => f.name),
          `${k} space ${p.path}`,
        ).toContain(p.path);
    }
  });

  it('one flag means one field across families (the CLI reads them all at once)', () => {
    const byFlag = new Map<string, string>();
    for (const k of FAMILY_KINDS)
      for (const f of FAMILIES[k].fields) {
        const seen = byFlag.get(flagOf(f));
        if (seen) expect(seen, `--${flagOf(f)}`).toBe(f.name);
        byFlag.set(flagOf(f), f.name);
      }
  });

  it('refuses a value out of range naming the field, and a family that cannot do the task', () => {
    const bad = validateConfig(configFor('tree', { maxDepth: 0 }), ctx);
    expect(bad?.message).toBe('Max depth must be a whole number between 1 and 64; it is 0.');
    expect(validateConfig(configFor('linear'), ctx)?.message).toMatch(/Linear regression does regression only/);
    expect(validateConfig(configFor('nope'), ctx)?.message).toMatch(/Unknown model family "nope"/);
    const k = validateConfig(configFor('knn', { k: 2000 }), ctx);
    expect(k?.message).toMatch(/between 1 and 1000/);
    const cnn = validateConfig(configFor('cnn'), { ...ctx, inputSize: 10 });
    expect(cnn?.message).toMatch(/square image/);
    const huge = validateConfig(configFor('mlp', { hidden: [65536, 65536] }), ctx);
    expect(huge?.message).toMatch(/MB to train/);
  });

  it('fills defaults, drops unknown names, parses text and knows when a field applies', () => {
    expect(withDefaults(FAMILIES.tree, { maxDepth: 3, epochs: 9 })).toEqual({ maxDepth: 3, minSamplesLeaf: 1 });
    const hidden = FAMILIES.mlp.fields.find((f) => f.name === 'hidden')!;
    expect(parseFieldText(hidden, '64,32')).toEqual({ ok: true, value: [64, 32] });
    expect(parseFieldText(hidden, '64,x')).toMatchObject({ ok: false, message: expect.stringMatching(/--hidden/) });
    const every = FAMILIES.mlp.fields.find((f) => f.name === 'scheduleEvery')!;
    expect(fieldApplies(every, { schedule: 'constant' })).toBe(false);
    expect(fieldApplies(every, { schedule: 'step' })).toBe(true);
    const weights = FAMILIES.mlp.fields.find((f) => f.name === 'classWeights')!;
    expect(fieldApplies(weights, {}, 'regression')).toBe(false);
  });
});
