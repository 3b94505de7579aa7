import type { RehearsalResult } from '../core/rollout/rehearsal.ts';

/**
 * The page's defaults for every rehearsal call: abandoned after 2 s (a stalled server costs at most
 * that per call, and is counted as a timeout), 8 requests in flight — as `benchtop rehearse` runs.
 */
export const REHEARSAL_CALL_DEFAULTS = Object.freeze({ callTimeoutMs: 2000, concurrency: 8 });

/** The most requests a rehearsal keeps in flight (as the command line allows). */
export const MAX_REHEARSAL_CONCURRENCY = 256;

/** Why the per-call limits cannot be used (a sentence naming the field), or null when they can. */
export function callLimitsProblem(callTimeoutMs: number, concurrency: number): string | null {
  if (!Number.isFinite(callTimeoutMs) || callTimeoutMs < 1)
    return 'Per-call timeout (ms) must be a number of milliseconds, at least 1.';
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_REHEARSAL_CONCURRENCY)
    return `Requests in flight must be a whole number from 1 to ${MAX_REHEARSAL_CONCURRENCY}.`;
  return null;
}

/** What a rehearsal's per-call limit did: how many calls it cut off, under which limit and concurrency. */
export interface RehearsalTimeouts {
  /** Calls abandoned at a time limit, summed over the figures that count them; null when the test has none (bandits count failed rows). */
  timedOut: number | null;
  /** The per-call limit the rehearsal ran with (ms), or null for none (rehearsals saved before there was one). */
  callTimeoutMs: number | null;
  /** Requests in flight at once. */
  concurrency: number;
}

// The figures of src/core/rollout/rehearsal.ts that count timeouts: "Champion timeouts (of its
// errors)", "Timeouts (of the errors)", "… of which a side timed out", "… of which timeouts".
const COUNTS_TIMEOUTS = /\btimeouts?\b|\btimed out\b/i;

/**
 * The timeouts of a rehearsal as the page sums them up, read from its summary figures (the core
 * counts them per test) and its configuration.
 * @example rehearsalTimeouts(result) // { timedOut: 3, callTimeoutMs: 2000, concurrency: 8 }
 */
export function rehearsalTimeouts(r: Pick<RehearsalResult, 'summary' | 'config'>): RehearsalTimeouts {
  let timedOut: number | null = null;
  for (const s of r.summary)
    if (typeof s.value === 'number' && COUNTS_TIMEOUTS.test(s.name)) timedOut = (timedOut ?? 0) + s.value;
  const limit = r.config.callTimeoutMs;
  return {
    timedOut,
    callTimeoutMs: typeof limit === 'number' && Number.isFinite(limit) ? limit : null,
    concurrency: Math.max(1, Math.floor(r.config.concurrency ?? 1)),
  };
}
