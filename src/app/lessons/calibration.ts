import { config, f3, layout, loadData, pct, train, unwrap } from './helpers.ts';
import type { LessonContext, LessonOutput, Params } from './types.ts';

/** The "calibration" lesson (see LESSONS): runs in the workers and computes what to notice. */
export async function calibration(p: Params, ctx: LessonContext): Promise<LessonOutput> {
  const seed = Number(p.seed);
  const ds = await loadData(ctx, 'german-credit');
  ctx.progress(0, 2, 'training an over-confident network');
  const { run, model } = await train(
    ctx,
    ds,
    'overconfident',
    config(
      seed,
      { kind: 'mlp', hidden: [Number(p.hidden), Number(p.hidden)], dropout: 0, l2: 0 },
      { epochs: Number(p.epochs), learningRate: 0.003 },
    ),
    { kind: 'stratified', fractions: [0.6, 0.2, 0.2], seed },
  );
  ctx.progress(1, 2, 'temperature scaling');
  const cal = unwrap(
    await ctx.trainer.deriveFrom({ run, model }, { kind: 'calibrate', method: 'temperature' }, `lesson-cal-${seed}`),
  );
  ctx.progress(2, 2, 'done');
  const c = cal.run.calibration!;
  const lowerOrNot = c.after.ece < c.before.ece ? 'lower' : 'not lower';
  const diag = (s: typeof c.before, name: string, color: string) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name,
    x: s.bins.filter((b) => b.count).map((b) => b.confidence),
    y: s.bins.filter((b) => b.count).map((b) => b.frequency),
    line: { color },
  });
  return {
    figures: [
      {
        title: 'Reliability diagram',
        figure: {
          data: [
            {
              type: 'scatter',
              mode: 'lines',
              name: 'perfect calibration',
              x: [0, 1],
              y: [0, 1],
              line: { color: '#9ca3af', dash: 'dash' },
            },
            diag(c.before, 'before', '#dc2626'),
            diag(c.after, 'after temperature scaling', '#16a34a'),
          ],
          layout: layout(
            'Reliability on the test split: confidence against how often it is right',
            'confidence of the predicted class',
            'share correct',
          ),
        },
      },
    ],
    notices: [
      { key: 'ece-before', value: c.before.ece, text: `Expected calibration error before: ${f3(c.before.ece)}.` },
      {
        key: 'ece-after',
        value: c.after.ece,
        text: `After temperature scaling: ${f3(c.after.ece)} — ${lowerOrNot}.`,
        holds: c.after.ece < c.before.ece,
      },
      {
        key: 'accuracy-unchanged',
        value: c.after.accuracy - c.before.accuracy,
        text:
          `Accuracy ${pct(c.before.accuracy)} → ${pct(c.after.accuracy)}: dividing the logits by one ` +
          `temperature does not change which class is largest.`,
        holds: Math.abs(c.after.accuracy - c.before.accuracy) < 1e-9,
      },
    ],
  };
}
