import { describe, expect, it } from 'vitest';
import { parseDelimitedBytes } from './parse-delimited.ts';
import { parseJsonRecords } from './parse-json.ts';
import { cell } from './table.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('parseDelimitedBytes: bad input gets a message naming file, row and column', () => {
  it('empty file', () => {
    const r = parseDelimitedBytes(new Uint8Array(0), 'empty.csv');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'empty-file', file: 'empty.csv' });
  });
  it('whitespace-only file is empty too', () => {
    const r = parseDelimitedBytes(bytes('\n \r\n'), 'blank.csv');
    expect(!r.ok && r.error.kind).toBe('empty-file');
  });
  it('header only', () => {
    const r = parseDelimitedBytes(bytes('a,b,c\n'), 'h.csv');
    expect(!r.ok && r.error.kind).toBe('header-only');
  });
  it('ragged rows are named by row number', () => {
    const r = parseDelimitedBytes(bytes('a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n'), 'ragged.csv');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('ragged-rows');
      expect(r.error.row).toBe(2);
      expect(r.error.message).toContain('row 2 has 2');
      expect(r.error.message).toContain('row 4 has 4');
      expect(r.error.message).toContain('ragged.csv');
    }
  });
  it('non-UTF-8 bytes are found with their line', () => {
    const latin1 = Uint8Array.from([...bytes('name,city\nAnn,Paris\nJos'), 0xe9, ...bytes(',K\xf6ln\n')]);
    const r = parseDelimitedBytes(latin1, 'latin1.csv');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('not-utf8');
      expect(r.error.message).toContain('line 3');
      expect(r.error.row).toBe(2);
    }
  });
  it('overlong and surrogate encodings are rejected', () => {
    expect(parseDelimitedBytes(Uint8Array.from([0x61, 0x0a, 0xc0, 0xaf, 0x0a]), 'x.csv').ok).toBe(false);
    expect(parseDelimitedBytes(Uint8Array.from([0x61, 0x0a, 0xed, 0xa0, 0x80, 0x0a]), 'x.csv').ok).toBe(false);
  });
  it('valid multibyte UTF-8 and a BOM are fine', () => {
    const r = parseDelimitedBytes(bytes('\ufeffstadt,n\nKöln,1\n東京,2\n'), 'ok.csv');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.columns[0]!.name).toBe('stadt');
      expect(cell(r.value.columns[0]!, 1)).toBe('東京');
    }
  });
  it('duplicate and empty column names are repaired with warnings', () => {
    const r = parseDelimitedBytes(bytes('x,,x,y\n1,2,3,4\n'), 'dup.csv');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.columns.map((c) => c.name)).toEqual(['x', 'column_2', 'x_2', 'y']);
      expect(r.warnings.map((w) => w.kind).sort()).toEqual(['duplicate-column-name', 'empty-column-name']);
    }
  });
  it('a column of all NaN is kept, with a warning naming it', () => {
    const r = parseDelimitedBytes(bytes('a,b\n1,NaN\n2,\n3,NA\n'), 'nan.csv');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.warnings).toContainEqual(expect.objectContaining({ kind: 'all-missing', column: 'b' }));
  });
  it('keeps HTML in names and values as plain text', () => {
    const r = parseDelimitedBytes(
      bytes('"<script>alert(1)</script>",b\n"<img src=x onerror=alert(2)>",1\n'),
      'xss.csv',
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.columns[0]!.name).toBe('<script>alert(1)</script>');
      expect(cell(r.value.columns[0]!, 0)).toBe('<img src=x onerror=alert(2)>');
    }
  });
  it('TSV by extension, quoted delimiters and CRLF', () => {
    const r = parseDelimitedBytes(bytes('a\tb\r\n"x\ty"\t2\r\n'), 'f.tsv');
    expect(r.ok && cell(r.value.columns[0]!, 0)).toBe('x\ty');
  });
});

describe('parseJsonRecords', () => {
  it('takes the union of keys; null and absent are missing', () => {
    const r = parseJsonRecords('[{"a":1,"b":"x"},{"a":null,"c":true}]', 'r.json');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);
      expect(cell(r.value.columns[0]!, 1)).toBeNull();
      expect(cell(r.value.columns[2]!, 1)).toBe('true');
    }
  });
  it('explains JSON that is not an array of records', () => {
    const r1 = parseJsonRecords('{"a":1}', 'o.json');
    expect(!r1.ok && r1.error.kind).toBe('not-records');
    const r2 = parseJsonRecords('[1,2]', 'n.json');
    expect(!r2.ok && r2.error.row).toBe(1);
    const r3 = parseJsonRecords('[{"a":1},\n{"a":}]', 'bad.json');
    expect(!r3.ok && r3.error.kind).toBe('bad-json');
    expect(!r3.ok && r3.error.message).toMatch(/bad\.json/);
  });
  it('an empty array is header-only, an empty file is empty', () => {
    expect(parseJsonRecords('', 'e.json').ok).toBe(false);
    const r = parseJsonRecords('[]', 'e.json');
    expect(!r.ok && r.error.kind).toBe('header-only');
  });
});

describe('parseJsonRecords: what JSON.parse drops silently is noted', () => {
  it('a repeated key: a duplicate-key note naming the key and the first record; the last value is read', () => {
    const r = parseJsonRecords('[{"price":1,"a":0,"price":2},{"price":3,"a":1,"price":4}]', 'dup.json');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.columns.find((c) => c.name === 'price')!.dictionary).toEqual(['2', '4']);
    const note = r.warnings.find((w) => w.kind === 'duplicate-key');
    expect(note).toMatchObject({ file: 'dup.json', column: 'price', row: 1 });
    expect(note!.message).toContain(
      'dup.json: in 2 record(s) the key "price" appears more than once (first in record 1)',
    );
  });
  it('integers beyond 2^53: the digits are kept (two ids stay two) and a note names the column', () => {
    const r = parseJsonRecords(
      '[{"id":12345678901234567890,"y":"a"},{"id":12345678901234567891,"y":"b"},{"id":5,"y":"a"}]',
      'ids.json',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.columns[0]!.dictionary).toEqual(['12345678901234567890', '12345678901234567891', '5']);
    const note = r.warnings.find((w) => w.kind === 'rounded-integer');
    expect(note).toMatchObject({ file: 'ids.json', column: 'id', row: 1 });
    expect(note!.message).toContain('column "id" has 2 integer(s) beyond 2^53');
    expect(note!.message).toContain('12345678901234567890 reads as 12345678901234567000');
  });
  it('an ordinary file gets neither note', () => {
    const r = parseJsonRecords('[{"a":1,"b":"x"},{"a":9007199254740992,"b":"y"}]', 'fine.json');
    expect(r.ok && r.warnings).toEqual([]);
  });
});
