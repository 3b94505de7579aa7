import { proxy } from 'comlink';
import { f3, layout, line, loadData, unwrap } from './helpers.ts';
import type { LessonContext, LessonOutput, Params } from './types.ts';

/** The "data-parallel" lesson (see LESSONS): runs in the workers and computes what to notice. */
export async function dataParallel(p: Params, ctx: LessonContext): Promise<LessonOutput> {
  const seed = Number(p.seed);
  const ds = await loadData(ctx, 'digits');
  const r = unwrap(
    await ctx.trainer.lessonDataParallel(
      ds.id,
      ds.schema.label!,
      {
        workers: Number(p.workers),
        batch: 64,
        lr: Number(p.lr),
        budget: Number(p.budget),
        stragglerMs: Number(p.straggler),
        seed,
      },
      proxy((d: number, t: number) => ctx.progress(d, t, 'training')),
    ),
  );
  const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / Math.max(1, x.length);
  return {
    figures: [
      {
        title: 'Loss against gradient computations',
        figure: {
          data: [
            line('synchronous', r.sync.gradients, r.sync.loss, '#2563eb'),
            line('asynchronous', r.async.gradients, r.async.loss, '#ea580c'),
          ],
          layout: layout('Validation loss against gradients computed', 'gradient computations', 'cross-entropy'),
        },
      },
      {
        title: 'Loss against wall-clock time',
        figure: {
          data: [
            line('synchronous', r.sync.ms, r.sync.loss, '#2563eb'),
            line('asynchronous', r.async.ms, r.async.loss, '#ea580c'),
          ],
          layout: layout('Validation loss against time', 'ms', 'cross-entropy'),
        },
      },
      {
        title: 'Staleness',
        figure: {
          data: [{ type: 'histogram', name: 'asynchronous', x: r.async.staleness, marker: { color: '#ea580c' } }],
          layout: layout('Staleness of the gradients asynchronous SGD applied', 'versions behind', 'gradients'),
        },
      },
      {
        title: 'Larger global batch',
        figure: {
          data: [
            line(`batch ${r.batch}, lr ${r.lr}`, r.sync.steps, r.sync.loss, '#2563eb'),
            line(`batch ${r.batch * 4}, lr ${r.lr}`, r.bigBatch.steps, r.bigBatch.loss, '#9333ea'),
            line(`batch ${r.batch * 4}, lr ${r.lr * 4}`, r.bigBatchScaledLr.steps, r.bigBatchScaledLr.loss, '#16a34a'),
          ],
          layout: layout('A 4× larger global batch, per step', 'step', 'cross-entropy'),
        },
      },
    ],
    notices: [
      {
        key: 'final-loss',
        value: r.async.loss.at(-1)! - r.sync.loss.at(-1)!,
        text:
          `After ${r.sync.gradients.at(-1)} gradient computations on ${r.workers} workers: synchronous ` +
          `loss ${f3(r.sync.loss.at(-1)!)}, asynchronous ${f3(r.async.loss.at(-1)!)}.`,
      },
      {
        key: 'wall-clock',
        value: r.sync.ms.at(-1)! / r.async.ms.at(-1)!,
        text:
          `Synchronous SGD took ${Math.round(r.sync.ms.at(-1)!)} ms, ` +
          `asynchronous ${Math.round(r.async.ms.at(-1)!)} ms — the straggler sets the synchronous pace.`,
        holds: r.async.ms.at(-1)! < r.sync.ms.at(-1)!,
      },
      {
        key: 'staleness',
        value: mean(r.async.staleness),
        text:
          `Asynchronous gradients were on average ${mean(r.async.staleness).toFixed(2)} versions stale ` +
          `(at most ${Math.max(...r.async.staleness)}); synchronous ones 0.`,
        holds: Math.max(...r.async.staleness) > 0,
      },
      {
        key: 'big-batch',
        value: r.bigBatch.loss.at(-1)! - r.bigBatchScaledLr.loss.at(-1)!,
        text:
          `With a 4× batch and the same learning rate the loss after ${r.bigBatch.steps.at(-1)} steps ` +
          `is ${f3(r.bigBatch.loss.at(-1)!)}; with 4× the learning rate ${f3(r.bigBatchScaledLr.loss.at(-1)!)}.`,
        holds: r.bigBatchScaledLr.loss.at(-1)! < r.bigBatch.loss.at(-1)!,
      },
    ],
  };
}
