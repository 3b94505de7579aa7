import * as v from 'valibot';
import type { Result } from '../../util/result.ts';
import { fail, ok } from '../../util/result.ts';
import { describeValue } from './describe-value.ts';

/** Any valibot schema (synchronous). */
export type RecordSchema = v.GenericSchema<unknown, unknown>;

/** What valibot's own issue types mean, for schemas that do not give their words. */
const TYPE_WORDS: Readonly<Record<string, string>> = Object.freeze({
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  object: 'an object with named fields',
  loose_object: 'an object with named fields',
  strict_object: 'an object with named fields',
  record: 'an object with named fields',
  null: 'null',
  integer: 'a whole number',
  finite: 'a finite number',
});

/** `history[3].train.loss`, `files["runs/a/run.json"].sha256`. */
function pathOf(issue: v.BaseIssue<unknown>): string {
  let s = '';
  for (const item of issue.path ?? []) {
    const k = (item as { key?: unknown }).key;
    if (typeof k === 'number') s += `[${k}]`;
    else if (typeof k === 'string' && /^[A-Za-z_$][\w$]*$/.test(k)) s += s ? `.${k}` : k;
    else s += `[${JSON.stringify(String(k))}]`;
  }
  return s;
}

/** What the value must be: the schema's own words (every message here that is not valibot's "Invalid …"). */
function mustBe(issue: v.BaseIssue<unknown>): string {
  if (!issue.message.startsWith('Invalid ')) return issue.message;
  return TYPE_WORDS[issue.type] ?? (issue.expected ? `${issue.expected}` : 'something else');
}

/**
 * The sentence for one schema issue, naming the file and the field path:
 * `run.json: field "history" must be a list of epochs (it holds a string "nope").`,
 * `run.json: field "status" is missing (it must be one of …).`, `run.json must be a run record (it holds null).`
 */
export function issueMessage(issue: v.BaseIssue<unknown>, label: string): string {
  const path = pathOf(issue);
  const words = mustBe(issue);
  if (!path) return `${label} must be ${words} (it holds ${describeValue(issue.input)}).`;
  if (issue.input === undefined && issue.kind === 'schema')
    return `${label}: field "${path}" is missing (it must be ${words}).`;
  return `${label}: field "${path}" must be ${words} (it holds ${describeValue(issue.input)}).`;
}

/**
 * Checks a stored record (a parsed JSON file, an IndexedDB value) against its schema before anything
 * reads it. Returns the schema's output (unknown extra keys kept; a JSON `null` in a metric read as
 * NaN), or the first problem as `{kind, file, message}` naming the file and the field path in words.
 * Cost: one pass over the value.
 * @param file where the record came from (`Problem.file`); `opts.label` replaces it in the message
 *   (`evil.zip: runs/a/run.json`), `opts.kind` the problem's kind (default `bad-record`).
 * @example validateRecord(RunRecordSchema, JSON.parse(text), 'run.json')
 *   // { ok: false, error: { kind: 'bad-record', file: 'run.json',
 *   //   message: 'run.json: field "history" must be a list of epochs (it holds a string "nope").' } }
 */
export function validateRecord<S extends RecordSchema>(
  schema: S,
  value: unknown,
  file: string,
  opts: { kind?: string; label?: string } = {},
): Result<v.InferOutput<S>> {
  const r = v.safeParse(schema, value, { abortEarly: true });
  if (r.success) return ok(r.output);
  return fail({ kind: opts.kind ?? 'bad-record', file, message: issueMessage(r.issues[0], opts.label ?? file) });
}
