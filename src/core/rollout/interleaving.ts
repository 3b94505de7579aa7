import type { Random } from '../util/random.ts';

/**
 * Team-draft interleaving (Radlinski, Kurup & Joachims 2008): two rankers' lists are merged as two
 * captains pick teams — the side with fewer picks (a coin flip on ties) adds its highest-ranked item
 * not yet shown. A click credits the team that contributed the item; over many queries, the share of
 * queries each side wins is the preference, tested against 50% with a sign test.
 */
export function teamDraft<T>(
  a: readonly T[],
  b: readonly T[],
  length: number,
  rng: Random,
): { items: T[]; team: ('A' | 'B')[] } {
  const items: T[] = [],
    team: ('A' | 'B')[] = [];
  const shown = new Set<T>();
  let ia = 0,
    ib = 0,
    na = 0,
    nb = 0;
  const next = (list: readonly T[], i: number) => {
    while (i < list.length && shown.has(list[i]!)) i++;
    return i;
  };
  while (items.length < length) {
    ia = next(a, ia);
    ib = next(b, ib);
    if (ia >= a.length && ib >= b.length) break;
    const pickA = ib >= b.length || (ia < a.length && (na < nb || (na === nb && rng.next() < 0.5)));
    const item = pickA ? a[ia]! : b[ib]!;
    shown.add(item);
    items.push(item);
    team.push(pickA ? 'A' : 'B');
    if (pickA) na++;
    else nb++;
  }
  return { items, team };
}

/** Credits one query's clicks: which team got more (or a tie). */
export function creditClicks(team: readonly ('A' | 'B')[], clicked: readonly number[]): 'A' | 'B' | 'tie' {
  let a = 0,
    b = 0;
  for (const i of clicked) team[i] === 'A' ? a++ : b++;
  return a > b ? 'A' : b > a ? 'B' : 'tie';
}

/** Preference over queries: wins, share of decided queries won by B, and a two-sided sign-test p-value. */
export function interleavingPreference(outcomes: readonly ('A' | 'B' | 'tie')[]): {
  winsA: number;
  winsB: number;
  ties: number;
  preferB: number;
  p: number;
} {
  let winsA = 0,
    winsB = 0,
    ties = 0;
  for (const o of outcomes) o === 'A' ? winsA++ : o === 'B' ? winsB++ : ties++;
  const n = winsA + winsB,
    k = Math.min(winsA, winsB);
  // Exact binomial tail, two-sided: 2·P(X ≤ k) for X ~ Bin(n, ½), capped at 1; summed in log space.
  let tail = 0;
  let logC = 0; // log C(n, 0)
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log((n - i + 1) / i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return { winsA, winsB, ties, preferB: n ? winsB / n : 0.5, p: n ? Math.min(1, 2 * tail) : 1 };
}
