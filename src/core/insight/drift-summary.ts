import type { Insight } from './insight.ts';

/** The parts of a drift report (src/core/drift/report.ts) the summary reads. */
export interface DriftLike {
  features: readonly { feature: string; verdict: 'drift' | 'small' | 'none' | 'unavailable'; psi: number }[];
  schema: readonly unknown[];
}

/** How many drifted columns the summary names, largest PSI first. */
export const DRIFT_NAMED = 3;

/**
 * How many columns drifted and which most (by PSI), plus a warning for schema findings (missing,
 * extra or retyped columns, unseen categories): "2 of 5 columns drifted; most: temp_max (PSI 0.8400),
 * wind (PSI 0.1200)." Tone: good when none drifted, warn when some did, bad when half or more did.
 * @example driftSummary(report)[0].code // 'drift-summary'
 */
export function driftSummary(r: DriftLike): Insight[] {
  const drifted = r.features.filter((x) => x.verdict === 'drift').sort((a, b) => b.psi - a.psi);
  const small = r.features.filter((x) => x.verdict === 'small').length;
  const n = r.features.length;
  const psi = (v: number) => (Number.isFinite(v) ? ` (PSI ${v.toFixed(4)})` : '');
  const out: Insight[] = [
    drifted.length === 0
      ? {
          tone: 'good',
          code: 'drift-summary',
          text:
            `No column drifted (${n} compared)` +
            (small ? `; ${small} changed significantly but by less than the size that matters.` : '.'),
        }
      : {
          tone: drifted.length * 2 >= n ? 'bad' : 'warn',
          code: 'drift-summary',
          text:
            `${drifted.length} of ${n} column${n === 1 ? '' : 's'} drifted; most: ` +
            drifted
              .slice(0, DRIFT_NAMED)
              .map((x) => `${x.feature}${psi(x.psi)}`)
              .join(', ') +
            (drifted.length > DRIFT_NAMED ? `, and ${drifted.length - DRIFT_NAMED} more` : '') +
            '. Check the model on the new data before trusting it there.',
        },
  ];
  if (r.schema.length)
    out.push({
      tone: 'warn',
      code: 'drift-schema',
      text: `${r.schema.length} schema finding${r.schema.length === 1 ? '' : 's'} (listed below): the new data is not shaped like the training data.`,
    });
  return out;
}
