import type { RunRecord } from '../core/model/spec.ts';

/** The orders the runs list offers. */
export type RunSort = 'newest' | 'oldest' | 'best' | 'name';

/**
 * Runs matching a search, in the chosen order. Search terms (all must match): words found in the
 * name, status, model, dataset, tags or config; `tag:x`; `status:x`; `param=value`, `param<n`,
 * `param>n` over the config, the model's parameters and the validation metrics. `experiment` keeps
 * the runs of one experiment ('all' keeps every run). Cost: O(runs × terms); returns a new array.
 *
 * @example filterRuns(runs, 'tag:baseline epochs>10', 'all', 'best')
 */
export function filterRuns(runs: readonly RunRecord[], query: string, experiment: string, sort: RunSort): RunRecord[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const text = (r: RunRecord) =>
    [r.name, r.status, r.config.kind, r.dataset.name, ...(r.tags ?? []), JSON.stringify(r.config).toLowerCase()]
      .join(' ')
      .toLowerCase();
  const matches = (r: RunRecord, t: string) => {
    if (t.startsWith('tag:')) return (r.tags ?? []).some((x) => x.toLowerCase() === t.slice(4));
    if (t.startsWith('status:')) return r.status === t.slice(7);
    const m = /^([a-z0-9_.]+)([<>=])(.+)$/i.exec(t);
    if (m) {
      const [, key, op, raw] = m;
      const flat: Record<string, unknown> = {
        kind: r.config.kind,
        seed: r.config.seed,
        ...r.config.params,
        ...r.metrics.validation,
      };
      const v = flat[Object.keys(flat).find((k) => k.toLowerCase() === key!.toLowerCase()) ?? ''];
      if (v === undefined) return false;
      const num = Number(raw);
      if (op === '=') return String(v).toLowerCase() === raw || (Number.isFinite(num) && Number(v) === num);
      return op === '<' ? Number(v) < num : Number(v) > num;
    }
    return text(r).includes(t);
  };
  const out = runs.filter(
    (r) => (experiment === 'all' || (r.experimentId ?? 'default') === experiment) && terms.every((t) => matches(r, t)),
  );
  const score = (r: RunRecord) =>
    r.task === 'classification'
      ? (r.metrics.validation.accuracy ?? -Infinity)
      : -(r.metrics.validation.rmse ?? Infinity);
  const by = {
    newest: (a: RunRecord, b: RunRecord) => b.createdAt.localeCompare(a.createdAt),
    oldest: (a: RunRecord, b: RunRecord) => a.createdAt.localeCompare(b.createdAt),
    best: (a: RunRecord, b: RunRecord) => (score(b) || 0) - (score(a) || 0),
    name: (a: RunRecord, b: RunRecord) => a.name.localeCompare(b.name),
  }[sort];
  return out.sort(by);
}
