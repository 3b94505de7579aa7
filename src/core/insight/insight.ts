/**
 * A plain-language sentence on top of a result: what it means and, where there is one, what to do.
 * `tone` says how it reads (good news, a neutral fact, a caution, a problem); `code` is a stable id
 * for tests and the interface ('overfitting', 'calibration-worse', …).
 */
export interface Insight {
  tone: 'good' | 'info' | 'warn' | 'bad';
  text: string;
  code: string;
}

/** A number with 4 decimals, or "—" when it is not finite. */
export const f4 = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(4));

/** A signed difference with `digits` decimals and a real minus sign: "+0.27", "−0.03". */
export const signed = (v: number, digits = 2): string => `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(digits)}`;
