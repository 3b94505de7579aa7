/**
 * Thin SVD of a row-major m × n matrix by one-sided Jacobi rotations (Hestenes): A = U Σ Vᵀ with
 * singular values descending. Accurate to machine precision; fine for layer-sized matrices.
 * Cost: O(sweeps · m · n²).
 */
export function svd(A: Float64Array, m: number, n: number): { U: Float64Array; S: Float64Array; V: Float64Array } {
  // Work on the columns of A (m × n); V accumulates the rotations (n × n).
  const W = Float64Array.from(A);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let a = 0,
          b = 0,
          c = 0;
        for (let i = 0; i < m; i++) {
          const x = W[i * n + p]!,
            y = W[i * n + q]!;
          a += x * x;
          b += y * y;
          c += x * y;
        }
        if (Math.abs(c) <= 1e-15 * Math.sqrt(a * b)) continue;
        off = Math.max(off, Math.abs(c) / Math.sqrt(a * b));
        const zeta = (b - a) / (2 * c);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t),
          sn = cs * t;
        for (let i = 0; i < m; i++) {
          const x = W[i * n + p]!,
            y = W[i * n + q]!;
          W[i * n + p] = cs * x - sn * y;
          W[i * n + q] = sn * x + cs * y;
        }
        for (let i = 0; i < n; i++) {
          const x = V[i * n + p]!,
            y = V[i * n + q]!;
          V[i * n + p] = cs * x - sn * y;
          V[i * n + q] = sn * x + cs * y;
        }
      }
    }
    if (off < 1e-13) break;
  }
  const sv = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < m; i++) s += W[i * n + j]! ** 2;
    return Math.sqrt(s);
  });
  const order = sv
    .map((s, j) => [s, j] as const)
    .sort((x, y) => y[0] - x[0])
    .map(([, j]) => j);
  const U = new Float64Array(m * n),
    S = new Float64Array(n),
    Vs = new Float64Array(n * n);
  order.forEach((j, r) => {
    S[r] = sv[j]!;
    for (let i = 0; i < m; i++) U[i * n + r] = sv[j]! > 0 ? W[i * n + j]! / sv[j]! : 0;
    for (let i = 0; i < n; i++) Vs[i * n + r] = V[i * n + j]!;
  });
  return { U, S, V: Vs };
}
