import { f3, layout, line, pct } from './helpers.ts';
import type { LessonContext, LessonOutput, Params } from './types.ts';

/** The "feedback" lesson (see LESSONS): runs in the workers and computes what to notice. */
export async function feedback(p: Params, ctx: LessonContext): Promise<LessonOutput> {
  const seed = Number(p.seed);
  ctx.progress(0, 1, 'simulating');
  const o = {
    items: Number(p.items),
    groups: 4,
    usersPerGroup: 50,
    slots: 5,
    rounds: Number(p.rounds),
    epsilon: Number(p.epsilon),
    seed,
  };
  const [naive, explore, positional] = await ctx.trainer.lessonFeedbackLoop(o);
  ctx.progress(1, 1, 'done');
  const rs = naive!.rounds.map((r) => r.round);
  const last = (x: typeof naive) => x!.rounds.at(-1)!;
  return {
    figures: [
      {
        title: 'Aggregate diversity',
        figure: {
          data: [
            line(
              'trained on its own clicks',
              rs,
              naive!.rounds.map((r) => r.aggregateDiversity),
              '#dc2626',
            ),
            line(
              `with exploration (ε = ${o.epsilon})`,
              rs,
              explore!.rounds.map((r) => r.aggregateDiversity),
              '#16a34a',
            ),
            line(
              'with a positional feature',
              rs,
              positional!.rounds.map((r) => r.aggregateDiversity),
              '#2563eb',
            ),
          ],
          layout: layout('Share of the catalogue recommended each round', 'round', 'aggregate diversity', {
            yaxis: { range: [0, 1] },
          }),
        },
      },
      {
        title: 'Click rate',
        figure: {
          data: [
            line(
              'own clicks',
              rs,
              naive!.rounds.map((r) => r.ctr),
              '#dc2626',
            ),
            line(
              'exploration',
              rs,
              explore!.rounds.map((r) => r.ctr),
              '#16a34a',
            ),
            line(
              'positional',
              rs,
              positional!.rounds.map((r) => r.ctr),
              '#2563eb',
            ),
          ],
          layout: layout('Clicks per impression', 'round', 'click rate'),
        },
      },
    ],
    notices: [
      {
        key: 'collapse',
        value: last(naive).aggregateDiversity,
        text:
          `Trained on its own clicks, the recommender shows ${pct(naive!.rounds[0]!.aggregateDiversity)} ` +
          `of the catalogue in round 1 and ${pct(last(naive).aggregateDiversity)} in round ${o.rounds}.`,
        holds: last(naive).aggregateDiversity < naive!.rounds[0]!.aggregateDiversity / 2,
      },
      {
        key: 'exploration',
        value: last(explore).aggregateDiversity,
        text:
          `With exploration: ${pct(last(explore).aggregateDiversity)} in the last ` +
          `round, ${pct(explore!.coverage)} of the catalogue ever recommended (own clicks ` +
          `only: ${pct(naive!.coverage)}); click rate ${f3(last(explore).ctr)} against ${f3(last(naive).ctr)}.`,
        holds: last(explore).aggregateDiversity > last(naive).aggregateDiversity,
      },
      {
        key: 'positional',
        value: last(positional).aggregateDiversity,
        text:
          `With a positional feature: ${pct(last(positional).aggregateDiversity)} of the catalogue in ` +
          `the last round, click rate ${f3(last(positional).ctr)}; long-tail share of ` +
          `impressions ${pct(last(positional).longTail)} (own clicks: ${pct(last(naive).longTail)}).`,
      },
    ],
  };
}
