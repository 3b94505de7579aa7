import { describe, expect, it } from 'vitest';
import { createRandom } from '../util/random.ts';
import { samplesPerArm } from '../stats/ab-test.ts';
import { constantResponder, rehearse, type Responder, type ReplayStream } from './rehearsal.ts';

// A binary stream; a responder is right on a fixed, seeded subset of rows with the given accuracy.
const N = 600;
const labels = Int32Array.from({ length: N }, (_, i) => ((i * 7919) % 3 === 0 ? 1 : 0));
const stream: ReplayStream = { n: N, y: labels, task: 'classification', classes: ['no', 'yes'] };

function responder(
  name: string,
  accuracy: number,
  seed: number,
  o: { failEvery?: number; slowEvery?: number; slowMs?: number } = {},
): Responder & { right: Uint8Array } {
  const rng = createRandom(seed);
  const right = Uint8Array.from({ length: N }, () => Number(rng.next() < accuracy));
  return {
    name,
    kind: 'local',
    right,
    predict: async (rows, signal) => {
      const r0 = rows[0]!;
      if (o.failEvery && rows.length === 1 && r0 % o.failEvery === 0) throw new Error('HTTP 500: injected fault');
      if (o.slowEvery && rows.length === 1 && r0 % o.slowEvery === 0)
        await new Promise((res) => {
          const t = setTimeout(res, o.slowMs ?? 100);
          signal.addEventListener('abort', () => (clearTimeout(t), res(undefined)));
        });
      const out = new Float64Array(rows.length * 2);
      rows.forEach((r, i) => {
        const cls = right[r] ? labels[r]! : 1 - labels[r]!;
        out[i * 2 + cls] = 0.8;
        out[i * 2 + 1 - cls] = 0.2;
      });
      return out;
    },
  };
}
const hooks = () => ({ signal: new AbortController().signal });
const val = (r: { summary: { name: string; value: number | string }[] }, name: string) =>
  r.summary.find((s) => s.name.startsWith(name))!.value;

describe('rehearsals over a replayed stream', () => {
  it('shadow: accuracy and agreement are those of the two sides', async () => {
    const A = responder('A', 0.7, 1),
      B = responder('B', 0.9, 2);
    const r = await rehearse('shadow', A, B, stream, { kind: 'shadow', requests: N, seed: 1 }, hooks());
    const accA = A.right.reduce((s, x) => s + x, 0) / N,
      accB = B.right.reduce((s, x) => s + x, 0) / N;
    const agree = A.right.reduce((s, x, i) => s + Number(x === B.right[i]), 0) / N;
    expect(val(r, 'Champion accuracy')).toBeCloseTo(accA, 12);
    expect(val(r, 'Challenger accuracy')).toBeCloseTo(accB, 12);
    expect(val(r, 'Agreement')).toBe(`${(agree * 100).toFixed(1)}%`);
    expect(r.log.length).toBe(Math.min(300, Math.round((1 - agree) * N)));
    expect(r.traces[0]!.series[0]!.y.at(-1)).toBeCloseTo(accA, 12);
  });

  it('A/B: a clearly better challenger is decided by the always-valid p; equal versions rarely are', async () => {
    const better = await rehearse(
      'ab',
      responder('A', 0.6, 3),
      responder('B', 0.9, 4),
      stream,
      { kind: 'ab', requests: 2000, seed: 7, alpha: 0.05, minimumEffect: 0.05 },
      hooks(),
    );
    expect(typeof val(better, 'Decision')).toBe('number');
    expect(better.log[0]!.text).toMatch(/a decision after/);
    expect(val(better, 'Champion accuracy')).toBeGreaterThan(0.5);
    expect((val(better, 'Champion requests') as number) + (val(better, 'Challenger requests') as number)).toBe(2000);
    const needed = val(better, 'Samples per arm');
    expect(needed).toBeGreaterThan(0);
    // The same stream, identical versions: no decision (always-valid keeps α even with peeking).
    const same = responder('A', 0.75, 5);
    const tie = await rehearse('ab', same, same, stream, { kind: 'ab', requests: 2000, seed: 8 }, hooks());
    expect(val(tie, 'Decision')).toBe('not reached');
    // Samples needed is the textbook formula at the observed champion rate.
    const obsA = val(tie, 'Champion accuracy') as number,
      obsB = val(tie, 'Challenger accuracy') as number;
    expect(val(tie, 'Samples per arm')).toBe(samplesPerArm(obsA, obsA + (obsB < obsA ? -0.02 : 0.02)));
  });

  it('canary: a failing challenger is rolled back with the reason; a healthy one completes', async () => {
    const cfg = {
      steps: [0.05, 0.25, 1],
      perStep: 20,
      rule: { maxErrorRate: 0.05, maxP95Ms: 1000, maxAccuracyDrop: 0.05 },
    };
    const bad = await rehearse(
      'canary',
      responder('A', 0.8, 1),
      responder('B', 0.8, 1, { failEvery: 4 }),
      stream,
      { kind: 'canary', requests: 1500, seed: 3, canary: cfg },
      hooks(),
    );
    expect(val(bad, 'Outcome')).toMatch(/rolled back/);
    expect(val(bad, 'Rollback reason')).toMatch(/error rate/);
    expect(bad.log.some((l) => /ROLLED BACK/.test(l.text))).toBe(true);
    const good = await rehearse(
      'canary',
      responder('A', 0.8, 1),
      responder('B', 0.8, 1),
      stream,
      { kind: 'canary', requests: 1500, seed: 3, canary: cfg },
      hooks(),
    );
    expect(val(good, 'Outcome')).toMatch(/complete/);
    expect(good.traces[0]!.series[0]!.y.at(-1)).toBe(1);
  });

  it('interleaving: the more accurate ranker wins the preference', async () => {
    const r = await rehearse(
      'interleaving',
      responder('A', 0.55, 11),
      responder('B', 0.95, 12),
      stream,
      { kind: 'interleaving', requests: 600, seed: 2, listLength: 1 },
      hooks(),
    );
    expect(val(r, 'Preference')).toBe('challenger preferred');
    expect(val(r, 'Share of decided')).toBeGreaterThan(0.6);
    expect(val(r, 'Sign test p')).toBeLessThan(1e-6);
  });

  it('bandits: every policy has less regret than a fixed 50/50 split', async () => {
    const r = await rehearse(
      'bandit',
      responder('A', 0.6, 21),
      responder('B', 0.9, 22),
      stream,
      { kind: 'bandit', requests: 3000, seed: 4 },
      hooks(),
    );
    const regret = (name: string) => Number(String(val(r, name)).split(' / ')[0]);
    const split = regret('50/50');
    for (const p of ['ε-greedy', 'UCB1', 'Thompson']) expect(regret(p)).toBeLessThan(split / 2);
    expect(val(r, 'Better version')).toBe('challenger');
    expect(r.traces[0]!.series).toHaveLength(4);
  });

  it('smooth failing: every request answered; slow primaries counted as timeouts and listed', async () => {
    const A = responder('A', 0.9, 31, { slowEvery: 50, slowMs: 200 }),
      B = constantResponder('majority', Float64Array.of(1, 0));
    const r = await rehearse(
      'fallback',
      A,
      B,
      stream,
      { kind: 'fallback', requests: 200, seed: 1, timeoutMs: 40 },
      hooks(),
    );
    expect(val(r, 'Requests answered')).toBe('200 of 200');
    expect(val(r, 'Fallbacks')).toBe(4); // rows 0, 50, 100, 150
    expect(val(r, '… of which timeouts')).toBe(4);
    expect(r.log.map((l) => l.row)).toEqual([0, 50, 100, 150]);
    const errs = await rehearse(
      'fallback',
      responder('A', 0.9, 31, { failEvery: 10 }),
      B,
      stream,
      { kind: 'fallback', requests: 100, seed: 1, timeoutMs: 500 },
      hooks(),
    );
    expect(val(errs, 'Fallbacks')).toBe(10);
    expect(val(errs, '… of which timeouts')).toBe(0);
    expect(errs.log[0]!.text).toMatch(/injected fault/);
  });

  it('stops when cancelled', async () => {
    const ctl = new AbortController();
    const p = rehearse(
      'shadow',
      responder('A', 0.7, 1),
      responder('B', 0.7, 2),
      stream,
      { kind: 'shadow', requests: 100000, seed: 1 },
      { signal: ctl.signal, onProgress: (d) => d >= 100 && ctl.abort() },
    );
    await expect(p).rejects.toThrow(/Cancelled/);
  });
});
