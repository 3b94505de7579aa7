import { chiSquare } from './chi-square.ts';
import type { DriftKind, DriftMeasure, DriftOutcome, DriftSample } from './drift-measure.ts';
import { jensenShannon } from './jensen-shannon.ts';
import { kolmogorovSmirnov } from './kolmogorov-smirnov.ts';
import { populationStabilityIndex } from './population-stability-index.ts';
import { wasserstein } from './wasserstein.ts';

export type { DriftKind, DriftMeasure, DriftOutcome, DriftSample } from './drift-measure.ts';
export { categoricalSample, numericSample } from './drift-sample.ts';

/**
 * Every drift test and distance, keyed by id. The order is the order of the report's table columns
 * and of the CLI's listing. Adding one: a file in this folder fitting `DriftMeasure`, one line here,
 * and its expected numbers in tests/fixtures/make_drift_fixtures.py (registry.test.ts checks them all).
 */
export const DRIFT_MEASURES = Object.freeze({
  ks: kolmogorovSmirnov,
  'chi-square': chiSquare,
  psi: populationStabilityIndex,
  js: jensenShannon,
  wasserstein,
});

export type DriftMeasureId = keyof typeof DRIFT_MEASURES;
type Registered = (typeof DRIFT_MEASURES)[DriftMeasureId];
/** Ids of the measures that give a p-value. */
export type DriftTestId = Extract<Registered, { role: 'test' }>['id'];
/** Ids of the measures that give a size. */
export type DriftDistanceId = Extract<Registered, { role: 'distance' }>['id'];
/** A registered test (a measure that gives a p-value), with its literal id and label. */
export type DriftTest = (typeof DRIFT_MEASURES)[DriftTestId];
/** The labels a report's `test` field can hold. */
export type DriftTestLabel = Extract<Registered, { role: 'test' }>['label'];

/** The test each column kind gets unless the caller chooses another. */
export const DEFAULT_TESTS: Readonly<Record<DriftKind, DriftTestId>> = Object.freeze({
  numeric: 'ks',
  categorical: 'chi-square',
});

/** What each measure found on one column, by id (only the measures that ran). */
export type DriftMeasurements = Partial<Record<DriftMeasureId, DriftOutcome>>;

const ALL: readonly DriftMeasure[] = Object.values(DRIFT_MEASURES);

/** Registered measures in registry order, optionally only one role and/or one column kind. */
export function driftMeasures(filter: { role?: DriftMeasure['role']; kind?: DriftKind } = {}): DriftMeasure[] {
  return ALL.filter(
    (m) => (!filter.role || m.role === filter.role) && (!filter.kind || m.appliesTo.includes(filter.kind)),
  );
}

/** The registered distances, in registry order (the report's and the app's size columns). */
export const DRIFT_DISTANCES = Object.freeze(driftMeasures({ role: 'distance' })) as readonly (DriftMeasure & {
  id: DriftDistanceId;
})[];

/** Whether a string names a registered measure. */
export function isDriftMeasureId(id: string): id is DriftMeasureId {
  return Object.hasOwn(DRIFT_MEASURES, id);
}

/** Whether a string names a registered test (a measure that gives a p-value). */
export function isDriftTestId(id: string): id is DriftTestId {
  return isDriftMeasureId(id) && DRIFT_MEASURES[id].role === 'test';
}

/**
 * Runs one column's test (the kind's default unless `tests` names another) and every distance that
 * applies to its kind. Cost: the sum of the measures' costs.
 * @throws Error when the chosen test does not apply to the sample's kind.
 */
export function measureDrift(
  sample: DriftSample,
  tests: Partial<Record<DriftKind, DriftTestId>> = {},
): { test: DriftTest; outcome: DriftOutcome; measures: DriftMeasurements } {
  const test: DriftTest = DRIFT_MEASURES[tests[sample.kind] ?? DEFAULT_TESTS[sample.kind]];
  if (!(test.appliesTo as readonly DriftKind[]).includes(sample.kind))
    throw new Error(`the ${test.label} test does not compare ${sample.kind} columns`);
  const measures: DriftMeasurements = {};
  const outcome = (measures[test.id] = test.run(sample));
  for (const m of driftMeasures({ role: 'distance', kind: sample.kind }))
    measures[m.id as DriftMeasureId] = m.run(sample);
  return { test, outcome, measures };
}

/** Whether any verdict-gating distance reached `minSize` (NaN sizes never do). */
export function largeEnough(measures: DriftMeasurements, minSize: number): boolean {
  return driftMeasures({ role: 'distance' }).some(
    (m) => m.gatesVerdict && (measures[m.id as DriftMeasureId]?.size ?? NaN) >= minSize,
  );
}

/** The short names of the verdict-gating distances, as prose: "PSI, JS or W / σ". */
export function sizeNames(): string {
  const names = driftMeasures({ role: 'distance' })
    .filter((m) => m.gatesVerdict)
    .map((m) => m.short);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');
}
