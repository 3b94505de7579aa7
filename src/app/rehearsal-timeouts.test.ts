import { describe, expect, it } from 'vitest';
import { rehearse, type Responder } from '../core/rollout/rehearsal.ts';
import { rehearsalTimeouts } from './rehearsal-timeouts.ts';

// A stalled side: a real rehearsal (src/core/rollout/rehearsal.ts) whose challenger never answers, so
// every call to it is cut off at the per-call limit.
const stream = { n: 4, y: Int32Array.of(0, 1, 0, 1), task: 'classification' as const, classes: ['a', 'b'] };
const answers: Responder = {
  name: 'fast',
  kind: 'heuristic',
  predict: async (rows) => Float64Array.from({ length: rows.length * 2 }, (_, i) => (i % 2 ? 0.2 : 0.8)),
};
// It ignores the abort signal, as a hung connection would: the rehearsal races it against the limit.
const stalls: Responder = { name: 'stalled', kind: 'remote', predict: () => new Promise(() => {}) };

describe('the timeouts a rehearsal shows', () => {
  it('counts the calls cut off at the per-call limit, with the limit and concurrency it ran with', async () => {
    const r = await rehearse(
      'shadow',
      answers,
      stalls,
      stream,
      { kind: 'shadow', requests: 12, seed: 1, callTimeoutMs: 20, concurrency: 4 },
      { signal: new AbortController().signal },
    );
    expect(rehearsalTimeouts(r)).toEqual({ timedOut: 12, callTimeoutMs: 20, concurrency: 4 });
  });

  it('sums every figure that counts timeouts; none for a test without them; no limit for old records', () => {
    const t = rehearsalTimeouts({
      config: { kind: 'shadow', requests: 10, seed: 1 },
      summary: [
        { name: 'Champion timeouts (of its errors)', value: 2 },
        { name: 'Challenger timeouts (of its errors)', value: 3 },
        { name: 'Primary time budget ms', value: 200 },
        { name: 'Agreement', value: '90%' },
      ],
    });
    expect(t).toEqual({ timedOut: 5, callTimeoutMs: null, concurrency: 1 });
    const bandit = rehearsalTimeouts({
      config: { kind: 'bandit', requests: 10, seed: 1, callTimeoutMs: 2000, concurrency: 8 },
      summary: [{ name: 'Better version', value: 'champion' }],
    });
    expect(bandit.timedOut).toBeNull();
  });
});
