/**
 * The building blocks every record schema uses, each with the words a refusal prints
 * ("must be a whole number ≥ 0"). Bounds keep a hostile file from making later code allocate or
 * loop without end; they sit far above anything Benchtop writes.
 */
import * as v from 'valibot';

export const LIMITS = Object.freeze({
  /** Ids, keys, dates, short labels. */
  id: 512,
  /** Names of runs, models, columns, layers. */
  name: 4096,
  /** Free text: messages, descriptions, model-card prose. */
  text: 1_000_000,
  /** Items in any list (epochs, rows, columns, curve points). */
  list: 10_000_000,
});

/** Words for a list of choices: `"a", "b" or "c"`. */
export function choices(options: readonly (string | number)[]): string {
  const q = options.map((o) => JSON.stringify(o));
  return q.length <= 1 ? (q[0] ?? 'nothing') : `${q.slice(0, -1).join(', ')} or ${q.at(-1)}`;
}

/** A non-empty id of at most 512 characters. */
export const id = v.pipe(
  v.string('an id (text)'),
  v.minLength(1, 'a non-empty id'),
  v.maxLength(LIMITS.id, `an id of at most ${LIMITS.id} characters`),
);

/** Text of at most `max` characters (a name by default); empty allowed. */
export const text = (max: number = LIMITS.name) =>
  v.pipe(v.string('text'), v.maxLength(max, `text of at most ${max} characters`));

/** One of the given strings. */
export const oneOf = <const T extends readonly [string, ...string[]]>(options: T) =>
  v.picklist(options, `one of ${choices(options)}`);

/** A whole number ≥ 0 (counts, sizes, row indices, epochs). */
export const count = v.pipe(
  v.number('a whole number ≥ 0'),
  v.integer('a whole number ≥ 0'),
  v.minValue(0, 'a whole number ≥ 0'),
);

/** Any number (NaN and ±Infinity too: IndexedDB keeps them), never text or null. */
export const num = v.custom<number>((x) => typeof x === 'number', 'a number');

/**
 * A measured value: a number, or JSON `null` — what `JSON.stringify` writes for NaN and ±Infinity
 * (a diverged loss, an AUC with one class) — read back as NaN.
 */
export const metric = v.pipe(
  v.union([num, v.null()], 'a number or null'),
  v.transform((x): number => (x === null ? NaN : x)),
);

/** A list of at most `max` items, described as `noun` ("a list of epochs"). */
export const list = <T extends v.GenericSchema>(item: T, noun = 'a list', max: number = LIMITS.list) =>
  v.pipe(v.array(item, noun), v.maxLength(max, `${noun} of at most ${max} items`));

/** A list of measured values. */
export const metrics = (noun = 'a list of numbers') => list(metric, noun);

/** A list of names (columns, classes, tags). */
export const names = (noun = 'a list of names') => list(text(), noun);

/** An object with named fields; unknown extra keys are kept (newer optional fields survive). */
export const record = <const E extends v.ObjectEntries>(entries: E, noun = 'an object with named fields') =>
  v.looseObject(entries, noun);

/**
 * Declares the interface a schema stands for and checks, at compile time, that the schema's output
 * can be used as it (`v.InferOutput<typeof S>` assignable to `T`); at run time it returns the schema.
 * @example export const ExperimentSchema = conforms<Experiment>()(record({ id, name: text() }))
 */
export const conforms =
  <T>() =>
  <S extends v.GenericSchema<unknown, T>>(schema: S): S =>
    schema;
