import { describe, expect, it } from 'vitest';
import { finishUtf8, newUtf8Scan, scanUtf8 } from './utf8.ts';

describe('streaming UTF-8 scan', () => {
  it('accepts a multibyte character split across chunks', () => {
    const bytes = new TextEncoder().encode('a\nKöln 東京\n');
    const s = newUtf8Scan();
    for (let i = 0; i < bytes.length; i += 3) scanUtf8(s, bytes.subarray(i, i + 3));
    expect(finishUtf8(s)).toBe(true);
    expect(s.line).toBe(3);
  });
  it('rejects a sequence cut off at the end', () => {
    const s = newUtf8Scan();
    scanUtf8(s, Uint8Array.of(0x61, 0xe6, 0x9d));
    expect(finishUtf8(s)).toBe(false);
  });
  it('agrees with TextDecoder(fatal) on random bytes', () => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let t = 0; t < 500; t++) {
      const b = Uint8Array.from({ length: 12 }, rnd);
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b);
      } catch {
        valid = false;
      }
      const s = newUtf8Scan();
      scanUtf8(s, b);
      expect(finishUtf8(s)).toBe(valid);
    }
  });
});
