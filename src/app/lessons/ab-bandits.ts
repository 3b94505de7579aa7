import { layout, line } from './helpers.ts';
import type { LessonContext, LessonOutput, Params } from './types.ts';

/** The "ab-bandits" lesson (see LESSONS): runs in the workers and computes what to notice. */
export async function abBandits(p: Params, ctx: LessonContext): Promise<LessonOutput> {
  const seed = Number(p.seed);
  ctx.progress(0, 1, 'replaying');
  const r = await ctx.trainer.lessonAbBandit({
    rateA: Number(p.rateA),
    rateB: Number(p.rateB),
    requests: Number(p.requests),
    alpha: 0.05,
    seed,
  });
  ctx.progress(1, 1, 'done');
  const abN = r.ab.decidedAt,
    bN = r.bandit.decidedAt;
  return {
    figures: [
      {
        title: 'Regret',
        figure: {
          data: [
            line('A/B test (50/50, then the winner)', r.trace.x, r.ab.regret, '#2563eb'),
            line('Thompson sampling', r.trace.x, r.bandit.regret, '#ea580c'),
          ],
          layout: layout('Conversions lost against always showing the better version', 'request', 'cumulative regret'),
        },
      },
      {
        title: 'Evidence',
        figure: {
          data: [
            line('A/B: always-valid p', r.trace.x, r.trace.pAlways, '#2563eb'),
            line('bandit: P(B better)', r.trace.x, r.trace.probB, '#ea580c'),
          ],
          layout: layout('Evidence as the requests arrive', 'request', 'probability', {
            yaxis: { title: { text: 'p / probability' }, range: [0, 1] },
          }),
        },
      },
      {
        title: 'Traffic to B',
        figure: {
          data: [line('bandit: share of traffic to B', r.trace.x, r.bandit.shareB, '#ea580c')],
          layout: layout('Where the bandit sends traffic', 'request', 'share to B', { yaxis: { range: [0, 1] } }),
        },
      },
    ],
    notices: [
      {
        key: 'ab-samples',
        value: abN ?? NaN,
        text: abN
          ? `The A/B test decided for ${r.ab.winner} after ${abN.toLocaleString()} requests.`
          : `The A/B test did not reach a decision in ${r.requests.toLocaleString()} requests.`,
      },
      {
        key: 'bandit-samples',
        value: bN ?? NaN,
        text: bN
          ? `The bandit was 95% sure of ${r.bandit.winner} after ${bN.toLocaleString()} requests ` +
            `— ${abN && bN < abN ? 'fewer' : 'not fewer'} than the A/B test.`
          : 'The bandit never reached 95% certainty.',
        holds: !!(abN && bN && bN < abN),
      },
      {
        key: 'regret',
        value: r.ab.regret.at(-1)! - r.bandit.regret.at(-1)!,
        text:
          `Conversions lost on the way: A/B ${r.ab.regret.at(-1)!.toFixed(1)}, ` +
          `bandit ${r.bandit.regret.at(-1)!.toFixed(1)}.`,
        holds: r.bandit.regret.at(-1)! < r.ab.regret.at(-1)!,
      },
    ],
  };
}
