/**
 * Property-based tests of every parser that reads a person's bytes: whatever comes in, the answer is
 * a typed `Result` (never an exception, never a hang), and well-formed input round-trips.
 * fast-check shrinks a failing case to a small reproducer; `seed` in its report replays it.
 */
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DelimitedParser } from '../../src/core/data/delimited-stream.ts';
import { parseDelimitedBytes, parseDelimitedText } from '../../src/core/data/parse-delimited.ts';
import { parseJsonRecords } from '../../src/core/data/parse-json.ts';
import { cell, isMissing, type Table } from '../../src/core/data/table.ts';
import { BUNDLE_FILES, unzipBundle } from '../../src/core/model/model-bundle.ts';
import { inspectOnnx } from '../../src/core/onnx/inspect.ts';
import { readFields, readMessage } from '../../src/core/onnx/protobuf-reader.ts';
import { readBundle } from '../../src/core/store/bundle.ts';
import type { Result } from '../../src/core/util/result.ts';

// PROPERTY_RUNS=5000 npx vitest run tests/unit/property-parsers.test.ts searches harder.
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) };

/** A well-formed Result: ok with a value, or a problem with a kind and a sentence. */
function expectResult<T>(r: Result<T>, file?: string): void {
  expect(typeof r.ok).toBe('boolean');
  expect(Array.isArray(r.warnings)).toBe(true);
  if (!r.ok) {
    expect(typeof r.error.kind).toBe('string');
    expect(r.error.message.length).toBeGreaterThan(0);
    if (file) expect(r.error.message).toContain(file);
  }
}

function cells(t: Table): (string | null)[][] {
  return Array.from({ length: t.rowCount }, (_, r) => t.columns.map((c) => cell(c, r)));
}

/** Text made mostly of the characters that matter to a CSV parser. */
const csvish = fc.string({
  unit: fc.constantFrom('a', '1', '.', 'e', ',', ';', '\t', '"', '\n', '\r', ' ', 'é', '東', '\ufeff', 'inf'),
  maxLength: 300,
});

describe('delimited text: any input gives a Result', () => {
  it('random strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), csvish), (s) => {
        expectResult(parseDelimitedText(s, 'p.csv'), 'p.csv');
      }),
      RUNS,
    );
  });
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => expectResult(parseDelimitedBytes(b, 'p.csv'), 'p.csv')),
      RUNS,
    );
  });
  it('cutting the text into any chunks gives the same table or the same error', () => {
    fc.assert(
      fc.property(csvish, fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }), (s, cuts) => {
        const whole = parseDelimitedText(s, 'c.csv');
        const p = new DelimitedParser('c.csv');
        let at = 0;
        for (let i = 0; at < s.length; i++) {
          const n = cuts[i % cuts.length]!;
          p.push(s.slice(at, at + n));
          at += n;
        }
        // parseDelimitedText drops a leading BOM; so does the byte stream (TextDecoder).
        const pieces = s.charCodeAt(0) === 0xfeff ? parseDelimitedText(s, 'c.csv') : p.finish();
        expect(pieces.ok).toBe(whole.ok);
        if (pieces.ok && whole.ok) expect(cells(pieces.value)).toEqual(cells(whole.value));
        if (!pieces.ok && !whole.ok)
          expect([pieces.error.kind, pieces.error.row]).toEqual([whole.error.kind, whole.error.row]);
      }),
      RUNS,
    );
  });
});

describe('delimited text: a table written as CSV with proper quoting parses back to the same cells', () => {
  // Cells the reader normalises on purpose are kept out: surrounding spaces (trimmed), missing-value
  // tokens (NA, NaN, …: read as missing), non-finite numbers (read as missing, with a note), and the
  // other guessable delimiters ; tab | (a consistent one inside quoted cells can win papaparse's guess).
  const cellText = fc
    .string({
      unit: fc.constantFrom('a', 'Z', '1', '.', ',', '"', '\n', '\r\n', ' ', 'é', '東', '-', 'x'),
      maxLength: 12,
    })
    .map((s) => s.trim())
    .filter((s) => !isMissing(s) && !/^[+-]?(nan|inf|infinity)$/i.test(s) && !/e/i.test(s));
  const table = fc.integer({ min: 2, max: 5 }).chain((width) =>
    fc.record({
      header: fc.uniqueArray(
        cellText.filter((s) => s !== ''),
        { minLength: width, maxLength: width },
      ),
      rows: fc.array(fc.array(cellText, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 12 }),
    }),
  );
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const toCsv = (rows: string[][], eol: string) => rows.map((r) => r.map(quote).join(',')).join(eol) + eol;

  it('with \\n and \\r\\n line endings, as text and as bytes', () => {
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n'), ({ header, rows }, eol) => {
        const text = toCsv([header, ...rows], eol);
        const expected = rows.map((r) => r.map((c) => (c === '' ? null : c)));
        for (const r of [
          parseDelimitedText(text, 'rt.csv'),
          parseDelimitedBytes(new TextEncoder().encode(text), 'rt.csv'),
        ]) {
          expect(r.ok, !r.ok ? r.error.message : '').toBe(true);
          if (!r.ok) return;
          expect(r.value.columns.map((c) => c.name)).toEqual(header);
          expect(cells(r.value)).toEqual(expected);
        }
      }),
      RUNS,
    );
  });
});

describe('JSON records: any input gives a Result', () => {
  it('random strings, random JSON values and arrays of random records', () => {
    const records = fc.array(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })), {
      maxLength: 10,
    });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.json({ maxDepth: 3 }),
          records.map((r) => JSON.stringify(r)),
          fc.constantFrom(
            '[{}]',
            '[{},{}]',
            '[{"a":1e400}]',
            '[{"__proto__":1}]',
            '[{"constructor":{"x":1}}]',
            '[[]]',
            '[null]',
          ),
        ),
        (s) => expectResult(parseJsonRecords(s, 'p.json'), 'p.json'),
      ),
      RUNS,
    );
  });
});

/** Encodes protobuf fields (varint keys and lengths), so generated messages nest and look plausible. */
function varint(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}
type Msg = { field: number; value: number | Uint8Array | Msg }[];
function encode(msg: Msg): Uint8Array {
  const out: number[] = [];
  for (const f of msg) {
    if (typeof f.value === 'number') out.push(...varint(f.field * 8), ...varint(f.value));
    else {
      const body = f.value instanceof Uint8Array ? f.value : encode(f.value);
      out.push(...varint(f.field * 8 + 2), ...varint(body.length), ...body);
    }
  }
  return Uint8Array.from(out);
}
const message: fc.Arbitrary<Msg> = fc.letrec<{ msg: Msg }>((tie) => ({
  msg: fc.array(
    fc.record({
      field: fc.integer({ min: 1, max: 14 }),
      value: fc.oneof(
        { depthSize: 'small' },
        fc.nat(),
        fc.uint8Array({ maxLength: 12 }),
        tie('msg') as fc.Arbitrary<Msg>,
      ),
    }),
    { maxLength: 6 },
  ),
})).msg;

describe('protobuf and ONNX: any bytes give a Result', () => {
  it('readFields throws only its own Error; readMessage and inspectOnnx never throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), message.map(encode)), (b) => {
        try {
          readFields(b);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
        }
        expectResult(readMessage(b, 'm.pb'), 'm.pb');
        expectResult(inspectOnnx(b, 'm.onnx'), 'm.onnx');
      }),
      RUNS,
    );
  });
  it('structured messages cut or with a flipped byte', () => {
    fc.assert(
      fc.property(message.map(encode), fc.nat(), fc.integer({ min: 0, max: 255 }), (b, at, v) => {
        const cut = b.subarray(0, b.length ? at % b.length : 0);
        const flipped = b.slice();
        if (flipped.length) flipped[at % flipped.length] = v;
        for (const x of [cut, flipped]) {
          expectResult(readMessage(x, 'm.pb'));
          expectResult(inspectOnnx(x, 'm.onnx'));
        }
      }),
      RUNS,
    );
  });
});

describe('zip bundles: any bytes give a Result', () => {
  const json = fc.jsonValue({ maxDepth: 3 }).map((v) => strToU8(JSON.stringify(v)));
  const files = fc.dictionary(
    fc.constantFrom(...BUNDLE_FILES, 'manifest.json', 'runs/r/run.json', 'x/model.json', '../evil'),
    fc.oneof(json, fc.uint8Array({ maxLength: 40 })),
    { maxKeys: 6 },
  );
  const zips = fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    files.map((f) => zipSync(f)),
    fc.tuple(files, fc.nat(), fc.nat(255)).map(([f, at, v]) => {
      const z = zipSync(f);
      if (z.length) z[at % z.length] = v;
      return at % 2 ? z : z.subarray(0, at % (z.length + 1));
    }),
  );
  it('unzipBundle (a model zip): random bytes, zips of random files, such zips cut or with a flipped byte', () => {
    fc.assert(
      fc.property(zips, (b) => expectResult(unzipBundle(b, 'm.zip'), 'm.zip')),
      RUNS,
    );
  });
  it('readBundle (a workspace bundle): the same inputs', () => {
    fc.assert(
      fc.property(zips, (b) => expectResult(readBundle(b, 'b.zip'), 'b.zip')),
      RUNS,
    );
  });
});
