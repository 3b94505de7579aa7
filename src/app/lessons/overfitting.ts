import type { Figure } from '../plots/figure.ts';
import { config, f3, layout, line, loadData, pct, train } from './helpers.ts';
import type { LessonContext, LessonOutput, Params } from './types.ts';

/** The "overfitting" lesson (see LESSONS): runs in the workers and computes what to notice. */
export async function overfitting(p: Params, ctx: LessonContext): Promise<LessonOutput> {
  const seed = Number(p.seed);
  const ds = await loadData(ctx, 'digits');
  const sizes = [0.05, 0.15, 0.4, 0.7];
  const nets = [
    { name: 'small', hidden: Number(p.small) },
    { name: 'large', hidden: Number(p.large) },
  ];
  const res: Record<string, { train: number[]; val: number[] }> = {
    small: { train: [], val: [] },
    large: { train: [], val: [] },
  };
  const labelsX = sizes.map((s) => `${Math.round(s * 100)}%`);
  const curves = (): Figure => ({
    data: [
      line('small: train', labelsX, res.small!.train, '#2563eb', 'dot'),
      line('small: validation', labelsX, res.small!.val, '#2563eb'),
      line('large: train', labelsX, res.large!.train, '#ea580c', 'dot'),
      line('large: validation', labelsX, res.large!.val, '#ea580c'),
    ],
    layout: layout('Loss against training-set size', 'share of the data used for training', 'cross-entropy'),
  });
  let done = 0;
  for (const net of nets)
    for (const s of sizes) {
      ctx.progress(done++, sizes.length * nets.length, `training ${net.name} on ${pct(s)}`);
      const { run } = await train(
        ctx,
        ds,
        `${net.name}-${s}`,
        config(seed, { kind: 'mlp', hidden: [net.hidden] }, { epochs: Number(p.epochs), learningRate: 0.003 }),
        { kind: 'stratified', fractions: [s, 0.2, 0.8 - s], seed },
      );
      res[net.name]!.train.push(run.metrics.train.loss);
      res[net.name]!.val.push(run.metrics.validation.loss);
      ctx.partial?.({ figures: [{ title: 'Learning curves', figure: curves() }], notices: [] });
    }
  const xs = sizes.map((s) => `${Math.round(s * 100)}%`);
  const gap0 = res.large!.val[0]! - res.large!.train[0]!,
    gapS = res.small!.val[0]! - res.small!.train[0]!;
  const gain = (r: { val: number[] }) => r.val[2]! - r.val[3]!;
  return {
    figures: [{ title: 'Learning curves', figure: curves() }],
    notices: [
      {
        key: 'large-gap-small-data',
        value: gap0,
        text:
          `On ${xs[0]} of the data the large network's validation loss is ${f3(res.large!.val[0]!)} ` +
          `against ${f3(res.large!.train[0]!)} on its training rows — a gap of ${f3(gap0)} (the small ` +
          `network's gap: ${f3(gapS)}): it memorized.`,
        holds: gap0 > gapS,
      },
      {
        key: 'small-saturates',
        value: gain(res.small!),
        text:
          `From ${xs[2]} to ${xs[3]} of the data, validation loss falls by ${f3(gain(res.small!))} for ` +
          `the small network and ${f3(gain(res.large!))} for the large one.`,
        holds: gain(res.small!) < gain(res.large!),
      },
      {
        key: 'small-final-val',
        value: res.small!.val[3]!,
        text:
          `With the most data the small network ends at validation loss ${f3(res.small!.val[3]!)}, the ` +
          `large one at ${f3(res.large!.val[3]!)}.`,
      },
    ],
  };
}
