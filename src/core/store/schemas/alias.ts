/** Schemas of aliases and their audit trail (src/core/store/records.ts): `aliases.json`, `alias-audit.jsonl`. */
import * as v from 'valibot';
import type { AliasMove, AliasRecord } from '../records.ts';
import { conforms, id, LIMITS, list, record, text } from './primitives.ts';

export const AliasRecordSchema = conforms<AliasRecord>()(
  record({ key: id, name: text(), alias: text(LIMITS.id), versionId: id, movedAt: text(LIMITS.id) }, 'an alias'),
);

/** `aliases.json`: where each alias points now. */
export const AliasListSchema = list(AliasRecordSchema, 'a list of aliases');

export const AliasMoveSchema = conforms<AliasMove>()(
  record(
    {
      name: text(),
      alias: text(LIMITS.id),
      from: v.union([id, v.null()], 'a version id or null'),
      to: v.union([id, v.null()], 'a version id or null'),
      who: text(),
      when: text(LIMITS.id),
      reason: text(LIMITS.text),
    },
    'an alias move',
  ),
);
