/**
 * The contract every drift measure fits: a two-sample test (gives a p-value) or a distance (gives a
 * size), one file each in this folder, registered once in `index.ts` (`DRIFT_MEASURES`). The per-column
 * report, the CLI, the monitor worker and its table read the registry, so a measure is added without
 * touching them. Measures are plain objects of data and one pure function: they run in a Worker, in
 * Node and in tests.
 */

/** The column kinds a measure can compare. */
export type DriftKind = 'numeric' | 'categorical';

/**
 * Both sides of one column, prepared once for every measure (see `drift-sample.ts`). Counts are aligned
 * bins: a numeric column's reference deciles (`quantileEdges`), a categorical column's categories.
 */
export type DriftSample =
  | {
      kind: 'numeric';
      /** Finite values of each side, unsorted. */
      reference: Float64Array;
      current: Float64Array;
      /** Inner bin edges from the reference; `referenceCounts[i]` counts values with `i` edges ≤ them. */
      edges: number[];
      referenceCounts: number[];
      currentCounts: number[];
    }
  | {
      kind: 'categorical';
      /** The categories of both sides; counts are aligned with them. */
      categories: string[];
      referenceCounts: number[];
      currentCounts: number[];
    };

/** What a measure found: a test's statistic and p-value, a distance's statistic and its size. */
export interface DriftOutcome {
  statistic: number;
  /** Tests: the p-value (not corrected for multiple testing). */
  p?: number;
  /** Tests with a chi-square reference distribution: its degrees of freedom. */
  dof?: number;
  /** Distances: the size compared with the "size that matters" (equal to `statistic` unless normalized). */
  size?: number;
}

/** One drift test or distance. Register it in `DRIFT_MEASURES` (`index.ts`) under `id`. */
export interface DriftMeasure {
  /** The registry key (also the alert-rule metric name and the CLI's `--test` value). */
  readonly id: string;
  /** Its name in the report's `test` field and in prose ("Kolmogorov–Smirnov"). */
  readonly label: string;
  /** A column header ("PSI", "W / σ"). */
  readonly short: string;
  /** 'test' gives a p-value (one test per column, corrected across columns); 'distance' gives a size. */
  readonly role: 'test' | 'distance';
  readonly appliesTo: readonly DriftKind[];
  /** Distances: whether `size ≥ minSize` counts towards a "drift" verdict. */
  readonly gatesVerdict: boolean;
  /** One sentence: what it computes. */
  readonly description: string;
  /** The function the fixtures take the expected numbers from (tests/fixtures/make_drift_fixtures.py). */
  readonly scipy: string;
  /** Largest absolute differences from the scipy fixture that the registry test accepts. */
  readonly tolerance: {
    readonly statistic: number;
    readonly p?: number;
    /** Relative error allowed on p-values below 1e-6 (tiny p-values keep their precision). */
    readonly pRelative?: number;
    readonly size?: number;
  };
  /**
   * The outcome on one column. Called only with samples of a kind in `appliesTo`.
   * @throws Error when given a sample of another kind (a bug in the caller).
   */
  run(sample: DriftSample): DriftOutcome;
}

/** Narrows a sample to the numeric kind, for measures that need the raw values. */
export function numericOnly(sample: DriftSample, id: string): Extract<DriftSample, { kind: 'numeric' }> {
  if (sample.kind !== 'numeric') throw new Error(`drift measure "${id}" compares numbers; got a ${sample.kind} column`);
  return sample;
}
