import type { Problem } from '../core/util/result.ts';

/** What the Runs view says about stored records it could not read: a sentence and the list under it. */
export interface StoredProblemsNote {
  /** `2 stored records could not be read and are left as they are.` (with the message when there is one). */
  summary: string;
  /** One line per record, each naming the record and the field (empty when the summary holds the only one). */
  items: string[];
  /** More than a few: the list starts folded. */
  folded: boolean;
}

/** How many records the list shows unfolded. */
export const UNFOLDED_PROBLEMS = 3;

/**
 * The note for stored records that failed their schema (Repository.problems): they are skipped by
 * every list and left untouched in storage, and the person is told so instead of seeing them vanish.
 * Returns null when there are none.
 * @example storedProblemsNote([{ kind: 'bad-record', message: 'run r2: field "history" must be a list …' }])
 *   // { summary: '1 stored record could not be read and is left as it is: run r2: field "history" …', items: [], folded: false }
 */
export function storedProblemsNote(problems: readonly Problem[]): StoredProblemsNote | null {
  const n = problems.length;
  if (n === 0) return null;
  if (n === 1)
    return {
      summary: `1 stored record could not be read and is left as it is: ${problems[0]!.message}`,
      items: [],
      folded: false,
    };
  return {
    summary: `${n} stored records could not be read and are left as they are:`,
    items: problems.map((p) => p.message),
    folded: n > UNFOLDED_PROBLEMS,
  };
}
