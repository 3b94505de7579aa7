import { config, f3, layout, loadData, pct, train } from './helpers.ts';
import { ruleBranches } from '../../core/insight/index.ts';
import type { LessonContext, LessonOutput, Params } from './types.ts';

/** The "baselines" lesson (see LESSONS): runs in the workers and computes what to notice. */
export async function baselines(p: Params, ctx: LessonContext): Promise<LessonOutput> {
  const seed = Number(p.seed);
  const ds = await loadData(ctx, 'german-credit');
  ctx.progress(0, 1, 'training');
  const { run } = await train(
    ctx,
    ds,
    'baselines',
    config(seed, { kind: String(p.model), hidden: [32] }, { epochs: Number(p.epochs), learningRate: 0.003 }),
    { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed },
  );
  ctx.progress(1, 1, 'training');
  const zero = run.baselines!.find((b) => b.kind === 'zero-rule')!,
    heur = run.baselines!.find((b) => b.kind === 'threshold');
  const rows = [
    { name: zero.name, m: zero.test! },
    ...(heur ? [{ name: `${heur.name}: ${heur.detail}`, m: heur.test! }] : []),
    { name: `model (${p.model})`, m: run.metrics.test! },
  ];
  const lift = run.metrics.test!.accuracy! - zero.test!.accuracy!;
  // The rule baseline predicts different classes on its two sides when any single-feature rule can.
  const branches = heur ? ruleBranches(heur) : null;
  const agree = !branches || branches[0] === branches[1];
  const ruleLift = heur ? heur.test!.accuracy! - zero.test!.accuracy! : 0;
  const ruleNotice = heur
    ? {
        key: 'rule-accuracy',
        value: heur.test!.accuracy!,
        text: agree
          ? `No single feature separates the classes on its own: the best one-feature rule predicts ` +
            `"${branches?.[0] ?? zero.detail}" on both sides, so it is the zero-rule again.`
          : `The best one-feature rule (${heur.detail}) scores ${pct(heur.test!.accuracy!)} — ` +
            (ruleLift >= 0
              ? `${(ruleLift * 100).toFixed(1)} points above`
              : `${(-ruleLift * 100).toFixed(1)} points below`) +
            ` the zero-rule, with macro F1 ${f3(heur.test!.macroF1!)} against ${f3(zero.test!.macroF1!)}.`,
        holds: !agree,
      }
    : null;
  return {
    figures: [
      {
        title: 'Accuracy and macro F1 on the test split',
        figure: {
          data: [
            { type: 'bar', name: 'accuracy', x: rows.map((r) => r.name), y: rows.map((r) => r.m.accuracy) },
            { type: 'bar', name: 'macro F1', x: rows.map((r) => r.name), y: rows.map((r) => r.m.macroF1) },
          ],
          layout: layout('Baselines against the model (test split)', '', 'score', { barmode: 'group' }),
        },
      },
    ],
    notices: [
      {
        key: 'zero-rule-accuracy',
        value: zero.test!.accuracy!,
        text:
          `Always answering the majority class scores ${pct(zero.test!.accuracy!)} accuracy — without ` +
          `looking at a single feature.`,
      },
      {
        key: 'model-accuracy',
        value: run.metrics.test!.accuracy!,
        text:
          `The model scores ${pct(run.metrics.test!.accuracy!)}: ` +
          (lift >= 0 ? `${(lift * 100).toFixed(1)} points above` : `${(-lift * 100).toFixed(1)} points below`) +
          ` the zero-rule.`,
        holds: lift > 0,
      },
      {
        key: 'macro-f1-gap',
        value: run.metrics.test!.macroF1! - zero.test!.macroF1!,
        text:
          `Macro F1 tells them apart: zero-rule ${f3(zero.test!.macroF1!)}, ` +
          `model ${f3(run.metrics.test!.macroF1!)}.`,
        holds: run.metrics.test!.macroF1! > zero.test!.macroF1!,
      },
      ...(ruleNotice ? [ruleNotice] : []),
    ],
    table: {
      head: ['', 'accuracy', 'macro F1'],
      rows: rows.map((r) => [r.name, f3(r.m.accuracy!), f3(r.m.macroF1!)]),
    },
  };
}
