import type { RunRecord } from '../../core/model/spec.ts';
import { config, layout, loadData, pct, train, unwrap } from './helpers.ts';
import type { LessonContext, LessonOutput, Params } from './types.ts';

/** The "compression" lesson (see LESSONS): runs in the workers and computes what to notice. */
export async function compression(p: Params, ctx: LessonContext): Promise<LessonOutput> {
  const seed = Number(p.seed);
  const ds = await loadData(ctx, 'digits');
  ctx.progress(0, 4, 'training');
  const { run, model } = await train(
    ctx,
    ds,
    'digits',
    config(seed, { kind: 'mlp', hidden: [128, 64] }, { epochs: Number(p.epochs), learningRate: 0.003 }),
    { kind: 'stratified', fractions: [0.7, 0.15, 0.15], seed },
  );
  ctx.progress(1, 4, 'int8');
  const q = unwrap(
    await ctx.trainer.deriveFrom(
      { run, model },
      { kind: 'compress', spec: { method: 'int8', perChannel: true, symmetric: true } },
      `lesson-q-${seed}`,
    ),
  );
  ctx.progress(2, 4, 'pruning');
  const pr = unwrap(
    await ctx.trainer.deriveFrom(
      { run, model },
      { kind: 'compress', spec: { method: 'prune', sparsity: Number(p.sparsity), scope: 'global' } },
      `lesson-p-${seed}`,
    ),
  );
  ctx.progress(3, 4, 'per-class accuracy');
  const perClass = async (r: RunRecord, m: typeof model) => {
    const e = unwrap(await ctx.trainer.evaluate({ run: r, model: m }, ds.id, 'test'));
    const mt = e.evaluation.metrics;
    return mt.task === 'classification'
      ? { classes: mt.classes, recall: mt.report.perClass.map((c) => c.recall) }
      : { classes: [], recall: [] };
  };
  const base = await perClass(run, model),
    qc = await perClass(q.run, q.model),
    pc = await perClass(pr.run, pr.model);
  ctx.progress(4, 4, 'done');
  const drops = pc.recall.map((r, i) => base.recall[i]! - r);
  const worst = drops.reduce((b, d, i) => (d > drops[b]! ? i : b), 0);
  const acc = (r: RunRecord) => r.metrics.test!.accuracy!;
  const info = (r: RunRecord) => r.compression!.info;
  return {
    figures: [
      {
        title: 'Per-class accuracy',
        figure: {
          data: [
            { type: 'bar', name: 'float32', x: base.classes, y: base.recall },
            { type: 'bar', name: 'int8', x: qc.classes, y: qc.recall },
            { type: 'bar', name: `pruned ${pct(Number(p.sparsity))}`, x: pc.classes, y: pc.recall },
          ],
          layout: layout('Accuracy per digit (recall), test split', 'class', 'recall', {
            barmode: 'group',
            yaxis: {
              title: { text: 'recall' },
              range: [Math.max(0, Math.min(...pc.recall, ...base.recall) - 0.1), 1],
            },
          }),
        },
      },
    ],
    notices: [
      {
        key: 'int8-size',
        value: info(q.run).storedBytes / info(q.run).parentBytes,
        text:
          `int8 weights take ${pct(info(q.run).storedBytes / info(q.run).parentBytes)} of the float32 ` +
          `size; accuracy ${pct(acc(run))} → ${pct(acc(q.run))}.`,
      },
      {
        key: 'pruned-size',
        value: info(pr.run).gzipBytes / info(q.run).parentBytes,
        text:
          `Pruning ${pct(Number(p.sparsity))} of the weights ` +
          `leaves ${info(pr.run).nonzero.toLocaleString()} of ${info(pr.run).params.toLocaleString()}; ` +
          `compressed it takes ${pct(info(pr.run).gzipBytes / info(pr.run).parentBytes)} of the float32 ` +
          `size; accuracy ${pct(acc(run))} → ${pct(acc(pr.run))}.`,
        holds: acc(pr.run) <= acc(run),
      },
      {
        key: 'worst-class-drop',
        value: drops[worst]!,
        text:
          `The pruned model's loss is uneven: class "${pc.classes[worst]}" ` +
          `loses ${(drops[worst]! * 100).toFixed(1)} points, ` +
          `against ${((acc(run) - acc(pr.run)) * 100).toFixed(1)} overall.`,
        holds: drops[worst]! >= acc(run) - acc(pr.run),
      },
    ],
  };
}
