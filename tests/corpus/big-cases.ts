/**
 * The corpus's cases too large to commit, written to a temp directory at test time (index.json lists
 * them with `generated`). Each writer streams, so the test process never holds more than a few MB of
 * what it writes.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { zipSync } from 'fflate';
import type { Generated } from './corpus-types.ts';
import { deflatedZeros, json, manifestOf, rawZip } from './zip-tools.ts';

const MB = 2 ** 20;

/** A CSV of `bytes` bytes: the base header and rows repeated. */
function writeBigCsv(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    const header = Buffer.from('a,b,c,label\n');
    writeSync(fd, header);
    const lines: string[] = [];
    for (let i = 0, n = 0; n < MB; i++) {
      const line = `${i % 97},${(i * 37) % 17},${i % 13},${i % 3 ? 'no' : 'yes'}\n`;
      lines.push(line);
      n += line.length;
    }
    const block = Buffer.from(lines.join(''));
    for (let written = header.length; written < bytes; written += block.length) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
}

function write100kColumns(path: string): void {
  const n = 100_000;
  const header = Array.from({ length: n - 1 }, (_, i) => `f${i}`).join(',') + ',label\n';
  const rows = Array.from(
    { length: 20 },
    (_, r) => Array.from({ length: n - 1 }, (_, i) => String((i * 7 + r) % 2)).join(',') + (r % 2 ? ',yes\n' : ',no\n'),
  );
  writeFileSync(path, header + rows.join(''));
}

/** A bundle whose one dataset file inflates to 600 MB of zeros (about 600 KB on disk). */
async function writeZipBomb(path: string): Promise<void> {
  const size = 600 * MB;
  const { data, crc } = await deflatedZeros(size);
  const manifest = json({
    format: 'benchtop-bundle@1',
    createdAt: '2024-01-02T03:04:05.000Z',
    runs: [],
    versions: [],
    datasets: ['bomb'],
    files: { 'datasets/bomb.bin': { sha256: '0'.repeat(64), bytes: size } },
  });
  writeFileSync(
    path,
    rawZip([
      { name: 'manifest.json', method: 0, crc: crc32(manifest), compressed: manifest, size: manifest.length },
      { name: 'datasets/bomb.bin', method: 8, crc, compressed: data, size },
    ]),
  );
}

function writeManyFiles(path: string): void {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 25_000; i++) files[`junk/${i}`] = new Uint8Array([i & 0xff]);
  const sel = { runs: [], versions: [], datasets: [] };
  writeFileSync(path, zipSync({ ...files, 'manifest.json': json(manifestOf(files, sel)) }, { level: 0 }));
}

const made = new Map<string, Promise<string>>();

/**
 * The path of a generated case's input, written on first use into `dir`. The name carries the case id
 * so messages can name it.
 */
export function generatedInput(g: Generated, id: string, dir: string): Promise<string> {
  const key = `${g.kind}:${id}`;
  let p = made.get(key);
  if (!p) {
    p = (async () => {
      switch (g.kind) {
        case 'csv-600mb': {
          const path = join(dir, `${id}.csv`);
          writeBigCsv(path, 600 * MB);
          return path;
        }
        case 'csv-100k-columns': {
          const path = join(dir, `${id}.csv`);
          write100kColumns(path);
          return path;
        }
        case 'zip-bomb-600mb': {
          const path = join(dir, `${id}.zip`);
          await writeZipBomb(path);
          return path;
        }
        case 'zip-25k-files': {
          const path = join(dir, `${id}.zip`);
          writeManyFiles(path);
          return path;
        }
        default:
          throw new Error(`${g.kind} is made by the HTTP runner, not as a file`);
      }
    })();
    made.set(key, p);
  }
  return p;
}
