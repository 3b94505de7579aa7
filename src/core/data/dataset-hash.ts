import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Table } from './table.ts';
import { canonicalNumber } from './values.ts';

/**
 * The dataset version id: SHA-256 of the normalized table, hex. Normalization makes the id depend
 * on content only, not on spelling: column names and cells trimmed, every missing-value token
 * becomes empty, numbers take their canonical form ("1.0" → "1"), and each row is hashed as the
 * JSON array of its cells preceded by the JSON array of column names. So the same data gets the same
 * id whether it came as CSV or JSON, with CRLF or LF, quoted or not.
 * Cost: O(cells), incremental (no second copy of the table).
 * @example await datasetVersionId(table) // 'e3b0c442…'
 */
export function datasetVersionId(table: Table): string {
  const h = sha256.create();
  const enc = new TextEncoder();
  h.update(enc.encode(JSON.stringify(table.columns.map((c) => c.name)) + '\n'));
  const canon = table.columns.map((c) => c.dictionary.map((s) => JSON.stringify(canonicalNumber(s))));
  const width = table.columns.length;
  let buf: string[] = [];
  for (let r = 0; r < table.rowCount; r++) {
    const cells = new Array<string>(width);
    for (let c = 0; c < width; c++) {
      const code = table.columns[c]!.codes[r]!;
      cells[c] = code < 0 ? '""' : canon[c]![code]!;
    }
    buf.push('[' + cells.join(',') + ']\n');
    if (buf.length === 4096) {
      h.update(enc.encode(buf.join('')));
      buf = [];
    }
  }
  if (buf.length > 0) h.update(enc.encode(buf.join('')));
  return bytesToHex(h.digest());
}
