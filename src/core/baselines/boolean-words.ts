import type { Preprocessor } from '../contracts/data.ts';
import { columnByName, type Table } from '../data/table.ts';
import { parseBoolean } from '../data/values.ts';
import type { BooleanWords } from './describe-split.ts';

/**
 * How each yes/no feature spells false and true in the table (its first false-like and true-like
 * values, e.g. ['n', 'y'] or ['no', 'yes']), so rules on it can be read in those words.
 * Cost: O(distinct values of the yes/no columns).
 * @example booleanWords(table, pre) // { 'physician-fee-freeze': ['n', 'y'] }
 */
export function booleanWords(table: Table, pre: Preprocessor): BooleanWords {
  const out: Record<string, readonly [string, string]> = {};
  for (const f of pre.features) {
    if (f.kind !== 'numeric' || f.parse !== 'boolean') continue;
    const dict = columnByName(table, f.column)?.dictionary ?? [];
    const no = dict.find((s) => parseBoolean(s) === 0),
      yes = dict.find((s) => parseBoolean(s) === 1);
    out[f.column] = [no ?? 'false', yes ?? 'true'];
  }
  return out;
}
