import { DEFAULT_RULES } from '../../core/drift/timeline.ts';
import { config, f3, layout, line, loadData, pct, train, unwrap } from './helpers.ts';
import type { LessonContext, LessonOutput, Params } from './types.ts';

/** The "shift" lesson (see LESSONS): runs in the workers and computes what to notice. */
export async function shift(p: Params, ctx: LessonContext): Promise<LessonOutput> {
  const seed = Number(p.seed);
  const ds = await loadData(ctx, 'seattle-weather');
  const share = Number(p.trainShare);
  ctx.progress(0, 3, 'training on the first months');
  const { run, model } = await train(
    ctx,
    ds,
    'weather',
    config(seed, { kind: 'mlp', hidden: [16] }, { epochs: 30, learningRate: 0.01 }),
    { kind: 'time', fractions: [share, 0.05, 0.95 - share], seed, timeColumn: 'date' },
  );
  ctx.progress(1, 3, 'monthly drift');
  const tl = unwrap(
    await ctx.trainer.monitorTimeline(
      { run, model },
      ds.id,
      { by: 'time', column: 'date', unit: 'month', mode: 'sliding' },
      DEFAULT_RULES,
    ),
  );
  {
    const lb = tl.points.map((x) => x.label);
    ctx.partial?.({
      figures: [
        {
          title: 'temp_max against the training months',
          figure: {
            data: [
              line(
                'KS statistic',
                lb,
                tl.points.map((x) => x.features.find((f) => f.feature === 'temp_max')?.statistic ?? NaN),
                '#2563eb',
              ),
              line(
                'PSI',
                lb,
                tl.points.map((x) => x.features.find((f) => f.feature === 'temp_max')?.psi ?? NaN),
                '#ea580c',
              ),
            ],
            layout: layout('Maximum temperature: drift per month', 'month', 'statistic'),
          },
        },
      ],
      notices: [],
    });
  }
  ctx.progress(2, 3, 'retraining');
  const cl = unwrap(
    await ctx.trainer.continualLearning(
      { run, model },
      { by: 'time', column: 'date', unit: 'month', mode: 'sliding' },
      { trigger: { kind: 'schedule', every: Number(p.every) }, trainRows: 200, fineTuneEpochs: 5 },
    ),
  );
  ctx.progress(3, 3, 'done');
  const labels = tl.points.map((x) => x.label);
  const feat = (name: string, k: 'statistic' | 'psi') =>
    tl.points.map((x) => x.features.find((f) => f.feature === name)?.[k] ?? NaN);
  const ks = feat('temp_max', 'statistic'),
    psiT = feat('temp_max', 'psi');
  const acc = tl.points.map((x) => x.metric?.value ?? NaN);
  const firstCross = psiT.findIndex((v) => v > 0.25);
  const after = acc.slice(Math.floor(tl.points.length * share));
  const minAcc = Math.min(...after.filter(Number.isFinite));
  return {
    figures: [
      {
        title: 'temp_max against the training months',
        figure: {
          data: [
            line('KS statistic', labels, ks, '#2563eb'),
            line('PSI', labels, psiT, '#ea580c'),
            {
              type: 'scatter',
              mode: 'lines',
              name: 'PSI 0.25',
              x: [labels[0], labels.at(-1)],
              y: [0.25, 0.25],
              line: { color: '#6b7280', dash: 'dash', width: 1 },
            },
          ],
          layout: layout('Maximum temperature: drift per month', 'month', 'statistic'),
        },
      },
      {
        title: 'Accuracy per month',
        figure: {
          data: [line('accuracy', labels, acc, '#16a34a')],
          layout: layout("The model's accuracy per month", 'month', 'accuracy'),
        },
      },
      {
        title: 'Retraining',
        figure: {
          data: (['static', 'stateless', 'stateful'] as const).map((k, i) =>
            line(
              k === 'static' ? 'never retrained' : k,
              cl.windows.map((w) => w.label),
              cl.windows.map((w) => w.metric[k]),
              ['#6b7280', '#2563eb', '#ea580c'][i],
            ),
          ),
          layout: layout('Accuracy on each next month', 'month', 'accuracy'),
        },
      },
    ],
    notices: [
      {
        key: 'psi-crosses',
        value: firstCross,
        text:
          firstCross >= 0
            ? `temp_max's PSI first crosses 0.25 in ${labels[firstCross]} (KS ${f3(ks[firstCross]!)}).`
            : "temp_max's PSI never crosses 0.25 here.",
        holds: firstCross >= 0,
      },
      {
        key: 'accuracy-min',
        value: minAcc,
        text:
          `Accuracy per month ranges down to ${pct(minAcc)} after the training period (its own ` +
          `months: ${pct(acc[0]!)} in ${labels[0]}).`,
      },
      {
        key: 'retrain',
        value: cl.summary.stateless - cl.summary.static,
        text:
          `Mean accuracy on the next month: never retrained ${pct(cl.summary.static)}, ` +
          `stateless ${pct(cl.summary.stateless)}, stateful ${pct(cl.summary.stateful)} ` +
          `(${cl.versions.length} versions, ${Math.round(cl.summary.statelessMs + cl.summary.statefulMs)} ms ` +
          `of retraining).`,
      },
    ],
  };
}
