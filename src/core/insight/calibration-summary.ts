import type { CalibrationSnapshot } from '../contracts/run-record.ts';
import { f4, type Insight } from './insight.ts';

/** Changes smaller than this (in ECE or log loss) count as no change. */
export const CALIBRATION_TOLERANCE = 5e-5;

type Snap = Pick<CalibrationSnapshot, 'ece' | 'logLoss'>;

/**
 * What a calibration did, from ECE and log loss before and after on one split, and which version to
 * keep: both lower → use the calibrated version ('calibration-better'); both higher (or one higher and
 * the other unchanged) → keep the original ('calibration-worse'); one lower and one higher → mixed,
 * decided by log loss, the proper scoring rule that weighs every probability ('calibration-mixed');
 * neither changed → keep the original ('calibration-no-change').
 * @example calibrationSummary({ ece: 0.0945, logLoss: 0.51 }, { ece: 0.0961, logLoss: 0.52 }, 'test').text
 * // 'Calibration made this model worse on test (ECE 0.0945 → 0.0961, log loss 0.5100 → 0.5200): keep the original.'
 */
export function calibrationSummary(
  before: Snap,
  after: Snap,
  split: string,
): Insight & { keep: 'calibrated' | 'original' } {
  const d = (a: number, b: number) => (Math.abs(b - a) < CALIBRATION_TOLERANCE ? 0 : Math.sign(b - a));
  const e = d(before.ece, after.ece),
    l = d(before.logLoss, after.logLoss);
  const nums = `ECE ${f4(before.ece)} → ${f4(after.ece)}, log loss ${f4(before.logLoss)} → ${f4(after.logLoss)}`;
  if (e <= 0 && l <= 0 && (e < 0 || l < 0))
    return {
      tone: 'good',
      code: 'calibration-better',
      keep: 'calibrated',
      text: `Calibration improved this model on ${split} (${nums}): use the calibrated version.`,
    };
  if (e >= 0 && l >= 0 && (e > 0 || l > 0))
    return {
      tone: 'bad',
      code: 'calibration-worse',
      keep: 'original',
      text: `Calibration made this model worse on ${split} (${nums}): keep the original.`,
    };
  if (e === 0 && l === 0)
    return {
      tone: 'info',
      code: 'calibration-no-change',
      keep: 'original',
      text: `Calibration changed nothing measurable on ${split} (${nums}): keep the original.`,
    };
  const keep = l < 0 ? 'calibrated' : 'original';
  return {
    tone: 'warn',
    code: 'calibration-mixed',
    keep,
    text:
      `Calibration ${e < 0 ? 'lowered ECE but raised log loss' : 'lowered log loss but raised ECE'} on ${split} ` +
      `(${nums}). Log loss weighs every probability, so ${keep === 'calibrated' ? 'use the calibrated version' : 'keep the original'}.`,
  };
}
