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

type SchemaNode = {
  message?: unknown;
  pipe?: SchemaNode[];
  entries?: Record<string, SchemaNode>;
  item?: SchemaNode;
  value?: SchemaNode;
  wrapped?: SchemaNode;
  getter?: (x: unknown) => SchemaNode;
};

/** The schema at a path (to say what a missing field must be); undefined where the walk cannot follow. */
function schemaAt(root: RecordSchema, issue: v.BaseIssue<unknown>): SchemaNode | undefined {
  const base = (s: SchemaNode | undefined): SchemaNode | undefined => {
    let n = s;
    for (let i = 0; n && i < 8; i++) {
      if (n.pipe?.[0] && n.pipe[0] !== n) n = n.pipe[0];
      else if (n.getter) n = n.getter(undefined);
      else if (n.wrapped) n = n.wrapped;
      else break;
    }
    return n;
  };
  let node = base(root as SchemaNode);
  for (const item of issue.path ?? []) {
    const k = (item as { key?: unknown }).key;
    node = base(
      typeof k === 'number' ? node?.item : node?.entries ? node.entries[String(k)] : (node?.value ?? undefined),
    );
  }
  return node;
}

/**
 * The sentence for one schema issue, naming the file and the field path:
 * `run.json: field "history" must be a list of epochs (it holds a string "nope").`,
 * `run.json: field "status" is missing (it must be one of …).`, `run.json must be a run record (it holds null).`
 */
export function issueMessage(issue: v.BaseIssue<unknown>, label: string, schema?: RecordSchema): string {
  const path = pathOf(issue);
  const words = mustBe(issue);
  if (!path) return `${label} must be ${words} (it holds ${describeValue(issue.input)}).`;
  if (issue.input === undefined && issue.kind === 'schema') {
    // valibot reports a missing key in the words of the object around it; say what the field must be.
    const own = schema ? schemaAt(schema, issue)?.message : undefined;
    return typeof own === 'string' && !own.startsWith('Invalid ')
      ? `${label}: field "${path}" is missing (it must be ${own}).`
      : `${label}: field "${path}" is missing.`;
  }
  return `${label}: field "${path}" must be ${words} (it holds ${describeValue(issue.input)}).`;
}

/**
 * Checks a stored record (a parsed JSON file, an IndexedDB value) against its schema before anything
 * reads it. Returns the schema's output (unknown extra keys kept; a JSON `null` in a metric read as
 * NaN), or the first problem as `{kind, file, field, message}` naming the file and the field path in
 * words (`field` is the path, `history[1].train.loss`; absent when the whole record is wrong).
 * Cost: one pass over the value.
 * @param file where the record came from (`Problem.file`); `opts.label` replaces it in the message
 *   (`evil.zip: runs/a/run.json`), `opts.kind` the problem's kind (default `bad-record`).
 * @example validateRecord(RunRecordSchema, JSON.parse(text), 'run.json')
 *   // { ok: false, error: { kind: 'bad-record', file: 'run.json', field: 'history',
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
  const field = pathOf(r.issues[0]);
  return fail({
    kind: opts.kind ?? 'bad-record',
    file,
    ...(field ? { field } : {}),
    message: issueMessage(r.issues[0], opts.label ?? file, schema),
  });
}
