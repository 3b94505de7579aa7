import { baselines } from './baselines.ts';
import { overfitting } from './overfitting.ts';
import { calibration } from './calibration.ts';
import { compression } from './compression.ts';
import { shift } from './shift.ts';
import { abBandits } from './ab-bandits.ts';
import { feedback } from './feedback.ts';
import { dataParallel } from './data-parallel.ts';
import type { LessonContext, LessonId, LessonOutput, Params } from './types.ts';

/** Every lesson's runner, by id (frozen: adding a lesson is a file and one line here). */
const RUNNERS: Readonly<Record<LessonId, (p: Params, ctx: LessonContext) => Promise<LessonOutput>>> = Object.freeze({
  baselines: baselines,
  overfitting: overfitting,
  calibration: calibration,
  compression: compression,
  shift: shift,
  'ab-bandits': abBandits,
  feedback: feedback,
  'data-parallel': dataParallel,
});

/** Runs a lesson in the workers and computes what to notice. Errors of a worker call are thrown. */
export function runLesson(id: LessonId, p: Params, ctx: LessonContext): Promise<LessonOutput> {
  return RUNNERS[id](p, ctx);
}
