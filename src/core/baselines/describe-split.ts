import type { Preprocessor } from '../contracts/data.ts';

/** How a yes/no column spells its two values in the data: [false-like, true-like] (e.g. ['n', 'y']). */
export type BooleanWords = Readonly<Record<string, readonly [string, string]>>;

const short = (v: number) => String(Number(v.toPrecision(4)));

/**
 * A threshold rule on one encoded input, in the person's terms: original units, category names, and
 * for a column with two values (yes/no, 0/1, a one-hot input) the value itself rather than a cut
 * between them — "physician-fee-freeze = n" instead of "physician-fee-freeze ≤ 0.7138". The rule is
 * `x ≤ threshold`; `trainValues` are (up to four of) the input's distinct encoded training values.
 * Missing values are encoded 0 (the training mean): when some were missing and 0 falls on the rule's
 * side, the text names the other value ("≠ y"), which is exactly what the rule does.
 * @example describeSplit(pre, 3, 0.41, [-0.9, 1.1], { 'physician-fee-freeze': ['n', 'y'] }) // 'physician-fee-freeze = n'
 */
export function describeSplit(
  pre: Preprocessor,
  input: number,
  threshold: number,
  trainValues: readonly number[] = [],
  words: BooleanWords = {},
): string {
  let offset = 0;
  for (const f of pre.features) {
    const width = f.kind === 'numeric' ? 1 : f.categories.length;
    if (input < offset + width) {
      if (f.kind === 'onehot') {
        const c = f.categories[input - offset]!;
        const others = f.categories.filter((x) => x !== c);
        // Two categories: "not c" is "the other one" (missing rows take the most frequent one).
        return others.length === 1 ? `${f.column} = "${others[0]}"` : `${f.column} ≠ "${c}"`;
      }
      const units = (v: number) => v * f.std + f.mean;
      // Two values, plus 0 (the encoded mean) when some training values were missing.
      const distinct = [...new Set(trainValues)].sort((a, b) => a - b);
      const missing = distinct.length === 3 && distinct[1] === 0;
      const two = distinct.length === 2 ? distinct : missing ? [distinct[0]!, distinct[2]!] : null;
      if (two && two[0]! <= threshold && threshold < two[1]!) {
        const name = (v: number) =>
          f.parse === 'boolean'
            ? v >= 0.5
              ? (words[f.column]?.[1] ?? 'true')
              : (words[f.column]?.[0] ?? 'false')
            : short(v);
        return missing && 0 <= threshold
          ? `${f.column} ≠ ${name(units(two[1]!))}`
          : `${f.column} = ${name(units(two[0]!))}`;
      }
      return `${f.column} ≤ ${short(units(threshold))}`;
    }
    offset += width;
  }
  return `input ${input} ≤ ${threshold}`;
}
