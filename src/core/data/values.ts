/**
 * Cell parsers shared by schema inference and preprocessing, so a column is read the same way
 * when the schema is inferred, when a model is trained and when it predicts.
 */

const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A finite number, or NaN when the cell is not a plain decimal number ("1e3" yes, "0x10", "1,000" no)
 * or is out of a double's range ("1e400" would be Infinity).
 */
export function parseNumber(s: string): number {
  if (!NUMBER_RE.test(s)) return NaN;
  const n = Number(s);
  return Number.isFinite(n) ? n : NaN;
}

const TRUE = new Set(['true', 't', 'yes', 'y']);
const FALSE = new Set(['false', 'f', 'no', 'n']);

/** 1 for true-like, 0 for false-like, NaN otherwise (case-insensitive). */
export function parseBoolean(s: string): number {
  const l = s.toLowerCase();
  return TRUE.has(l) ? 1 : FALSE.has(l) ? 0 : NaN;
}

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const SLASH_DATE_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** Milliseconds since the epoch (UTC) for ISO 8601 dates and m/d/yyyy, NaN otherwise. */
export function parseDate(s: string): number {
  if (ISO_DATE_RE.test(s)) {
    const iso =
      s.length === 10
        ? `${s}T00:00:00Z`
        : /[zZ]|[+-]\d{2}:?\d{2}$/.test(s)
          ? s.replace(' ', 'T')
          : `${s.replace(' ', 'T')}Z`;
    return Date.parse(iso);
  }
  const m = SLASH_DATE_RE.exec(s);
  if (m) return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]));
  return NaN;
}

/** Canonical spelling of a number, so "1.0", "1" and a JSON 1 hash the same. */
export function canonicalNumber(s: string): string {
  const n = parseNumber(s);
  return Number.isNaN(n) ? s : String(n);
}
