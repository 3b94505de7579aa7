/**
 * Index of the largest value in each row of a row-major n × k matrix (first on ties, like numpy).
 * Cost: O(n·k).
 * @example argmaxRows(Float32Array.of(0.2, 0.8, 0.9, 0.1), 2) // Int32Array [1, 0]
 */
export function argmaxRows(m: ArrayLike<number>, k: number): Int32Array {
  const n = Math.floor(m.length / k);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (m[i * k + j]! > m[i * k + best]!) best = j;
    out[i] = best;
  }
  return out;
}
