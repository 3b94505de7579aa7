/**
 * Writes the bad-input corpus: `npx tsx tests/corpus/make-corpus.ts`.
 *
 * Valid bases come from the real producers: `benchtop train` (a small MLP and a decision tree on a
 * 60-row CSV), `benchtop export --format onnx`, and the core's collectBundle over a store holding the
 * run, its dataset and a registered version. Their run records are pinned (ids, timestamps, runtime) so
 * the output is the same on every run. Each case is then a damaged copy of a base, or a file people
 * really produce (Excel's UTF-16, Python's NaN in JSON, an xlsx renamed .csv, a PyTorch zip renamed
 * .onnx). Cases too large to commit (600 MB files, 64 MiB bodies) are listed with `generated` and built
 * at test time by big-cases.ts.
 *
 * Output: tests/corpus/cases/<category>/<case-id>/… and tests/corpus/cases/index.json.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the generator edits parsed JSON of a known shape in place */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { parseDelimitedBytes } from '../../src/core/data/parse-delimited.ts';
import { datasetVersionId } from '../../src/core/data/dataset-hash.ts';
import { encodeTable } from '../../src/core/data/table-codec.ts';
import { filesToBundle } from '../../src/core/model/model-bundle.ts';
import { registerVersion } from '../../src/core/registry/registry.ts';
import { collectBundle } from '../../src/core/store/bundle.ts';
import { MemoryStore } from '../../src/core/store/memory-store.ts';
import type { Category, CorpusCase, CorpusIndex, Expectation, HttpRequestSpec, Match, Target } from './corpus-types.ts';
import { buildOnnx, f32, INT64, logisticSpec } from './onnx-builder.ts';
import { FIXED_TIME, json, packBundle, patchClaimedSize, zipFixed, type BundleSelection } from './zip-tools.ts';

const HERE = dirname(new URL(import.meta.url).pathname);
const CASES = join(HERE, 'cases');
const BASE = join(CASES, '_base');
const CLI = join(HERE, '../../bin/benchtop.mjs');
const enc = new TextEncoder();
const dec = new TextDecoder();
type Bytes = Uint8Array;
const bytes = (s: string | Bytes): Bytes => (typeof s === 'string' ? enc.encode(s) : s);

// ---------------------------------------------------------------------------------------------------
// Deterministic data
// ---------------------------------------------------------------------------------------------------

/** A 32-bit LCG (Numerical Recipes constants) so junk bytes are the same on every run. */
function lcgBytes(n: number, seed: number): Bytes {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

const HEADER = ['a', 'b', 'c', 'label'];
const ROWS: string[][] = Array.from({ length: 60 }, (_, i) => {
  const b = ((i * 37) % 17) / 4;
  const c = Math.round(Math.sin(i) * 100) / 100;
  return [String(i), String(b), String(c), i % 3 === 0 || b > 3 ? 'yes' : 'no'];
});
const csvText = (header: string[], rows: string[][], eol = '\n') =>
  [header, ...rows].map((r) => r.join(',')).join(eol) + eol;
const BASE_CSV = csvText(HEADER, ROWS);
const RECORDS = ROWS.map((r) => ({ a: Number(r[0]), b: Number(r[1]), c: Number(r[2]), label: r[3] }));
const withRow = (k: number, row: string[]) => ROWS.map((r, i) => (i === k - 1 ? row : r));
const withCell = (k: number, col: number, v: string) =>
  withRow(
    k,
    ROWS[k - 1]!.map((x, j) => (j === col ? v : x)),
  );
const BASE_TABLE = { rows: 60, columns: HEADER };

function utf16le(s: string, bom: boolean): Bytes {
  const b = Buffer.from(s, 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), b]) : b;
}
function utf16be(s: string): Bytes {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
}
const concat = (...parts: (string | Bytes)[]) => Buffer.concat(parts.map((p) => Buffer.from(bytes(p))));

// ---------------------------------------------------------------------------------------------------
// Bases from the real producers
// ---------------------------------------------------------------------------------------------------

function cli(args: string[], cwd: string): string {
  return execFileSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
}

function readDir(dir: string): Record<string, Bytes> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
}

/** Pins everything in a run record that differs between two trainings of the same seed. */
function pinRun(run: Record<string, unknown>, id: string): Record<string, unknown> {
  const clocks = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(clocks)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v).map(([k, x]) => [k, ['samplesPerSecond', 'elapsedMs'].includes(k) ? 0 : clocks(x)]),
          )
        : v;
  return {
    ...(clocks(run) as Record<string, unknown>),
    id,
    createdAt: FIXED_TIME,
    durationMs: 0,
    samplesPerSecond: 0,
    environment: { backend: 'wasm', backendReason: 'corpus', runtime: 'node', appVersion: '0.1.0' },
  };
}

/** Replaces every timestamp-like field with a fixed one, recursively. */
function pinTimes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pinTimes);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      ['createdAt', 'savedAt', 'updatedAt', 'at'].includes(k) && typeof x === 'string' ? FIXED_TIME : pinTimes(x),
    ]),
  );
}

interface Bases {
  net: Record<string, Bytes>;
  tree: Record<string, Bytes>;
  onnx: Bytes;
  /** The seed bundle's files (without manifest) and selection. */
  seed: { files: Record<string, Bytes>; sel: BundleSelection };
  treeBundle: { files: Record<string, Bytes>; sel: BundleSelection };
}

async function makeBases(): Promise<Bases> {
  mkdirSync(BASE, { recursive: true });
  writeFileSync(join(BASE, 'train.csv'), BASE_CSV);
  const tmp = mkdtempSync(join(tmpdir(), 'benchtop-corpus-'));
  const common = ['--data', join(BASE, 'train.csv'), '--label', 'label', '--seed', '1', '--no-store'];
  cli(['train', ...common, '--model', 'mlp', '--hidden', '4', '--epochs', '2', '--out', join(tmp, 'net')], tmp);
  cli(['train', ...common, '--model', 'tree', '--max-depth', '2', '--out', join(tmp, 'tree')], tmp);
  const pin = (dir: string, id: string) => {
    const files = readDir(dir);
    files['run.json'] = json(pinRun(JSON.parse(dec.decode(files['run.json'])), id));
    return files;
  };
  const net = pin(join(tmp, 'net'), 'corpus-net-run');
  const tree = pin(join(tmp, 'tree'), 'corpus-tree-run');
  for (const [name, files] of [
    ['net', net],
    ['tree', tree],
  ] as const) {
    mkdirSync(join(BASE, name), { recursive: true });
    for (const [f, b] of Object.entries(files)) writeFileSync(join(BASE, name, f), b);
  }
  cli(['export', '--model', join(BASE, 'net'), '--format', 'onnx', '--out', join(tmp, 'onnx')], tmp);
  const onnx = new Uint8Array(readFileSync(join(tmp, 'onnx', 'model.onnx')));
  writeFileSync(join(BASE, 'model.onnx'), onnx);

  const table = parseDelimitedBytes(enc.encode(BASE_CSV), 'train.csv');
  if (!table.ok) throw new Error(table.error.message);
  const datasetRecord = {
    id: datasetVersionId(table.value),
    name: 'train.csv',
    rowCount: 60,
    columns: HEADER,
    label: 'label',
    provenance: 'file tests/corpus/cases/_base/train.csv',
    savedAt: FIXED_TIME,
    bytes: encodeTable(table.value).byteLength,
  };
  const bundleOf = async (files: Record<string, Bytes>, version: string | null) => {
    const b = filesToBundle(files, 'base');
    if (!b.ok) throw new Error(b.error.message);
    const store = new MemoryStore();
    await store.saveRun(b.value.run, b.value.model);
    await store.saveDatasetRecord(datasetRecord, encodeTable(table.value));
    if (version) {
      const v = await registerVersion(store, { name: version, run: b.value.run, model: b.value.model, who: 'corpus' });
      if (!v.ok) throw new Error(v.error.message);
    }
    const c = await collectBundle(store, { runIds: [b.value.run.id], versionIds: version ? [`${version}@1`] : [] });
    if (!c.ok) throw new Error(c.error.message);
    const { 'selection.json': selBytes, ...rest } = c.value;
    const out: Record<string, Bytes> = {};
    for (const [p, x] of Object.entries(rest))
      out[p] = p.endsWith('.json') ? json(pinTimes(JSON.parse(dec.decode(x)))) : x;
    return { files: out, sel: JSON.parse(dec.decode(selBytes)) as BundleSelection };
  };
  const seed = await bundleOf(net, 'corpus-net');
  const treeBundle = await bundleOf(tree, null);
  writeFileSync(join(BASE, 'seed-bundle.zip'), packBundle(seed.files, seed.sel));
  rmSync(tmp, { recursive: true, force: true });
  return { net, tree, onnx, seed, treeBundle };
}

// ---------------------------------------------------------------------------------------------------
// Case writers
// ---------------------------------------------------------------------------------------------------

const cases: CorpusCase[] = [];

function write(category: Category, id: string, files: Record<string, string | Bytes>) {
  for (const [rel, b] of Object.entries(files)) {
    const p = join(CASES, category, id, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, bytes(b));
  }
}

function add(c: CorpusCase, files: Record<string, string | Bytes> = {}) {
  if (cases.some((x) => x.id === c.id && x.category === c.category))
    throw new Error(`duplicate case id ${c.category}/${c.id}`);
  cases.push(c);
  write(c.category, c.id, files);
}

const refused = (...substrings: Match[]): Expectation => ({ outcome: 'refused', substrings });
const noted = (...substrings: Match[]): Expectation => ({ outcome: 'accepted-with-note', substrings });
const accepted = (table?: Expectation['table']): Expectation => ({ outcome: 'accepted', substrings: [], table });
const either = (e: Expectation, alsoOk: Expectation['outcome']): Expectation => ({ ...e, alsoOk });

interface DataOpts {
  /** Expectation for `benchtop train` when it differs from the core's. */
  train?: Partial<Expectation>;
  core?: Partial<Expectation> | false;
  drift?: boolean;
  e2e?: boolean;
  ext?: string;
}

const TRAIN = (input = '{input}') => [
  'train',
  '--data',
  input,
  '--label',
  'label',
  '--model',
  'tree',
  '--max-depth',
  '2',
  '--out',
  '{out}/model',
  '--no-store',
];
const DRIFT = ['drift', '--reference', '{base}/train.csv', '--current', '{input}', '--json'];

/** A refused data case names its file first. */
function named(file: string, e: Expectation): Expectation {
  return e.outcome === 'refused' ? { ...e, substrings: [file, ...e.substrings] } : e;
}

function dataCase(
  category: 'csv' | 'json',
  id: string,
  wrong: string,
  content: string | Bytes | null,
  expect: Expectation,
  o: DataOpts = {},
  generated?: CorpusCase['generated'],
) {
  const file = `${id}${o.ext ?? (category === 'csv' ? '.csv' : '.json')}`;
  const targets: Target[] = [];
  if (o.core !== false)
    targets.push({ core: category === 'csv' ? 'parseDelimitedBytes' : 'parseJsonRecords', expect: o.core });
  const trainExpect = o.train ? named(file, { ...expect, ...o.train } as Expectation) : undefined;
  targets.push({ cli: TRAIN(), expect: trainExpect });
  if (o.drift) targets.push({ cli: DRIFT, expect: expect.outcome === 'refused' ? undefined : accepted() });
  add(
    {
      id,
      category,
      wrong,
      input: generated ? undefined : file,
      generated,
      targets,
      expect: named(file, expect),
      e2e: o.e2e,
    },
    content === null ? {} : { [file]: content },
  );
}

// ---------------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------------

function csvCases() {
  const c = (id: string, wrong: string, content: string | Bytes | null, e: Expectation, o: DataOpts = {}) =>
    dataCase('csv', id, wrong, content, e, o);
  c(
    'unbalanced-quote-row-3',
    'row 3 opens a quote ("4.5) that is never closed, so a parser swallows the rest of the file',
    csvText(HEADER, withCell(3, 1, '"4.5')),
    refused('row 3'),
    { e2e: true, drift: true },
  );
  c(
    'unbalanced-quote-last-row',
    'the last row (60) opens a quote and the file ends inside it',
    csvText(HEADER, withCell(60, 2, '"0.3')),
    refused('row 60'),
  );
  c(
    'unterminated-quote-in-header',
    'the header opens a quote that is never closed',
    '"a,b,c,label\n' + csvText(HEADER, ROWS).split('\n').slice(1).join('\n'),
    refused(['header', 'row 0', 'line 1', 'row 1']),
  );
  c(
    'quote-inside-unquoted-field',
    'heights written 5\'11" inside unquoted fields (RFC 4180 allows quotes only around a field)',
    csvText(
      [...HEADER, 'height'],
      ROWS.map((r, i) => [...r, `${5 + (i % 2)}'${i % 12}"`]),
    ),
    accepted({ rows: 60, columns: [...HEADER, 'height'] }),
  );
  c(
    'ragged-short-row-2',
    'row 2 has 3 fields, the header 4',
    csvText(HEADER, withRow(2, ['1', '2.25', 'yes'])),
    refused('row 2'),
    { e2e: true, drift: true },
  );
  c(
    'ragged-long-row-4',
    'row 4 has 5 fields (an unquoted comma in a value)',
    csvText(HEADER, withRow(4, ['3', '1,5', '0.14', 'yes'])),
    refused('row 4'),
  );
  c(
    'ragged-every-fifth-row',
    'every fifth row lacks its last field',
    csvText(
      HEADER,
      ROWS.map((r, i) => ((i + 1) % 5 === 0 ? r.slice(0, 3) : r)),
    ),
    refused('row 5'),
  );
  c('empty-file', 'zero bytes', '', refused(), { e2e: true, drift: true });
  c('whitespace-only', 'only spaces, tabs and newlines', '  \n\n \t\n', refused());
  c('header-only', 'a header and no data rows', 'a,b,c,label\n', refused());
  c('header-only-no-newline', 'a header without even a newline', 'a,b,c,label', refused());
  c('duplicate-header', 'two columns are both called "a"', csvText(['a', 'b', 'a', 'label'], ROWS), noted('a_2'), {
    train: noted('a_2'),
  });
  c('empty-header-name', 'the second column has no name', csvText(['a', '', 'c', 'label'], ROWS), noted('column_2'));
  c(
    'whitespace-header-name',
    'the second column is named "   "',
    csvText(['a', '   ', 'c', 'label'], ROWS),
    noted('column_2'),
  );
  c(
    'bom-utf8',
    'a UTF-8 byte order mark (Excel "CSV UTF-8")',
    concat(Buffer.from([0xef, 0xbb, 0xbf]), BASE_CSV),
    accepted(BASE_TABLE),
  );
  c(
    'utf16le-bom',
    'UTF-16 LE with a BOM (Excel "Unicode Text", PowerShell)',
    utf16le(BASE_CSV, true),
    either(refused(['UTF-16', 'UTF-8', 'encoding']), 'accepted'),
    { e2e: true },
  );
  c(
    'utf16be-bom',
    'UTF-16 BE with a BOM',
    utf16be(BASE_CSV),
    either(refused(['UTF-16', 'UTF-8', 'encoding']), 'accepted'),
  );
  c(
    'utf16le-no-bom',
    'UTF-16 LE without a BOM: every other byte is NUL',
    utf16le(BASE_CSV, false),
    either(refused(['UTF-16', 'UTF-8', 'encoding', 'NUL', 'binary']), 'accepted'),
  );
  {
    const head = csvText(HEADER, ROWS.slice(0, 4));
    const latin = concat(head, '4,1.25,-0.76,caf', Buffer.from([0xe9]), '\n', csvText(HEADER, ROWS.slice(5)).slice(12));
    const at = Buffer.byteLength(head) + Buffer.byteLength('4,1.25,-0.76,caf');
    c(
      'invalid-utf8-latin1-row-5',
      `a Latin-1 "é" (0xE9) at byte ${at}, line 6 (row 5)`,
      latin,
      refused([`byte ${at}`, 'line 6', 'row 5']),
      { e2e: true, drift: true },
    );
  }
  {
    const head = csvText(HEADER, ROWS.slice(0, 9));
    const at = Buffer.byteLength(head) + 3;
    c(
      'invalid-utf8-lone-continuation',
      `a lone continuation byte 0x80 at byte ${at}, line 11`,
      concat(head, '9,', Buffer.from([0x80]), '1,0.41,yes\n', csvText(HEADER, ROWS.slice(10)).slice(12)),
      refused([`byte ${at}`, 'line 11', 'row 10']),
    );
  }
  c(
    'truncated-utf8-at-eof',
    'the file ends in the middle of a 3-byte character (a cut download)',
    concat(BASE_CSV, '60,1.0,0.5,', Buffer.from([0xe2, 0x82])),
    refused(['UTF-8', 'byte', 'line']),
  );
  c(
    'overlong-utf8',
    'an overlong encoding of "/" (0xC0 0xAF) in row 2',
    concat(csvText(HEADER, ROWS.slice(0, 1)), '1,', Buffer.from([0xc0, 0xaf]), ',0.84,no\n'),
    refused(['UTF-8', 'byte', 'line']),
  );
  c('binary-junk', '4 KB of random bytes', lcgBytes(4096, 7), refused(), { e2e: true });
  c(
    'png-renamed-csv',
    'a PNG image renamed to .csv',
    concat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), lcgBytes(600, 9)),
    refused(),
  );
  c(
    'xlsx-renamed-csv',
    'an Excel workbook (a zip) renamed to .csv',
    zipFixed({
      '[Content_Types].xml': enc.encode('<?xml version="1.0"?><Types/>'),
      'xl/workbook.xml': enc.encode('<workbook>' + '<sheet name="data"/>'.repeat(50) + '</workbook>'),
      'xl/worksheets/sheet1.xml': lcgBytes(2000, 11),
    }),
    refused(),
    { e2e: true },
  );
  c('gzip-renamed-csv', 'a gzipped CSV without the .gz', gzipSync(BASE_CSV, { mtime: 0 } as never), refused());
  c(
    'nul-byte-in-cell-row-2',
    'a NUL byte inside the label of row 2',
    csvText(HEADER, withCell(2, 3, 'y\0es')),
    either(refused('row 2'), 'accepted-with-note'),
  );
  c(
    'nul-padded-tail',
    'the file ends in 1000 NUL bytes (a preallocated or half-written file)',
    concat(BASE_CSV, new Uint8Array(1000)),
    either(refused(['NUL', 'binary', 'row 61', 'line 62']), 'accepted-with-note'),
  );
  c(
    'one-column',
    'only one column (the label): nothing to learn from',
    csvText(
      ['label'],
      ROWS.map((r) => [r[3]!]),
    ),
    accepted({ rows: 60, columns: ['label'] }),
    { train: refused(['feature', 'column']) },
  );
  c(
    'label-all-missing',
    'the label column is empty in every row',
    csvText(
      HEADER,
      ROWS.map((r) => [...r.slice(0, 3), '']),
    ),
    noted('label'),
    { train: refused('label') },
  );
  c(
    'label-one-class',
    'every row has the same label',
    csvText(
      HEADER,
      ROWS.map((r) => [...r.slice(0, 3), 'yes']),
    ),
    accepted(BASE_TABLE),
    { train: refused('label') },
  );
  c(
    'label-column-absent',
    'the file has no "label" column (the command asks for one)',
    csvText(['a', 'b', 'c', 'target'], ROWS),
    accepted({ rows: 60, columns: ['a', 'b', 'c', 'target'] }),
    { train: refused('label') },
  );
  c(
    'number-1e400-row-4',
    'column b of row 4 is 1e400 (overflows a double to Infinity)',
    csvText(HEADER, withCell(4, 1, '1e400')),
    either(noted('b'), 'refused'),
    { e2e: true, drift: true },
  );
  c(
    'number-minus-1e400',
    'column c of row 7 is -1e400',
    csvText(HEADER, withCell(7, 2, '-1e400')),
    either(noted('c'), 'refused'),
  );
  c(
    'nan-strings',
    'column b holds NaN, nan and -nan (pandas / numpy output): missing values, which a person should hear about',
    csvText(
      HEADER,
      ROWS.map((r, i) => (i % 10 === 3 ? [r[0]!, ['NaN', 'nan', '-nan'][i % 3]!, r[2]!, r[3]!] : r)),
    ),
    noted('b'),
    { drift: true },
  );
  c(
    'infinity-strings',
    'column b holds Infinity, -Infinity and inf',
    csvText(
      HEADER,
      ROWS.map((r, i) => (i % 10 === 4 ? [r[0]!, ['Infinity', '-Infinity', 'inf'][i % 3]!, r[2]!, r[3]!] : r)),
    ),
    either(noted('b'), 'refused'),
  );
  c(
    'huge-field-512kb',
    'one quoted field of 512 KB (a pasted log) in row 1',
    csvText(
      [...HEADER, 'notes'],
      ROWS.map((r, i) => [...r, i === 0 ? `"${'x'.repeat(512 * 1024)}"` : 'ok']),
    ),
    accepted({ rows: 60, columns: [...HEADER, 'notes'] }),
  );
  dataCase(
    'csv',
    'huge-file-600mb',
    'a 600 MB CSV (larger than a JavaScript string may be)',
    null,
    either(refused(['MB', 'large', 'big', 'size']), 'accepted'),
    {},
    { kind: 'csv-600mb', note: 'written to a temp dir at test time (600 MB of rows like the base), not committed' },
  );
  c(
    'mixed-delimiters',
    'the header uses commas, rows 10 to 20 semicolons',
    csvText(HEADER, ROWS)
      .replace(/\n/g, '\n')
      .split('\n')
      .map((l, i) => (i >= 10 && i <= 20 ? l.replace(/,/g, ';') : l))
      .join('\n'),
    refused('row'),
  );
  c(
    'crlf-line-endings',
    'Windows CRLF line endings: a "\\r" must not stick to the last column',
    csvText(HEADER, ROWS, '\r\n'),
    accepted({ ...BASE_TABLE, labels: ['no', 'yes'] }),
  );
  c(
    'cr-line-endings',
    'classic Mac CR-only line endings',
    csvText(HEADER, ROWS, '\r'),
    accepted({ ...BASE_TABLE, labels: ['no', 'yes'] }),
  );
  c(
    'mixed-line-endings',
    'LF and CRLF line endings mixed (a file edited on two systems)',
    [HEADER, ...ROWS].map((r, i) => r.join(',') + (i % 2 ? '\r\n' : '\n')).join(''),
    accepted({ ...BASE_TABLE, labels: ['no', 'yes'] }),
  );
  c(
    'blank-lines-between-rows',
    'blank lines between rows',
    [HEADER, ...ROWS].map((r) => r.join(',')).join('\n\n') + '\n',
    accepted(BASE_TABLE),
  );
  c(
    'trailing-delimiter-all-lines',
    'every line, header included, ends with a comma',
    [HEADER, ...ROWS].map((r) => r.join(',') + ',').join('\n') + '\n',
    noted('column_5'),
  );
  c(
    'trailing-delimiter-rows-only',
    'every data row ends with a comma, the header does not',
    HEADER.join(',') + '\n' + ROWS.map((r) => r.join(',') + ',').join('\n') + '\n',
    either(refused('row 1'), 'accepted-with-note'),
  );
  dataCase(
    'csv',
    'columns-100k',
    'a header of 100,000 columns (a transposed export) and 20 rows',
    null,
    either(accepted(), 'refused'),
    { train: either(refused('column'), 'accepted') },
    { kind: 'csv-100k-columns', note: 'about 4 MB, written at test time' },
  );
  c(
    'quoted-newlines',
    'valid: quoted fields with newlines inside',
    csvText(
      [...HEADER, 'notes'],
      ROWS.map((r, i) => [...r, i % 7 === 0 ? '"line one\nline two"' : 'plain']),
    ),
    accepted({ rows: 60, columns: [...HEADER, 'notes'] }),
  );
  c(
    'escaped-quotes',
    'valid: doubled quotes inside quoted fields',
    csvText(
      [...HEADER, 'notes'],
      ROWS.map((r, i) => [...r, `"said ""hi"" ${i}"`]),
    ),
    accepted({ rows: 60, columns: [...HEADER, 'notes'] }),
  );
  c(
    'tab-separated-with-csv-name',
    'tab-separated values saved with a .csv name',
    [HEADER, ...ROWS].map((r) => r.join('\t')).join('\n') + '\n',
    accepted(BASE_TABLE),
  );
  c(
    'comment-preamble',
    'two "#" comment lines before the header (instrument exports)',
    '# exported by SensorHub v2\n# units: mm\n' + BASE_CSV,
    either(refused(), 'accepted-with-note'),
  );
  c('excel-sep-line', 'Excel\'s "sep=," first line', 'sep=,\n' + BASE_CSV, either(refused(), 'accepted-with-note'));
  c(
    'html-error-page',
    'an HTML 404 page saved as data.csv (a broken download link)',
    '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1></body></html>\n',
    either(accepted(), 'refused'),
    { train: refused('label') },
  );
}

// ---------------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------------

function jsonCases() {
  const j = (id: string, wrong: string, content: string | Bytes, e: Expectation, o: DataOpts = {}) =>
    dataCase('json', id, wrong, content, e, o);
  const recs = JSON.stringify(RECORDS);
  const row = (n: number) => ['row ' + n, 'element ' + n, 'record ' + n, 'item ' + n, `index ${n - 1}`];
  j('not-json', 'plain text', 'hello, these are my records\n', refused(), { e2e: true });
  j('truncated', 'the array is cut off half way (an interrupted download)', recs.slice(0, recs.length / 2), refused(), {
    e2e: true,
  });
  j(
    'trailing-commas',
    'trailing commas (valid JavaScript, not JSON)',
    '[{"a": 1, "b": 2, "c": 3, "label": "no",},]',
    refused(),
  );
  j('single-quotes', 'a Python repr with single quotes', "[{'a': 1, 'b': 2, 'c': 3, 'label': 'no'}]", refused());
  j('null', 'the JSON value null', 'null', refused());
  j('a-number', 'the JSON value 42', '42', refused(), { e2e: true });
  j('a-string', 'a JSON string', '"records"', refused());
  j('object-not-array', 'one record, not an array of records', JSON.stringify(RECORDS[0]), refused());
  j('wrapped-records', 'records wrapped as {"data": [...]}', JSON.stringify({ data: RECORDS }), refused());
  j('empty-array', 'an empty array', '[]', refused(), { e2e: true });
  j('array-of-numbers', 'an array of numbers', '[1, 2, 3]', refused(row(1)), { e2e: true });
  j('array-of-arrays', 'an array of arrays (no field names)', JSON.stringify(ROWS), refused(row(1)));
  j(
    'non-object-at-5',
    'element 5 of 60 is a string',
    JSON.stringify(RECORDS.map((r, i) => (i === 4 ? 'oops' : r))),
    refused(row(5)),
  );
  j(
    'nested-objects',
    'field "meta" holds objects',
    JSON.stringify(RECORDS.map((r, i) => ({ ...r, meta: { source: 'x', n: i } }))),
    noted('meta'),
    { train: noted('meta') },
  );
  j(
    'array-values',
    'field "tags" holds arrays',
    JSON.stringify(RECORDS.map((r, i) => ({ ...r, tags: ['t' + (i % 3)] }))),
    noted('tags'),
  );
  j(
    'duplicate-keys',
    'every record has the key "price" twice; JSON.parse keeps the last one silently',
    '[' +
      RECORDS.map((r, i) => JSON.stringify(r).replace('{', `{"price": ${i}, `).replace(/}$/, `, "price": ${-i}}`)).join(
        ',',
      ) +
      ']',
    either(noted('price'), 'refused'),
  );
  j(
    'deep-nesting-100k',
    'an array nested 100,000 deep (a recursive parser overflows its stack)',
    '['.repeat(100_000) + ']'.repeat(100_000),
    refused(),
  );
  j(
    'deep-nesting-in-field',
    'field "deep" of record 1 is nested 100,000 deep',
    '[' +
      RECORDS.map((r, i) =>
        i === 0
          ? JSON.stringify(r).replace(/}$/, `, "deep": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`)
          : JSON.stringify(r),
      ).join(',') +
      ']',
    either(refused('deep'), 'accepted-with-note'),
    { e2e: true },
  );
  j(
    'deep-object-nesting',
    'an object nested 100,000 deep',
    '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
    refused(),
  );
  j(
    'huge-number-1e400',
    'field b of record 3 is 1e400 (JSON.parse gives Infinity)',
    '[' +
      RECORDS.map((r, i) => (i === 2 ? JSON.stringify(r).replace(/"b":[^,]+/, '"b":1e400') : JSON.stringify(r))).join(
        ',',
      ) +
      ']',
    either(noted('b'), 'refused'),
  );
  j(
    'nan-literal',
    "Python's json.dumps default: NaN and Infinity literals (not JSON)",
    '[' +
      RECORDS.map((r, i) =>
        i % 10 === 1
          ? JSON.stringify(r).replace(/"b":[^,]+/, `"b":${i % 20 === 1 ? 'NaN' : 'Infinity'}`)
          : JSON.stringify(r),
      ).join(',') +
      ']',
    either(refused(['NaN', 'JSON', 'line']), 'accepted-with-note'),
  );
  j(
    'bom',
    'a UTF-8 byte order mark before the array',
    concat(Buffer.from([0xef, 0xbb, 0xbf]), recs),
    accepted(BASE_TABLE),
  );
  dataCase(
    'json',
    'invalid-utf8',
    'a Latin-1 byte (0xE9) inside a string',
    concat(recs.slice(0, 100), Buffer.from([0xe9]), recs.slice(100)),
    refused(['UTF-8', 'byte', 'line']),
    { core: false },
  );
  j(
    'utf16le-bom',
    "UTF-16 LE with a BOM (PowerShell's Out-File default)",
    utf16le(recs, true),
    either(refused(['UTF-16', 'UTF-8', 'encoding', 'JSON']), 'accepted'),
  );
  j(
    'ndjson',
    'JSON Lines (one record per line) saved as .json',
    RECORDS.map((r) => JSON.stringify(r)).join('\n') + '\n',
    either(refused(['line 2', 'JSON Lines', 'NDJSON', 'JSON']), 'accepted'),
  );
  j(
    'sparse-keys',
    'valid: records with different keys (missing fields are missing values)',
    JSON.stringify(RECORDS.map((r, i) => (i % 4 === 0 ? { label: r.label, a: r.a, c: r.c } : r))),
    accepted({ rows: 60, columns: ['label', 'a', 'c', 'b'] }),
  );
  j(
    'empty-key',
    'records with an empty key ""',
    JSON.stringify(RECORDS.map((r) => ({ ...r, '': 1 }))),
    noted('column_5'),
  );
  j(
    'label-all-null',
    'field "label" is null in every record',
    JSON.stringify(RECORDS.map((r) => ({ ...r, label: null }))),
    noted('label'),
    { train: refused('label') },
  );
  j(
    'long-string-512kb',
    'one 512 KB string value',
    JSON.stringify(RECORDS.map((r, i) => ({ ...r, notes: i === 0 ? 'y'.repeat(512 * 1024) : 'ok' }))),
    accepted({ rows: 60, columns: [...HEADER, 'notes'] }),
  );
  j(
    'big-integer-ids',
    'ids like 12345678901234567891 that a double rounds (two ids become equal)',
    '[' + RECORDS.map((r, i) => JSON.stringify(r).replace('{', `{"id": 1234567890123456789${i % 2}, `)).join(',') + ']',
    either(noted('id'), 'refused'),
  );
  j(
    'mixed-types-in-field',
    'valid: field b holds numbers and numeric strings',
    JSON.stringify(RECORDS.map((r, i) => ({ ...r, b: i % 2 ? String(r.b) : r.b }))),
    accepted(BASE_TABLE),
  );
}

// ---------------------------------------------------------------------------------------------------
// ONNX
// ---------------------------------------------------------------------------------------------------

function onnxCases(b: Bases) {
  const serve = ['serve', '--model', '{input}', '--port', '0'];
  const o = (
    id: string,
    wrong: string,
    content: string | Bytes,
    e: Expectation,
    serveExpect?: Partial<Expectation>,
  ) => {
    const file = `${id}.onnx`;
    add(
      {
        id,
        category: 'onnx',
        wrong,
        input: file,
        targets: [{ core: 'importOnnxModel' }, { cli: serve, expect: serveExpect }],
        expect: named(file, e),
      },
      { [file]: content },
    );
  };
  const spec = logisticSpec();
  o('valid-export', 'valid: the base MLP exported by benchtop export', b.onnx, accepted());
  o('valid-handmade', 'valid: a hand-built logistic regression', buildOnnx(spec), accepted());
  o('empty-file', 'zero bytes', new Uint8Array(0), refused());
  o(
    'truncated-60pct',
    'the export cut at 60% (an interrupted copy)',
    b.onnx.slice(0, Math.floor(b.onnx.length * 0.6)),
    refused(),
  );
  o('truncated-7-bytes', 'only the first 7 bytes', b.onnx.slice(0, 7), refused());
  o('random-bytes', '2 KB of random bytes', lcgBytes(2048, 3), refused());
  o(
    'pytorch-zip-renamed',
    'a PyTorch .pt checkpoint (a zip) renamed to .onnx',
    zipFixed({ 'archive/data.pkl': lcgBytes(300, 5), 'archive/version': enc.encode('3\n') }),
    refused(),
  );
  o(
    'hdf5-renamed',
    'a Keras .h5 file (HDF5 magic) renamed to .onnx',
    concat(Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), lcgBytes(500, 13)),
    refused(),
  );
  o(
    'text-pbtxt',
    'the model in protobuf text format, not binary',
    'ir_version: 8\ngraph {\n  node { op_type: "Gemm" input: "features" output: "y" }\n  name: "g"\n}\n',
    refused(),
  );
  o(
    'negative-dims',
    'the input is declared [N, -7]',
    buildOnnx({ ...spec, inputs: [{ name: 'features', dims: ['N', -7] }] }),
    refused('features'),
  );
  o(
    'huge-dims',
    'the input is declared [N, 2^40]',
    buildOnnx({ ...spec, inputs: [{ name: 'features', dims: ['N', 2 ** 40] }] }),
    refused('features'),
  );
  o(
    'initializer-negative-dims',
    'initializer W is declared [-3, 1]',
    buildOnnx({ ...spec, inits: [{ name: 'W', dims: [-3, 1], raw: f32([1, 2, 3]) }, spec.inits![1]!] }),
    refused(),
  );
  o(
    'initializer-huge-dims',
    'initializer W is declared [3, 2^33] with 12 bytes of data',
    buildOnnx({ ...spec, inits: [{ name: 'W', dims: [3, 2 ** 33], raw: f32([1, 2, 3]) }, spec.inits![1]!] }),
    refused(),
  );
  o(
    'initializer-size-mismatch',
    'initializer W is declared [3, 1] (12 bytes) but holds 8',
    buildOnnx({ ...spec, inits: [{ name: 'W', dims: [3, 1], raw: f32([1, 2]) }, spec.inits![1]!] }),
    refused(),
  );
  o(
    'nan-initializer',
    'initializer W holds NaN (a diverged training run)',
    buildOnnx(logisticSpec([NaN, 0.5, 1])),
    either(refused(['NaN', 'finite', 'W']), 'accepted-with-note'),
  );
  o(
    'unsupported-op',
    'a custom operator com.acme.Frobnicate',
    buildOnnx({
      ...spec,
      nodes: [
        { op: 'Frobnicate', inputs: ['features'], outputs: ['f'], domain: 'com.acme' },
        { op: 'Gemm', inputs: ['f', 'W', 'B'], outputs: ['logits'] },
        { op: 'Sigmoid', inputs: ['logits'], outputs: ['outputs'] },
      ],
      extraOpsets: [{ domain: 'com.acme', version: 1 }],
    }),
    refused('Frobnicate'),
  );
  o('empty-graph', 'a graph with no nodes, inputs or outputs', buildOnnx({}), refused());
  o('no-graph', 'a model with no graph at all', buildOnnx({ noGraph: true }), refused());
  o(
    'two-inputs',
    'two graph inputs (Benchtop feeds one features tensor)',
    buildOnnx({ ...spec, inputs: [...spec.inputs!, { name: 'mask', dims: ['N', 3] }] }),
    refused(),
  );
  o(
    'int64-input',
    'an int64 input (Benchtop feeds float32)',
    buildOnnx({ ...spec, inputs: [{ name: 'features', dims: ['N', 3], elemType: INT64 }] }),
    refused('int64'),
  );
  o(
    'width-mismatch',
    'valid model that takes 5 features; the dataset has 3',
    buildOnnx({
      ...spec,
      inputs: [{ name: 'features', dims: ['N', 5] }],
      inits: [{ name: 'W', dims: [5, 1], raw: f32([1, 2, 3, 4, 5]) }, spec.inits![1]!],
    }),
    refused('5'),
    { outcome: 'accepted', substrings: [] },
  );
  o(
    'dangling-node-input',
    'a node reads "Q", which nothing defines',
    buildOnnx({
      ...spec,
      nodes: [{ op: 'Gemm', inputs: ['features', 'Q', 'B'], outputs: ['logits'] }, spec.nodes![1]!],
    }),
    refused(),
  );
  o('opset-999', 'opset 999 (from the future)', buildOnnx({ ...spec, opset: 999 }), refused());
  o(
    'length-overflow',
    'the graph field claims 4 GiB of bytes in a 20-byte file',
    concat(Buffer.from([0x08, 0x08, 0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f]), lcgBytes(12, 17)),
    refused(),
  );
}

// ---------------------------------------------------------------------------------------------------
// Model folders
// ---------------------------------------------------------------------------------------------------

function modelCases(b: Bases) {
  const predict = ['predict', '--model', '{input}', '--data', '{base}/train.csv', '--out', '{out}/predictions.csv'];
  const info = ['info', '--model', '{input}'];
  const m = (
    id: string,
    wrong: string,
    files: Record<string, string | Bytes>,
    e: Expectation,
    o: { info?: boolean; core?: Partial<Expectation>; e2e?: boolean } = {},
  ) => {
    const targets: Target[] = [{ core: 'filesToBundle', expect: o.core }, { cli: predict }];
    if (o.info) targets.push({ cli: info, expect: o.core });
    const prefixed = Object.fromEntries(Object.entries(files).map(([f, x]) => [`${id}/${f}`, x]));
    add({ id, category: 'model-folder', wrong, input: id, targets, expect: e, e2e: o.e2e }, prefixed);
  };
  const without = (files: Record<string, Bytes>, name: string) =>
    Object.fromEntries(Object.entries(files).filter(([f]) => f !== name));
  const net = b.net,
    tree = b.tree;
  const modelJson = () => JSON.parse(dec.decode(net['model.json'])) as Record<string, any>;
  const withModelJson = (edit: (mj: Record<string, any>) => void) => {
    const mj = modelJson();
    edit(mj);
    return { ...net, 'model.json': json(mj) };
  };
  const weights = () => new Float32Array(net['weights.bin']!.slice().buffer);
  const pre = () => JSON.parse(dec.decode(net['preprocessing.json'])) as Record<string, any>;
  const run = () => JSON.parse(dec.decode(net['run.json'])) as Record<string, any>;

  m('valid-network', 'valid: the base MLP folder from benchtop train', net, accepted(), { info: true });
  m('valid-tree', 'valid: the base decision tree folder', tree, accepted(), { info: true });
  m('missing-weights-bin', 'weights.bin was not copied', without(net, 'weights.bin'), refused('weights.bin'), {
    info: true,
    e2e: true,
  });
  m('missing-model-json', 'model.json was not copied', without(net, 'model.json'), refused('model.json'), {
    info: true,
  });
  m(
    'missing-preprocessing',
    'preprocessing.json is missing',
    without(net, 'preprocessing.json'),
    refused('preprocessing.json'),
  );
  m('missing-run-json', 'run.json is missing', without(net, 'run.json'), refused('run.json'));
  m(
    'empty-folder',
    'an empty folder',
    { '.keep': '' },
    refused(['model.json', 'classical.json', 'no model', 'not a Benchtop model']),
  );
  m('model-json-not-json', 'model.json is not JSON', { ...net, 'model.json': 'not json {' }, refused('model.json'), {
    info: true,
    e2e: true,
  });
  m('model-json-empty', 'model.json is empty', { ...net, 'model.json': '' }, refused('model.json'));
  m(
    'model-json-utf16',
    'model.json re-saved as UTF-16 by an editor',
    { ...net, 'model.json': utf16le(dec.decode(net['model.json']), true) },
    refused('model.json'),
  );
  m(
    'model-json-no-topology',
    'model.json has no modelTopology',
    withModelJson((mj) => delete mj.modelTopology),
    refused('model.json'),
  );
  m(
    'units-1e9',
    'the first Dense layer claims 1e9 units (weights manifest unchanged): building it would need 12 GB',
    withModelJson((mj) => (mj.modelTopology.config.layers[0].config.units = 1e9)),
    refused('model.json', 'units'),
    { e2e: true },
  );
  m(
    'units-negative',
    'the first Dense layer has -4 units',
    withModelJson((mj) => (mj.modelTopology.config.layers[0].config.units = -4)),
    refused('model.json', 'units'),
  );
  m(
    'units-fractional',
    'the first Dense layer has 2.5 units',
    withModelJson((mj) => (mj.modelTopology.config.layers[0].config.units = 2.5)),
    refused('units'),
  );
  {
    const w = weights();
    w[0] = NaN;
    w[5] = NaN;
    m(
      'nan-weights',
      'two weights are NaN (a diverged training run)',
      { ...net, 'weights.bin': new Uint8Array(w.buffer) },
      refused('weights.bin'),
      {
        e2e: true,
      },
    );
  }
  {
    const w = weights();
    w[2] = Infinity;
    m(
      'infinite-weights',
      'a weight is Infinity',
      { ...net, 'weights.bin': new Uint8Array(w.buffer) },
      refused('weights.bin'),
    );
  }
  m(
    'truncated-weights',
    'weights.bin is cut short by 10 bytes',
    { ...net, 'weights.bin': net['weights.bin']!.slice(0, -10) },
    refused('weights.bin'),
    { e2e: true, info: true },
  );
  m(
    'weights-extra-bytes',
    'weights.bin has 16 bytes too many',
    { ...net, 'weights.bin': concat(net['weights.bin']!, new Uint8Array(16)) },
    refused('weights.bin'),
  );
  m(
    'weights-shape-swapped',
    'the manifest says the first kernel is [4, 3]; the topology makes [3, 4]',
    withModelJson((mj) => (mj.weightsManifest[0].weights[0].shape = [4, 3])),
    refused(['model.json', 'shape', 'kernel']),
  );
  m(
    'preprocessing-input-size-mismatch',
    'preprocessing.json says 5 inputs; the network takes 3',
    { ...net, 'preprocessing.json': json({ ...pre(), inputSize: 5, inputNames: ['a', 'b', 'c', 'd', 'e'] }) },
    refused('preprocessing.json'),
  );
  m(
    'preprocessing-wrong-format',
    'preprocessing.json has another format tag',
    { ...net, 'preprocessing.json': json({ ...pre(), format: 'sklearn-pipeline' }) },
    refused('preprocessing.json'),
  );
  m(
    'preprocessing-not-json',
    'preprocessing.json is a pickle',
    { ...net, 'preprocessing.json': lcgBytes(200, 19) },
    refused('preprocessing.json'),
  );
  {
    const p = pre();
    p.features[1].mean = 'NaN';
    p.features[1].std = null;
    m(
      'preprocessing-nan-mean',
      'feature b has mean "NaN" and std null',
      { ...net, 'preprocessing.json': json(p) },
      refused('preprocessing.json', ['mean', 'std', '"b"', 'b']),
    );
  }
  {
    const p = pre();
    p.features[2].column = 'zzz';
    m(
      'preprocessing-unknown-column',
      'the model reads a column "zzz" that the data does not have',
      { ...net, 'preprocessing.json': json(p) },
      refused('zzz'),
      { core: accepted() },
    );
  }
  m(
    'run-json-wrong-types',
    'run.json has "status": 42 and "history": "nope"',
    { ...net, 'run.json': json({ ...run(), status: 42, history: 'nope' }) },
    refused('run.json', ['status', 'history']),
    { info: true },
  );
  m(
    'run-json-not-json',
    'run.json is not JSON',
    { ...net, 'run.json': '{"format": "benchtop-run@2", ' },
    refused('run.json'),
  );
  m(
    'run-json-no-format',
    'run.json has no format tag',
    { ...net, 'run.json': json({ ...run(), format: undefined }) },
    refused('run.json'),
  );
  m('run-json-is-array', 'run.json is an array', { ...net, 'run.json': '[1, 2]' }, refused('run.json'));
  m(
    'classical-json-corrupt',
    'classical.json is cut in half',
    { ...tree, 'classical.json': tree['classical.json']!.slice(0, tree['classical.json']!.length / 2) },
    refused('classical.json'),
    { e2e: true, info: true },
  );
  m(
    'classical-json-unknown-family',
    'classical.json names the family "quantum"',
    { ...tree, 'classical.json': json({ family: 'quantum', state: {} }) },
    refused('classical.json', 'quantum'),
  );
  m(
    'classical-json-state-garbage',
    "classical.json's tree state has strings where arrays go",
    {
      ...tree,
      'classical.json': json({ family: 'tree', state: { feature: 'x', threshold: null, left: 3, width: -1 } }),
    },
    refused('classical.json'),
  );
  // Zipped model folders (what the app exports).
  const z = (id: string, wrong: string, content: string | Bytes, e: Expectation) => {
    const file = `${id}.zip`;
    add(
      {
        id,
        category: 'model-folder',
        wrong,
        input: file,
        targets: [{ core: 'unzipBundle' }, { cli: predict }, { cli: info }],
        expect: named(file, e),
      },
      { [file]: content },
    );
  };
  const netZip = zipFixed(net);
  z('model-zip-valid', 'valid: the base MLP as a zip', netZip, accepted());
  z('model-zip-not-zip', 'a text file named model.zip', 'this is not a zip\n', refused());
  z('model-zip-truncated', 'the model zip cut in half', netZip.slice(0, netZip.length / 2), refused());
}

// ---------------------------------------------------------------------------------------------------
// Bundles
// ---------------------------------------------------------------------------------------------------

function bundleCases(b: Bases) {
  const seed = b.seed;
  // Damaged copies start from the net run under a new id and without the version, so no id collides with
  // the seeded store and the damage itself is what an import meets first.
  const fresh: { files: Record<string, Bytes>; sel: BundleSelection } = {
    files: {},
    sel: { ...seed.sel, runs: ['corpus-net-copy'], versions: [] },
  };
  for (const [p, x] of Object.entries(seed.files)) {
    if (p.startsWith('versions/') || p.startsWith('cards/')) continue;
    const q = p.replace('runs/corpus-net-run/', 'runs/corpus-net-copy/');
    fresh.files[q] = q.endsWith('/run.json') ? json({ ...JSON.parse(dec.decode(x)), id: 'corpus-net-copy' }) : x;
  }
  const runPath = 'runs/corpus-net-copy/run.json';
  const bz = (
    id: string,
    wrong: string,
    content: string | Bytes | null,
    e: Expectation,
    o: { e2e?: boolean; generated?: CorpusCase['generated'] } = {},
  ) => {
    const file = `${id}.zip`;
    add(
      {
        id,
        category: 'bundle',
        wrong,
        input: o.generated ? undefined : file,
        generated: o.generated,
        targets: [{ core: 'importBundle' }, { cli: ['bundle-import', '{input}', '--store', '{store}'] }],
        expect: { store: e.outcome === 'refused' ? 'unchanged' : 'added', ...named(file, e) },
        e2e: o.e2e,
      },
      content ? { [file]: content } : {},
    );
  };
  const edited = (edit: (files: Record<string, Bytes>, sel: BundleSelection) => void, from = fresh) => {
    const files = { ...from.files };
    const sel = structuredClone(from.sel);
    edit(files, sel);
    return packBundle(files, sel);
  };
  const seedRun = () => JSON.parse(dec.decode(seed.files['runs/corpus-net-run/run.json'])) as Record<string, any>;
  const freshRun = () => JSON.parse(dec.decode(fresh.files[runPath])) as Record<string, any>;
  const seedZip = packBundle(seed.files, seed.sel);
  const freshZip = packBundle(fresh.files, fresh.sel);

  bz(
    'valid-other-run',
    'valid: a bundle of a run the store does not have',
    packBundle(b.treeBundle.files, b.treeBundle.sel),
    accepted(),
  );
  bz('not-a-zip', 'a text file named .zip', 'PK? no, just text\n', refused(), { e2e: true });
  bz('empty-file', 'zero bytes', new Uint8Array(0), refused());
  bz('truncated', 'the bundle cut at 70%', freshZip.slice(0, Math.floor(freshZip.length * 0.7)), refused());
  bz(
    'zip-bomb-claimed-size',
    'weights.bin claims 4 GB uncompressed (headers patched)',
    patchClaimedSize(freshZip, 'runs/corpus-net-copy/model/weights.bin', 0xfffffff0),
    refused(),
  );
  bz('zip-bomb-600mb', 'a real bomb: 600 MB of zeros deflated to about 600 KB', null, refused(), {
    generated: { kind: 'zip-bomb-600mb', note: 'streamed to a temp file at test time' },
  });
  bz('zip-25k-files', '25,000 tiny entries', null, refused(), {
    generated: { kind: 'zip-25k-files', note: 'zipped at test time (about 2.5 MB)' },
  });
  bz(
    'path-traversal',
    'an entry named ../x (with a valid manifest)',
    packBundle({ ...fresh.files, '../x': enc.encode('pwned') }, fresh.sel),
    refused('../x'),
    { e2e: true },
  );
  bz(
    'absolute-path',
    'an entry named /etc/cron.d/x',
    packBundle({ ...fresh.files, '/etc/cron.d/x': enc.encode('* * * * * root id') }, fresh.sel),
    refused('/etc/cron.d/x'),
  );
  bz(
    'backslash-path',
    'an entry named runs\\..\\..\\x (Windows separators)',
    packBundle({ ...fresh.files, 'runs\\..\\..\\x': enc.encode('x') }, fresh.sel),
    refused(),
  );
  {
    const files = { ...fresh.files };
    files[runPath] = enc.encode(dec.decode(files[runPath]).replace('"finished"', '"failed"'));
    bz(
      'checksum-mismatch',
      'run.json was edited after export (manifest checksum no longer matches)',
      zipFixed({ ...files, 'manifest.json': json(JSON.parse(dec.decode(zipEntry(freshZip, 'manifest.json')))) }),
      refused('run.json'),
      { e2e: true },
    );
  }
  bz(
    'run-json-wrong-types',
    'run.json has "status": 42 and "history": "nope", with checksums fixed',
    edited((f) => (f[runPath] = json({ ...freshRun(), status: 42, history: 'nope' }))),
    refused('run.json', ['status', 'history']),
    { e2e: true },
  );
  bz(
    'run-json-metrics-garbage',
    'run.json has "metrics": "x" and no fingerprint, with checksums fixed',
    edited((f) => (f[runPath] = json({ ...freshRun(), metrics: 'x', fingerprint: undefined }))),
    refused('run.json', ['metrics', 'fingerprint']),
  );
  bz('manifest-missing', 'no manifest.json', zipFixed(fresh.files), refused('manifest.json'));
  bz(
    'manifest-not-json',
    'manifest.json is not JSON',
    zipFixed({ ...fresh.files, 'manifest.json': enc.encode('{"format":') }),
    refused('manifest.json'),
  );
  bz(
    'manifest-wrong-format',
    'manifest.json has another format tag',
    zipFixed({
      ...fresh.files,
      'manifest.json': json({ format: 'mlflow-export@3', files: {}, runs: [], versions: [] }),
    }),
    refused('manifest'),
  );
  {
    const manifest = JSON.parse(dec.decode(zipEntry(freshZip, 'manifest.json')));
    bz(
      'file-not-in-manifest',
      'an extra file notes.txt that the manifest does not list',
      zipFixed({ ...fresh.files, 'notes.txt': enc.encode('hi'), 'manifest.json': json(manifest) }),
      refused('notes.txt'),
    );
    const { [runPath.replace('run.json', 'model/weights.bin')]: _dropped, ...rest } = fresh.files;
    bz(
      'listed-but-missing',
      'the manifest lists weights.bin but the zip lacks it',
      zipFixed({ ...rest, 'manifest.json': json(manifest) }),
      refused('weights.bin'),
    );
  }
  bz(
    'duplicate-run-ids-in-manifest',
    'the manifest lists run corpus-tree-run twice',
    packBundle(b.treeBundle.files, { ...b.treeBundle.sel, runs: ['corpus-tree-run', 'corpus-tree-run'] }),
    { ...either(refused('corpus-tree-run'), 'accepted'), store: 'added' },
  );
  bz('run-already-in-store-identical', 'the store already holds this very bundle', seedZip, {
    ...accepted(),
    store: 'same',
  });
  {
    const files = { ...seed.files };
    for (const p of Object.keys(files)) if (p.startsWith('versions/') || p.startsWith('cards/')) delete files[p];
    files['runs/corpus-net-run/run.json'] = json({
      ...seedRun(),
      name: 'someone else’s run with the same id',
      tags: ['other'],
    });
    bz(
      'run-id-already-in-store-different',
      'a different run under an id the store already has (must keep both, never replace)',
      packBundle(files, { ...seed.sel, versions: [] }),
      { ...accepted(), store: 'keep-both' },
    );
  }
  {
    const vPath = 'versions/corpus-net%401/version.json';
    const v = JSON.parse(dec.decode(seed.files[vPath])) as Record<string, any>;
    bz(
      'version-id-already-in-store',
      'version corpus-net@1 exists in the store; the bundle brings another corpus-net@1',
      edited((f) => (f[vPath] = json({ ...v, description: 'retrained elsewhere', tags: ['other'] })), seed),
      { ...accepted(), store: 'keep-both' },
    );
  }
  {
    const ds = Object.keys(seed.files).find((p) => p.endsWith('.bin') && p.startsWith('datasets/'))!;
    bz(
      'dataset-bin-altered',
      'the dataset bytes were altered and the checksums recomputed (content hash no longer matches)',
      edited((f) => {
        const x = f[ds]!.slice();
        x[x.length - 3] = x[x.length - 3]! ^ 0x01;
        f[ds] = x;
      }),
      refused('datasets/'),
    );
  }
  const wPath = 'runs/corpus-net-copy/model/weights.bin';
  bz(
    'weights-truncated-in-bundle',
    'weights.bin inside the bundle is cut short, with checksums fixed',
    edited((f) => (f[wPath] = f[wPath]!.slice(0, -8))),
    refused('weights.bin'),
  );
  {
    const w = new Float32Array(fresh.files[wPath]!.slice().buffer);
    w[1] = NaN;
    bz(
      'nan-weights-in-bundle',
      'a NaN weight inside the bundle, with checksums fixed',
      edited((f) => (f[wPath] = new Uint8Array(w.buffer))),
      refused('weights.bin'),
    );
  }
  {
    const mPath = 'runs/corpus-net-copy/model/model.json';
    const mj = JSON.parse(dec.decode(fresh.files[mPath])) as Record<string, any>;
    mj.modelTopology.config.layers[0].config.units = 1e9;
    bz(
      'units-1e9-in-bundle',
      'a Dense layer of 1e9 units inside the bundle, with checksums fixed',
      edited((f) => (f[mPath] = json(mj))),
      refused('units'),
    );
  }
  bz(
    'version-without-run',
    'a version whose run is not in the bundle',
    edited((f, sel) => {
      for (const p of Object.keys(f)) if (p.startsWith('runs/')) delete f[p];
      sel.runs = [];
    }, seed),
    refused(),
  );
}

function zipEntry(zip: Bytes, name: string): Bytes {
  return unzipSync(zip)[name]!;
}

// ---------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------

function httpCases() {
  const INFER = '/v2/models/corpus/infer';
  const JSONH = { 'content-type': 'application/json' };
  const good = { inputs: [{ name: 'features', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] };
  const h = (
    id: string,
    wrong: string,
    req: HttpRequestSpec | null,
    e: Expectation,
    generated?: CorpusCase['generated'],
  ) => {
    add(
      {
        id,
        category: 'http',
        wrong,
        input: req ? 'request.json' : undefined,
        generated,
        targets: [{ http: true }],
        expect: e,
      },
      req ? { 'request.json': JSON.stringify(req, null, 1) } : {},
    );
  };
  const post = (body: unknown, headers: Record<string, string> = JSONH, path = INFER): HttpRequestSpec => ({
    method: 'POST',
    path,
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const bad = (status: number[], ...s: Match[]): Expectation => ({ ...refused(...s), status });
  const b400 = (...s: Match[]) => bad([400, 422], ...s);
  const withInput = (x: Record<string, unknown>) => ({ inputs: [{ ...good.inputs[0], ...x }] });

  h('valid-infer', 'valid: one row of three features', post(good), { ...accepted(), status: [200] });
  h(
    'form-urlencoded',
    'a form post (content-type application/x-www-form-urlencoded)',
    post('features=1,2,3', { 'content-type': 'application/x-www-form-urlencoded' }),
    bad([400, 415]),
  );
  h(
    'xml-body',
    'an XML body with content-type text/xml',
    post('<inputs><x>1</x></inputs>', { 'content-type': 'text/xml' }),
    bad([400, 415]),
  );
  h('malformed-json', 'a body cut off mid-JSON', post('{"inputs": [{"name": "features", "shape": [1, 3'), b400('JSON'));
  h('json-trailing-comma', 'a trailing comma in the body', post('{"inputs": [],}'), b400('JSON'));
  h('empty-body', 'POST with an empty body', post(''), b400());
  h('json-null', 'the body is the JSON value null', post('null'), b400(['inputs', 'body', 'object']));
  h('json-number', 'the body is 42', post('42'), b400('inputs'));
  h('inputs-empty', '"inputs": []', post({ inputs: [] }), b400('inputs'));
  h('inputs-not-list', '"inputs": "features"', post({ inputs: 'features' }), b400('inputs'));
  h(
    'wrong-tensor-shape',
    'shape [1, 5] with 5 values; the model takes 3 features',
    post(withInput({ shape: [1, 5], data: [1, 2, 3, 4, 5] })),
    b400('shape'),
  );
  h(
    'shape-data-mismatch',
    'shape [2, 3] with only 3 values',
    post(withInput({ shape: [2, 3] })),
    b400(['shape', 'values']),
  );
  h('negative-shape', 'shape [-1, 3]', post(withInput({ shape: [-1, 3] })), b400('shape'));
  h('huge-shape', 'shape [1e12, 3] with 3 values', post(withInput({ shape: [1e12, 3] })), b400('shape'));
  h('shape-missing', 'no shape', post(withInput({ shape: undefined })), b400('shape'));
  h(
    'wrong-input-name',
    'input named "x" instead of "features"',
    post(withInput({ name: 'x' })),
    b400(['x', 'features']),
  );
  h(
    'nan-string-in-data',
    'data ["NaN", 2, 3]',
    post(withInput({ data: ['NaN', 2, 3] })),
    b400(['features', 'NaN', 'number']),
  );
  h('null-in-data', 'data [null, 2, 3]', post(withInput({ data: [null, 2, 3] })), b400(['features', 'null', 'number']));
  h(
    'nan-literal-in-body',
    'data [NaN, 2, 3] (a JavaScript literal, not JSON)',
    post('{"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":[NaN,2,3]}]}'),
    b400(['JSON', 'NaN']),
  );
  h(
    'huge-number-in-data',
    'data [1e400, 2, 3] (JSON.parse gives Infinity)',
    post('{"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":[1e400,2,3]}]}'),
    b400(['features', 'finite', 'Infinity', '1e400']),
  );
  h(
    'string-datatype',
    'datatype BYTES with strings',
    post(withInput({ datatype: 'BYTES', data: ['a', 'b', 'c'] })),
    b400(['BYTES', 'datatype', 'features']),
  );
  h(
    'deep-nested-data',
    'data nested 100,000 deep (a recursive flatten overflows its stack)',
    post(
      `{"inputs":[{"name":"features","shape":[1,3],"datatype":"FP32","data":${'['.repeat(100_000)}1${']'.repeat(100_000)}}]}`,
    ),
    b400(),
  );
  h(
    'binary-header-length-bogus',
    'Inference-Header-Content-Length larger than the body',
    post(good, { ...JSONH, 'inference-header-content-length': '99999999' }),
    b400('Inference-Header-Content-Length'),
  );
  h(
    'tfserving-instances-not-list',
    'TF Serving: "instances": 5',
    post({ instances: 5 }, JSONH, '/v1/models/corpus:predict'),
    b400('instances'),
  );
  h(
    'tfserving-both-keys',
    'TF Serving: both "instances" and "inputs"',
    post({ instances: [[1, 2, 3]], inputs: [[1, 2, 3]] }, JSONH, '/v1/models/corpus:predict'),
    b400('instances'),
  );
  h(
    'tfserving-ragged-instances',
    'TF Serving: rows of 3 and 2 values',
    post(
      {
        instances: [
          [1, 2, 3],
          [1, 2],
        ],
      },
      JSONH,
      '/v1/models/corpus:predict',
    ),
    b400(),
  );
  h('unknown-route', 'GET /v3/anything', { method: 'GET', path: '/v3/anything', headers: {} }, bad([404]));
  h(
    'unknown-model',
    'infer on a model this server does not have',
    post(good, JSONH, '/v2/models/nope/infer'),
    bad([404], 'nope'),
  );
  h(
    'bad-percent-encoding',
    'a model name with broken percent-encoding (%E0%A4%A)',
    post(good, JSONH, '/v2/models/%E0%A4%A/infer'),
    bad([400, 404]),
  );
  h('wrong-method-get-infer', 'GET on the infer route', { method: 'GET', path: INFER, headers: {} }, bad([405]));
  h(
    'wrong-method-delete',
    'DELETE on the model',
    { method: 'DELETE', path: '/v2/models/corpus', headers: {} },
    bad([405]),
  );
  h('body-over-64mib-content-length', 'a body of 70 MiB announced by Content-Length', null, bad([413]), {
    kind: 'http-content-length-over',
    note: 'streamed at test time: headers claim 70 MiB, then the body is sent until the server answers',
  });
  h('body-over-64mib-chunked', 'a chunked body that grows past 64 MiB', null, bad([413]), {
    kind: 'http-chunked-over',
    note: 'streamed at test time in 1 MiB chunks until the server answers',
  });
  h(
    'slowloris-headers',
    'headers sent one byte every 2 s and never finished',
    null,
    { ...refused(), status: [408, 0] },
    {
      kind: 'http-slowloris',
      note: 'at test time: the server must close the connection (or answer 408) within 30 s and keep serving others',
    },
  );
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  rmSync(CASES, { recursive: true, force: true });
  const b = await makeBases();
  csvCases();
  jsonCases();
  onnxCases(b);
  modelCases(b);
  bundleCases(b);
  httpCases();
  const index: CorpusIndex = {
    format: 'benchtop-bad-input-corpus@1',
    generatedBy: 'npx tsx tests/corpus/make-corpus.ts',
    bases: {
      'train.csv': '60 rows: numeric a, b, c and a yes/no label',
      net: 'benchtop train --model mlp --hidden 4 --epochs 2 --seed 1 on train.csv (run id pinned to corpus-net-run)',
      tree: 'benchtop train --model tree --max-depth 2 --seed 1 on train.csv (run id corpus-tree-run)',
      'model.onnx': 'benchtop export --format onnx of net; served as "corpus" for the HTTP cases',
      'seed-bundle.zip': 'net run + its dataset + version corpus-net@1; every store-touching case starts from it',
    },
    cases,
  };
  writeFileSync(join(CASES, 'index.json'), JSON.stringify(index, null, 1) + '\n');
  const by = new Map<string, number>();
  for (const c of cases) by.set(c.category, (by.get(c.category) ?? 0) + 1);
  process.stdout.write(`${cases.length} cases: ${[...by].map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
}

await main();
