/**
 * Finds the first byte sequence that is not valid UTF-8 and the 1-based line it sits on.
 * Accepts a running state so it can scan a stream chunk by chunk.
 *
 * Reference: RFC 3629 §4 (well-formed sequences; overlongs and surrogates rejected).
 * Cost: O(bytes), one pass.
 * @example const s = newUtf8Scan(); scanUtf8(s, bytes); if (s.badLine) ...
 */
export interface Utf8Scan {
  /** Continuation bytes still expected by the current sequence. */
  need: number;
  /** Allowed range for the next continuation byte (narrowed after E0, ED, F0, F4). */
  lo: number;
  hi: number;
  line: number;
  offset: number;
  /** Set at the first invalid byte. */
  badLine: number | null;
  badOffset: number | null;
}

export function newUtf8Scan(): Utf8Scan {
  return { need: 0, lo: 0x80, hi: 0xbf, line: 1, offset: 0, badLine: null, badOffset: null };
}

/** Scans one chunk; stops at the first invalid byte. Returns false once invalid. */
export function scanUtf8(s: Utf8Scan, bytes: Uint8Array): boolean {
  if (s.badLine !== null) return false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (s.need > 0) {
      if (b < s.lo || b > s.hi) return markBad(s, i);
      s.need--;
      s.lo = 0x80;
      s.hi = 0xbf;
      continue;
    }
    if (b < 0x80) {
      if (b === 0x0a) s.line++;
      continue;
    }
    if (b >= 0xc2 && b <= 0xdf) s.need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      s.need = 2;
      if (b === 0xe0) s.lo = 0xa0;
      if (b === 0xed) s.hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      s.need = 3;
      if (b === 0xf0) s.lo = 0x90;
      if (b === 0xf4) s.hi = 0x8f;
    } else return markBad(s, i);
  }
  s.offset += bytes.length;
  return true;
}

/** Call after the last chunk: a sequence cut off by the end of input is invalid too. */
export function finishUtf8(s: Utf8Scan): boolean {
  if (s.badLine === null && s.need > 0) {
    s.badLine = s.line;
    s.badOffset = s.offset;
  }
  return s.badLine === null;
}

function markBad(s: Utf8Scan, i: number): false {
  s.badLine = s.line;
  s.badOffset = s.offset + i;
  return false;
}
