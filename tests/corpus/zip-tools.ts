/**
 * Zip helpers for the bad-input corpus: a deterministic Benchtop bundle packer (fixed timestamps, so
 * regenerating the corpus gives the same bytes), a patcher that makes an entry claim a huge size, and a
 * streaming writer for a real zip bomb (600 MB of zeros in about 600 KB) without holding it in memory.
 * Zip layout: PKWARE APPNOTE 6.3.x §4.3 (local header, central directory, end of central directory).
 */
import { crc32, createDeflateRaw } from 'node:zlib';
import { zipSync } from 'fflate';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export const FIXED_TIME = '2024-01-02T03:04:05.000Z';
const MTIME = new Date(FIXED_TIME);
const enc = new TextEncoder();
export const json = (v: unknown) => enc.encode(JSON.stringify(v, null, 1));

export interface BundleSelection {
  runs: string[];
  versions: string[];
  datasets: string[];
}

/** The manifest a Benchtop bundle carries: every file with its SHA-256 and size. */
export function manifestOf(files: Record<string, Uint8Array>, sel: BundleSelection): Record<string, unknown> {
  return {
    format: 'benchtop-bundle@1',
    createdAt: FIXED_TIME,
    ...sel,
    files: Object.fromEntries(
      Object.entries(files).map(([p, b]) => [p, { sha256: bytesToHex(sha256(b)), bytes: b.byteLength }]),
    ),
  };
}

/** Zips files with a fixed modification time. */
export function zipFixed(files: Record<string, Uint8Array>): Uint8Array {
  return zipSync(files, { level: 6, mtime: MTIME });
}

/** A bundle zip whose manifest matches its files (checksums "fixed" after any edit). */
export function packBundle(files: Record<string, Uint8Array>, sel: BundleSelection): Uint8Array {
  return zipFixed({ ...files, 'manifest.json': json(manifestOf(files, sel)) });
}

/**
 * Makes the entry `name` claim `size` uncompressed bytes in both its local header and its central
 * directory record (what a zip bomb's reader sees before inflating anything).
 */
export function patchClaimedSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const dv = new DataView(out.buffer);
  const want = enc.encode(name);
  let patched = 0;
  for (let i = 0; i + 46 < out.length; i++) {
    const sig = dv.getUint32(i, true);
    const isLocal = sig === 0x04034b50,
      isCentral = sig === 0x02014b50;
    if (!isLocal && !isCentral) continue;
    const nameAt = isLocal ? i + 30 : i + 46;
    const nameLen = dv.getUint16(isLocal ? i + 26 : i + 28, true);
    if (nameLen !== want.length || !want.every((b, k) => out[nameAt + k] === b)) continue;
    dv.setUint32(isLocal ? i + 22 : i + 24, size, true);
    patched++;
  }
  if (patched !== 2) throw new Error(`patchClaimedSize: found ${patched} headers for ${name}`);
  return out;
}

function u16(v: number) {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}
function u32(v: number) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

/** A stored (already compressed) entry for {@link rawZip}. */
export interface RawEntry {
  name: string;
  method: 0 | 8;
  crc: number;
  compressed: Uint8Array;
  size: number;
}

/** Assembles a zip from entries whose compressed data is given (no zip64: sizes below 4 GiB). */
export function rawZip(entries: RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    // DOS time 00:00, date 2024-01-02.
    const common = [u16(0), u16(e.method), u16(0), u16(((2024 - 1980) << 9) | (1 << 5) | 2), u32(e.crc)];
    const sizes = [u32(e.compressed.length), u32(e.size), u16(name.length), u16(0)];
    const local = Buffer.concat([u32(0x04034b50), u16(20), ...common, ...sizes, name]);
    parts.push(local, Buffer.from(e.compressed));
    central.push(
      Buffer.concat([
        u32(0x02014b50),
        u16(20),
        u16(20),
        ...common,
        ...sizes,
        u16(0),
        u16(0),
        u16(0),
        u32(0),
        u32(offset),
        name,
      ]),
    );
    offset += local.length + e.compressed.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.concat([
    u32(0x06054b50),
    u16(0),
    u16(0),
    u16(entries.length),
    u16(entries.length),
    u32(cd.length),
    u32(offset),
    u16(0),
  ]);
  return Buffer.concat([...parts, cd, eocd]);
}

/** Deflates `size` zero bytes by streaming 1 MiB chunks; returns the raw deflate data and its CRC-32. */
export async function deflatedZeros(size: number): Promise<{ data: Buffer; crc: number }> {
  const chunk = Buffer.alloc(1 << 20);
  const z = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => (z.on('end', resolve), z.on('error', reject)));
  let crc = 0;
  for (let left = size; left > 0; left -= chunk.length) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    crc = crc32(piece, crc);
    if (!z.write(piece)) await new Promise((r) => z.once('drain', r));
  }
  z.end();
  await done;
  return { data: Buffer.concat(out), crc };
}
