import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DelimitedParser, MAX_ROW_CHARS } from './delimited-stream.ts';
import { parseDelimitedBlob, parseDelimitedBytes, parseDelimitedText } from './parse-delimited.ts';
import { cell, type Table } from './table.ts';

const WINE = readFileSync(new URL('../../../public/datasets/wine.csv', import.meta.url), 'utf8');
const bytes = (s: string) => new TextEncoder().encode(s);

/** The shipped wine.csv (CRLF, 178 rows) with data row `row`'s label "class_0" opened by a quote. */
function wineWithOpenQuote(row: number): string {
  const lines = WINE.split('\r\n');
  expect(lines[row]!.endsWith(',class_0')).toBe(true);
  lines[row] = lines[row]!.replace(/class_0$/, '"class_0');
  return lines.join('\r\n');
}

/** Feeds `text` in pieces of `size` characters. */
function inPieces(text: string, size: number, file = 'wine.csv') {
  const p = new DelimitedParser(file);
  for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
  return p.finish();
}

function cells(t: Table): (string | null)[][] {
  return Array.from({ length: t.rowCount }, (_, r) => t.columns.map((c) => cell(c, r)));
}

describe('an unbalanced quote is an error naming the file, the row, the line and the column', () => {
  // Before: papaparse read the rest of the file into row 11's last cell and the app loaded "11 rows".
  const bad = wineWithOpenQuote(11);
  const expected = {
    kind: 'unclosed-quote',
    file: 'wine.csv',
    row: 11,
    column: 'cultivar',
  };
  it('from a string, from bytes and from a Blob (the data worker)', async () => {
    const text = parseDelimitedText(bad, 'wine.csv');
    const fromBytes = parseDelimitedBytes(bytes(bad), 'wine.csv');
    const fromBlob = await parseDelimitedBlob(new Blob([bad]), 'wine.csv');
    for (const r of [text, fromBytes, fromBlob]) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toMatchObject(expected);
        expect(r.error.message).toContain(
          'wine.csv: row 11 (line 12) opens a quoted field that never closes (column "cultivar")',
        );
      }
    }
  });
  it('whatever the chunk size', () => {
    for (const size of [1, 7, 100, 4096, 1 << 16]) {
      const r = inPieces(bad, size);
      expect(!r.ok && r.error, `chunks of ${size}`).toMatchObject(expected);
    }
  });
  it('in the header, or in a middle column', () => {
    const h = parseDelimitedText('a,"b,c\n1,2,3\n', 'h.csv');
    expect(!h.ok && h.error).toMatchObject({ kind: 'unclosed-quote', row: 0 });
    expect(!h.ok && h.error.message).toContain('the header row (line 1)');
    const m = parseDelimitedText('a,b,c\n1,2,3\n4,"5,6\n7,8,9\n', 'm.csv');
    expect(!m.ok && m.error).toMatchObject({ kind: 'unclosed-quote', row: 2, column: 'b' });
    expect(!m.ok && m.error.message).toContain('row 2 (line 3)');
  });
  it('the line counts the line breaks inside earlier quoted cells', () => {
    const r = parseDelimitedText('a,b\n"x\ny",1\n2,"open\n', 'q.csv');
    expect(!r.ok && r.error).toMatchObject({ kind: 'unclosed-quote', row: 2, column: 'b' });
    expect(!r.ok && r.error.message).toContain('row 2 (line 4)');
  });
  it('a closing quote followed by other characters is an error too (it would swallow rows)', () => {
    const r = parseDelimitedText('a,b\n1,2\n3,"x"y\n5,6\n"7",8\n', 'mq.csv');
    expect(!r.ok && r.error).toMatchObject({ kind: 'malformed-quote', row: 2, column: 'b' });
    expect(!r.ok && r.error.message).toContain('row 2 (line 3)');
  });
  it('a row still open after MAX_ROW_CHARS stops the parse instead of re-reading the rest of the file', () => {
    const p = new DelimitedParser('long.csv');
    p.push('a,b\n1,"never closed');
    const filler = 'x'.repeat(1 << 20);
    let chunks = 0;
    while (p.error === null && chunks < 40) {
      p.push(filler);
      chunks++;
    }
    expect(chunks).toBeLessThanOrEqual(MAX_ROW_CHARS / filler.length + 1);
    const r = p.finish();
    expect(!r.ok && r.error).toMatchObject({ kind: 'unclosed-quote', row: 1, column: 'b' });
    expect(!r.ok && r.error.message).toContain('does not close within 16 MB');
  });
});

describe('rows with the wrong number of fields are errors naming the rows (never dropped or shifted)', () => {
  it('in every entry point', async () => {
    const text = 'a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n';
    const results = [
      parseDelimitedText(text, 'r.csv'),
      parseDelimitedBytes(bytes(text), 'r.csv'),
      await parseDelimitedBlob(new Blob([text]), 'r.csv'),
      inPieces(text, 3, 'r.csv'),
    ];
    for (const r of results) {
      expect(!r.ok && r.error).toMatchObject({ kind: 'ragged-rows', row: 2 });
      expect(!r.ok && r.error.message).toMatch(/row 2 has 2.*row 4 has 4/);
    }
  });
  it('a row of empty cells is kept as missing values; blank lines are skipped', () => {
    const r = parseDelimitedText('a,b\n1,2\n,\n\n3,4\n', 'e.csv');
    expect(r.ok && cells(r.value)).toEqual([
      ['1', '2'],
      [null, null],
      ['3', '4'],
    ]);
  });
});

describe('chunking never changes the table', () => {
  it('wine.csv, quoted cells with delimiters, line breaks, doubled quotes and multibyte text', async () => {
    const quoted = 'name,note,n\r\n"Köln, DE","two\r\nlines",1\r\n東京,"say ""hi""",2\r\nx,,3\r\n';
    for (const text of [WINE, quoted]) {
      const whole = parseDelimitedText(text, 'w.csv');
      expect(whole.ok).toBe(true);
      if (!whole.ok) continue;
      for (const size of [1, 2, 5, 64, 1000]) {
        const r = inPieces(text, size, 'w.csv');
        expect(r.ok && cells(r.value), `chunks of ${size}`).toEqual(cells(whole.value));
      }
      // A Blob of many small parts: multibyte characters split across reads.
      const b = bytes(text);
      const parts = Array.from({ length: Math.ceil(b.length / 3) }, (_, i) => b.slice(i * 3, i * 3 + 3));
      const blob = await parseDelimitedBlob(new Blob(parts), 'w.csv');
      expect(blob.ok && cells(blob.value)).toEqual(cells(whole.value));
    }
    const q = parseDelimitedText(quoted, 'q.csv');
    expect(q.ok && cells(q.value)[0]).toEqual(['Köln, DE', 'two\r\nlines', '1']);
    expect(q.ok && cells(q.value)[1]).toEqual(['東京', 'say "hi"', '2']);
  });
  it('the Blob parser reports progress in bytes and rows', async () => {
    const seen: number[] = [];
    const r = await parseDelimitedBlob(new Blob([WINE]), 'wine.csv', (p) => seen.push(p.bytes));
    expect(r.ok && r.value.rowCount).toBe(178);
    expect(seen.at(-1)).toBe(bytes(WINE).length);
  });
});

describe('notes', () => {
  it('a file without a delimiter is one column, with a note', () => {
    const r = parseDelimitedText('word\nalpha\nbeta\n', 'one.csv');
    expect(r.ok && r.value.columns.length).toBe(1);
    expect(r.warnings).toContainEqual(expect.objectContaining({ kind: 'one-column', file: 'one.csv' }));
  });
  it('semicolon and tab files are detected (blank lines do not confuse the guess)', () => {
    const s = parseDelimitedText('a;b\n1;2\n\n', 's.csv');
    expect(s.ok && s.value.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(s.warnings).toEqual([]);
    const t = parseDelimitedText('a\tb\n1\t2\n', 't.tsv');
    expect(t.ok && t.value.columns.map((c) => c.name)).toEqual(['a', 'b']);
  });
});

describe('NUL bytes (binary data, UTF-16 read as UTF-8) are an error naming the row and line', () => {
  it('in a cell, and in UTF-16 text without a BOM', () => {
    const cellNul = parseDelimitedBytes(bytes('a,b\n1,x\n2,y\u0000z\n3,w\n'), 'n.csv');
    expect(!cellNul.ok && cellNul.error).toMatchObject({ kind: 'nul-byte', file: 'n.csv', row: 2 });
    expect(!cellNul.ok && cellNul.error.message).toContain('row 2 (line 3) holds a NUL byte');
    const utf16 = Uint8Array.from([...'a,b\n1,2\n'].flatMap((ch) => [ch.charCodeAt(0), 0]));
    const r = parseDelimitedBytes(utf16, 'u16.csv');
    expect(!r.ok && r.error).toMatchObject({ kind: 'nul-byte', row: 0 });
    expect(!r.ok && r.error.message).toContain('UTF-16');
  });
});
