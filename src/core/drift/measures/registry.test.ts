import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  categoricalSample,
  DEFAULT_TESTS,
  DRIFT_MEASURES,
  driftMeasures,
  largeEnough,
  measureDrift,
  numericSample,
  sizeNames,
  type DriftMeasure,
  type DriftMeasureId,
  type DriftSample,
  type DriftTestId,
  type DriftTestLabel,
} from './index.ts';

// Expected numbers: scipy 1.10.1 / numpy 1.24, written by tests/fixtures/make_drift_fixtures.py into the
// `measures` section of tests/fixtures/drift-reference.json, one list per registry id.
interface Entry {
  kind: 'numeric' | 'categorical';
  sample: string;
  statistic: number;
  p?: number;
  dof?: number;
  size?: number | null;
}
interface Fixture {
  cases: { name: string; reference: number[]; current: number[] }[];
  chi: { name: string; reference: number[]; current: number[] }[];
  measures: Record<string, Entry[]>;
}
const fx = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/drift-reference.json', import.meta.url), 'utf8'),
) as Fixture;

const samples = new Map<string, DriftSample>();
for (const c of fx.cases)
  samples.set(`numeric:${c.name}`, numericSample(Float64Array.from(c.reference), Float64Array.from(c.current)));
for (const c of fx.chi)
  samples.set(
    `categorical:${c.name}`,
    categoricalSample(
      c.reference.map((_, i) => `c${i}`),
      c.reference,
      c.current,
    ),
  );

const ids = Object.keys(DRIFT_MEASURES) as DriftMeasureId[];

describe('every registered drift measure against its scipy fixture (tests/fixtures/drift-reference.json)', () => {
  it.each(ids)('%s', (id) => {
    const m: DriftMeasure = DRIFT_MEASURES[id];
    const entries = fx.measures[id];
    expect(
      entries,
      `no fixture for drift measure "${id}": add it to tests/fixtures/make_drift_fixtures.py and regenerate`,
    ).toBeDefined();
    // Every kind the measure claims is checked, and nothing else.
    expect([...new Set(entries!.map((e) => e.kind))].sort()).toEqual([...m.appliesTo].sort());
    for (const e of entries!) {
      const sample = samples.get(`${e.kind}:${e.sample}`);
      expect(sample, `fixture sample "${e.sample}" (${e.kind})`).toBeDefined();
      const r = m.run(sample!);
      const at = `${id} on "${e.sample}"`;
      expect(Math.abs(r.statistic - e.statistic), `${at}: statistic ${r.statistic} vs ${e.statistic}`).toBeLessThan(
        m.tolerance.statistic,
      );
      if (m.role === 'test') {
        expect(e.p, `${at}: a test's fixture needs p`).toBeTypeOf('number');
        expect(Math.abs(r.p! - e.p!), `${at}: p ${r.p} vs ${e.p}`).toBeLessThan(m.tolerance.p ?? 1e-6);
        const rel = m.tolerance.pRelative;
        if (rel !== undefined && e.p! > 0 && e.p! < 1e-6)
          expect(Math.abs(r.p! / e.p! - 1), `${at}: p ${r.p} vs ${e.p}`).toBeLessThan(rel);
        if (e.dof !== undefined) expect(r.dof, `${at}: dof`).toBe(e.dof);
      } else {
        expect(r.p, `${at}: a distance gives no p-value`).toBeUndefined();
        if (e.size === null) expect(r.size, `${at}: size`).toBeNaN();
        else
          expect(Math.abs(r.size! - e.size!), `${at}: size ${r.size} vs ${e.size}`).toBeLessThan(
            m.tolerance.size ?? 1e-10,
          );
      }
    }
  });

  it('the fixture has no entry for a measure that is not registered', () => {
    expect(Object.keys(fx.measures).sort()).toEqual([...ids].sort());
  });
});

describe('drift measure registry', () => {
  it('is frozen, keyed by each measure id, and every measure is complete', () => {
    expect(Object.isFrozen(DRIFT_MEASURES)).toBe(true);
    for (const id of ids) {
      const m = DRIFT_MEASURES[id];
      expect(m.id).toBe(id);
      expect(m.label.length && m.short.length && m.description.length && m.scipy.length).toBeTruthy();
      expect(['test', 'distance']).toContain(m.role);
      expect(m.appliesTo.length).toBeGreaterThan(0);
      for (const k of m.appliesTo) expect(['numeric', 'categorical']).toContain(k);
      expect(m.tolerance.statistic).toBeGreaterThan(0);
      if (m.role === 'test') expect(m.gatesVerdict).toBe(false);
    }
    // Labels and column headers are unique (they name columns in the report and the app's table).
    expect(new Set(ids.map((id) => DRIFT_MEASURES[id].label)).size).toBe(ids.length);
    expect(new Set(ids.map((id) => DRIFT_MEASURES[id].short)).size).toBe(ids.length);
  });

  it('every column kind has a default test that applies to it, and at least one verdict-gating distance', () => {
    for (const kind of ['numeric', 'categorical'] as const) {
      const t = DRIFT_MEASURES[DEFAULT_TESTS[kind]];
      expect(t.role).toBe('test');
      expect(t.appliesTo as readonly string[]).toContain(kind);
      expect(driftMeasures({ role: 'distance', kind }).some((m) => m.gatesVerdict)).toBe(true);
    }
  });

  it('the union types come from the registry (string literals, not string)', () => {
    // A measure declared without `as const satisfies DriftMeasure` would widen these to string.
    expectTypeOf<string>().not.toMatchTypeOf<DriftMeasureId>();
    expectTypeOf<string>().not.toMatchTypeOf<DriftTestLabel>();
    expectTypeOf<DriftTestId>().toMatchTypeOf<DriftMeasureId>();
    expectTypeOf<'ks'>().toMatchTypeOf<DriftTestId>();
  });

  it('measureDrift runs the chosen test and every distance of the kind; refuses a test of another kind', () => {
    const s = samples.get('numeric:normal vs shifted')!,
      t = samples.get('categorical:table 1 (3 categories)')!;
    for (const sample of [s, t]) {
      const r = measureDrift(sample);
      expect(r.test.id).toBe(DEFAULT_TESTS[sample.kind]);
      expect(r.outcome).toBe(r.measures[r.test.id]);
      const distances = driftMeasures({ role: 'distance', kind: sample.kind }).map((m) => m.id);
      expect(Object.keys(r.measures)).toEqual([r.test.id, ...distances]);
    }
    // Today's defaults, as the CLI and the app have always reported them.
    expect(measureDrift(s).test.label).toBe('Kolmogorov–Smirnov');
    expect(measureDrift(t).test.label).toBe('chi-square');
    expect(() => measureDrift(s, { numeric: 'chi-square' })).toThrow(/does not compare numeric columns/);
    expect(() => DRIFT_MEASURES.ks.run(t)).toThrow(/compares numbers/);
  });

  it('the verdict size: any gating distance at or above the size that matters', () => {
    expect(largeEnough({ psi: { statistic: 0.2, size: 0.2 } }, 0.1)).toBe(true);
    expect(largeEnough({ psi: { statistic: 0.05, size: 0.05 }, js: { statistic: 0.05, size: 0.05 } }, 0.1)).toBe(false);
    expect(largeEnough({ wasserstein: { statistic: 1, size: NaN } }, 0.1)).toBe(false);
    expect(largeEnough({ ks: { statistic: 0.9, p: 0 } }, 0.1)).toBe(false);
    const gating = driftMeasures({ role: 'distance' }).filter((m) => m.gatesVerdict);
    for (const m of gating) expect(sizeNames()).toContain(m.short);
    expect(sizeNames()).toMatch(gating.length > 1 ? / or / : /^[^,]*$/);
  });
});
