/**
 * What `JSON.parse` drops without a word, found by one pass over the text of a JSON array of
 * records: keys repeated within one object (the parser keeps the last value) and integers a double
 * cannot hold exactly (12345678901234567891 reads as 12345678901234567000, so two ids become equal).
 * A reviver cannot see either: it is called once per surviving key, with the value already rounded.
 *
 * The scan assumes text that `JSON.parse` accepted (it does not validate). Cost: O(characters),
 * memory O(depth + keys of one object + findings).
 * @example
 *   scanJsonRecords('[{"a":1,"a":2}]').duplicates // [{ path: 'a', field: 'a', count: 1, firstRecord: 1 }]
 */

/** A key repeated inside objects at one path. */
export interface DuplicateKey {
  /** The key's path from the record: `price`, or `meta.x` for a key inside the field `meta`. */
  path: string;
  /** The record's field it sits in (the column). */
  field: string;
  /** Objects that repeat it. */
  count: number;
  /** 1-based index of the first record with the repeat. */
  firstRecord: number;
}

/** Integers at one path that a double rounds. */
export interface RoundedIntegers {
  path: string;
  field: string;
  /** Inside a nested value (kept as JSON text, rounded) rather than a record's own field. */
  nested: boolean;
  count: number;
  firstRecord: number;
  /** The first such number as written. */
  text: string;
}

export interface JsonScan {
  duplicates: DuplicateKey[];
  rounded: RoundedIntegers[];
  /** The exact text of each rounded integer that is a record's field value: record index → field → digits. */
  exact: Map<number, Map<string, string>>;
}

interface Frame {
  object: boolean;
  /** Keys seen in this object (null for arrays). */
  keys: Set<string> | null;
  /** The key whose value comes next (objects). */
  key: string;
  expectKey: boolean;
  path: string;
}

const QUOTE = 34,
  BACKSLASH = 92,
  COMMA = 44,
  OPEN_OBJECT = 123,
  CLOSE_OBJECT = 125,
  OPEN_ARRAY = 91,
  CLOSE_ARRAY = 93,
  MINUS = 45;

const INTEGER = /^-?\d+$/;

/**
 * True when an integer as written (JSON has no leading zeros) loses digits as a double: its double
 * is another integer, and printing the double does not give the text back either. So
 * 12345678901234567891 (reads as 12345678901234567000) and 9007199254740993 (2^53 + 1) round;
 * 9007199254740992, 12345678901234567000 (what JavaScript prints for its double) and 10^21 do not.
 * Cost: O(digits); tokens of up to 15 digits return at once.
 * @example roundsAsDouble('9007199254740993') // true
 */
export function roundsAsDouble(token: string): boolean {
  if (token.length <= 15 || !INTEGER.test(token)) return false;
  const n = Number(token);
  if (!Number.isFinite(n)) return false; // 1e400-sized: the table builder notes it as not finite
  return String(n) !== token && BigInt(token) !== BigInt(n);
}

/** Scans the text of a JSON array of records (see the module comment). */
export function scanJsonRecords(text: string): JsonScan {
  const stack: Frame[] = [];
  const dup = new Map<string, DuplicateKey>();
  const rounded = new Map<string, RoundedIntegers>();
  const exact = new Map<number, Map<string, string>>();
  let record = -1;
  const n = text.length;
  let i = 0;
  const pathOf = (f: Frame, key: string) => (f.path === '' ? key : `${f.path}.${key}`);
  while (i < n) {
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === QUOTE) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH) {
          escaped = true;
          j += 2;
        } else if (d === QUOTE) break;
        else j++;
      }
      if (top?.object && top.expectKey) {
        const raw = text.slice(i + 1, j);
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys!.has(key) && stack.length >= 2) {
          const path = pathOf(top, key);
          const seen = dup.get(path);
          if (seen) seen.count++;
          else
            dup.set(path, { path, field: stack.length === 2 ? key : stack[1]!.key, count: 1, firstRecord: record + 1 });
        }
        top.keys!.add(key);
        top.key = key;
        // A repeated field's last value is the one kept: forget an exact text from an earlier one.
        if (stack.length === 2) exact.get(record)?.delete(key);
        top.expectKey = false;
      }
      i = j + 1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const object = c === OPEN_OBJECT;
      // The path of a value: the key it is under (in an object) or "[]" (in an array); records are "".
      const path = stack.length < 2 ? '' : top!.object ? pathOf(top!, top!.key) : `${top!.path}[]`;
      if (stack.length === 1) record++;
      stack.push({ object, keys: object ? new Set() : null, key: '', expectKey: object, path });
      i++;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
      i++;
    } else if (c === COMMA) {
      if (top?.object) top.expectKey = true;
      i++;
    } else if (c === MINUS || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        // digits, '.', 'e', 'E', '+', '-'
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) j++;
        else break;
      }
      const token = text.slice(i, j);
      if (stack.length >= 2 && roundsAsDouble(token)) {
        const own = stack.length === 2 && top!.object;
        const path = own ? top!.key : top!.object ? pathOf(top!, top!.key) : `${top!.path}[]`;
        const seen = rounded.get(path);
        if (seen) seen.count++;
        else
          rounded.set(path, {
            path,
            field: stack[1]!.key,
            nested: !own,
            count: 1,
            firstRecord: record + 1,
            text: token,
          });
        if (own) {
          let fields = exact.get(record);
          if (!fields) exact.set(record, (fields = new Map()));
          fields.set(top!.key, token);
        }
      }
      i = j;
    } else i++;
  }
  return { duplicates: [...dup.values()], rounded: [...rounded.values()], exact };
}
