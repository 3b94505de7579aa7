import type { Task } from '../contracts/data.ts';
import type { Problem } from '../contracts/problem.ts';
import type { ParamValue, Params } from '../contracts/train-config.ts';
import type { FitContext, ModelFamily, ParamField } from './family.ts';

/** The command-line flag of a field (without `--`): its own, or the name in kebab case. */
export const flagOf = (f: ParamField): string => f.flag ?? f.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The family's parameters with every field present: the given values over the defaults (unknown names dropped). */
export function withDefaults<P extends Params>(family: ModelFamily<P>, params: Partial<Params> = {}): P {
  const out: Params = {};
  for (const f of family.fields) {
    const v = params[f.name];
    out[f.name] = v === undefined ? (Array.isArray(f.default) ? [...f.default] : f.default) : v;
  }
  return out as P;
}

const whole = (v: number) => Number.isInteger(v);

/**
 * Checks one value against its field: type, range, whole numbers, known choices. Returns the
 * sentence to show, naming the field, or null.
 * @example checkField(MAX_DEPTH_FIELD, 0, ctx) // 'Max depth must be a whole number between 1 and 64; it is 0.'
 */
export function checkField(f: ParamField, v: ParamValue | undefined, ctx?: Pick<FitContext, 'rows'>): string | null {
  const name = f.label;
  switch (f.type) {
    case 'int':
    case 'float': {
      const hi = f.max === 'rows' ? Math.max(1, ctx?.rows ?? Infinity) : f.max;
      const isInt = f.type === 'int';
      if (typeof v !== 'number' || !Number.isFinite(v) || v < f.min || v > hi || (isInt && !whole(v)))
        return `${name} must be ${isInt ? 'a whole number ' : ''}between ${f.min} and ${hi}; it is ${String(v)}.`;
      return null;
    }
    case 'choice':
      return typeof v === 'string' && f.choices.includes(v)
        ? null
        : `${name} must be one of ${f.choices.join(', ')}; it is ${JSON.stringify(v)}.`;
    case 'bool':
      return typeof v === 'boolean' ? null : `${name} must be on or off; it is ${JSON.stringify(v)}.`;
    case 'int-list':
      return Array.isArray(v) && v.length >= f.minLength && v.every((u) => whole(u) && u >= f.min && u <= f.max)
        ? null
        : `${name} must be ${f.minLength > 0 ? 'one or more ' : ''}whole numbers between ${f.min} and ${f.max}` +
            ` (comma-separated); it is ${Array.isArray(v) ? v.join(',') : JSON.stringify(v)}.`;
  }
}

/** Whether a field applies: its task, and the value of the field it depends on. */
export function fieldApplies(f: ParamField, params: Params, task?: Task): boolean {
  if (f.task && task && f.task !== task) return false;
  if (f.when && !f.when.in.includes(String(params[f.when.field]))) return false;
  return true;
}

/**
 * Checks a family's parameters: every field, then the family's own rule. The problem names the
 * field (as `column`, which the form highlights).
 */
export function validateParams<P extends Params>(family: ModelFamily<P>, params: P, ctx: FitContext): Problem | null {
  for (const f of family.fields) {
    const msg = checkField(f, params[f.name], ctx);
    if (msg) return { kind: 'bad-config', column: f.label.toLowerCase(), message: msg };
  }
  return family.validate?.(params, ctx) ?? null;
}

/**
 * Reads a field's value from text (a command-line flag, a form box): numbers, lists "128,64",
 * switches ("" or "true" / "false"), one of the choices. The failure names the flag.
 * @example parseFieldText(HIDDEN_FIELD, '64,32') // { ok: true, value: [64, 32] }
 */
export function parseFieldText(
  f: ParamField,
  text: string,
): { ok: true; value: ParamValue } | { ok: false; message: string } {
  const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
  const bad = (what: string) => ({ ok: false as const, message: `--${flagOf(f)} must be ${what}, got "${text}"` });
  switch (f.type) {
    case 'int':
    case 'float':
      return Number.isNaN(num(text)) ? bad('a number') : { ok: true, value: num(text) };
    case 'int-list': {
      const xs = text.split(',').map(num);
      return xs.some(Number.isNaN) ? bad('numbers separated by commas') : { ok: true, value: xs };
    }
    case 'bool':
      return text === '' || text === 'true' || text === 'false'
        ? { ok: true, value: text !== 'false' }
        : bad('true or false');
    case 'choice':
      return f.choices.includes(text) ? { ok: true, value: text } : bad(`one of ${f.choices.join(', ')}`);
  }
}
