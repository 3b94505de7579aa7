/**
 * JSON with the non-finite numbers TensorFlow Serving writes (`NaN`, `Infinity`, `-Infinity`), which
 * `JSON.parse` rejects. A small recursive-descent parser: standard JSON otherwise, with the position
 * (line, column) of the first error. Arrays and objects nested deeper than MAX_JSON_DEPTH are an
 * error (not a stack overflow).
 * Cost: O(length).
 */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
  }
}

/** The deepest nesting parseTolerantJson reads; model servers' answers are a few levels deep. */
export const MAX_JSON_DEPTH = 512;

export function parseTolerantJson(text: string): unknown {
  let i = 0,
    depth = 0;
  const fail = (msg: string): never => {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    throw new JsonSyntaxError(msg, line, i - before.lastIndexOf('\n'));
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const word = (w: string) => text.startsWith(w, i) && ((i += w.length), true);
  const value = (): unknown => {
    ws();
    const c = text[i];
    if ((c === '{' || c === '[') && depth >= MAX_JSON_DEPTH) fail(`nested more than ${MAX_JSON_DEPTH} levels deep`);
    depth += c === '{' || c === '[' ? 1 : 0;
    try {
      return scalarOrNested(c);
    } finally {
      depth -= c === '{' || c === '[' ? 1 : 0;
    }
  };
  const scalarOrNested = (c: string | undefined): unknown => {
    if (c === '{') {
      i++;
      const o: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') return (i++, o);
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a quoted key');
        const k = str();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        o[k] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return (i++, o);
        else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const a: unknown[] = [];
      ws();
      if (text[i] === ']') return (i++, a);
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return (i++, a);
        else fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    if (word('true')) return true;
    if (word('false')) return false;
    if (word('null')) return null;
    if (word('NaN')) return NaN;
    if (word('Infinity') || word('+Infinity')) return Infinity;
    if (word('-Infinity')) return -Infinity;
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m)
      return fail(i >= text.length ? 'unexpected end of input' : `unexpected character ${JSON.stringify(text[i])}`);
    i += m[0].length;
    return Number(m[0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i < text.length) fail('unexpected text after the value');
  return v;
}
