/** The schema of an experiment, a named group of runs (src/core/store/records.ts). */
import * as v from 'valibot';
import type { Experiment } from '../records.ts';
import { conforms, id, LIMITS, list, record, text } from './primitives.ts';

export const ExperimentSchema = conforms<Experiment>()(
  record(
    {
      id,
      name: v.pipe(text(), v.minLength(1, 'a non-empty name')),
      createdAt: text(LIMITS.id),
      description: v.optional(text(LIMITS.text)),
    },
    'an experiment',
  ),
);

/** `experiments.json` of a bundle. */
export const ExperimentListSchema = list(ExperimentSchema, 'a list of experiments');
