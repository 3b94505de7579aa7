import type { CatalogId } from '../../core/data/catalog.ts';
import { withRole } from '../../core/data/schema.ts';
import { DEFAULT_TRAIN_CONFIG, type ModelSpec, type RunRecord, type TrainConfig } from '../../core/model/spec.ts';
import type { Result } from '../../core/util/result.ts';
import { chartLayout, lineTrace } from '../plots/figure.ts';
import type { LessonContext } from './types.ts';

/** Shared by the lessons: unwrap a worker result, format numbers, load a shipped dataset, train. */
export const unwrap = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
export const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');
export const layout = chartLayout;
export const line = lineTrace;

export async function loadData(ctx: LessonContext, id: CatalogId) {
  return unwrap(await ctx.data.loadCatalog(id));
}

export function config(seed: number, model: Partial<ModelSpec>, extra: Partial<TrainConfig> = {}): TrainConfig {
  return { ...DEFAULT_TRAIN_CONFIG, seed, ...extra, model: { ...DEFAULT_TRAIN_CONFIG.model, ...model } };
}

export async function train(
  ctx: LessonContext,
  ds: Awaited<ReturnType<typeof loadData>>,
  name: string,
  cfg: TrainConfig,
  split: RunRecord['split'],
) {
  const schema = withRole(ds.schema, ds.schema.label!, 'label');
  return unwrap(
    await ctx.trainer.train({
      runId: `lesson-${name}-${cfg.seed}`,
      runName: name,
      datasetId: ds.id,
      schema,
      split,
      config: cfg,
    }),
  );
}
