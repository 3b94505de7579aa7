/**
 * Benjamini–Hochberg step-up adjusted p-values (false discovery rate), as
 * statsmodels' `multipletests(method='fdr_bh')`: p̃_(i) = min_{j ≥ i} min(1, m·p_(j)/j).
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const m = p.length;
  const order = p.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(m);
  let running = 1;
  for (let r = m - 1; r >= 0; r--) {
    const [v, i] = order[r]!;
    running = Math.min(running, (v * m) / (r + 1));
    out[i] = Math.min(1, running);
  }
  return out;
}

/** Bonferroni-adjusted p-values: min(1, m·p). */
export function bonferroni(p: readonly number[]): number[] {
  return p.map((v) => Math.min(1, v * p.length));
}
