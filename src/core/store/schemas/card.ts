/** The schema of a model card's prose (src/core/store/records.ts): `cards/<version>.json`, the `cards` store. */
import type { ModelCardProse } from '../records.ts';
import { conforms, id, LIMITS, record, text } from './primitives.ts';

const prose = text(LIMITS.text);

export const ModelCardProseSchema = conforms<ModelCardProse>()(
  record(
    {
      versionId: id,
      overview: prose,
      users: prose,
      useCases: prose,
      limitations: prose,
      tradeoffs: prose,
      ethics: prose,
      updatedAt: text(LIMITS.id),
    },
    'a model card',
  ),
);
