import { upgradeConfig } from '../../core/store/upgrade.ts';
import type { CatalogId } from '../../core/data/catalog.ts';
import { withRole } from '../../core/data/schema.ts';
import type { RunRecord, TrainConfig } from '../../core/model/spec.ts';

/** A lesson's model, written flat (family kind and its fields). */
export type ModelSpec = Record<string, unknown> & { kind?: string };
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

/** A lesson's configuration: the family's defaults, the lesson's model fields and its optimiser settings. */
export function config(seed: number, model: ModelSpec, extra: Record<string, unknown> = {}): TrainConfig {
  return upgradeConfig({ ...extra, seed, model });
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
