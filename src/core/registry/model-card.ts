import type { RunRecord, SplitMetrics } from '../model/spec.ts';
import { ENSEMBLE_LABELS } from '../model/spec.ts';
import { describeConfig, familyLabel } from '../families/index.ts';
import type { AliasRecord, DatasetRecord, ModelCardProse, ModelVersion } from '../store/records.ts';

/**
 * A model card in the shape of the Model Card Toolkit schema (model_details, model_parameters,
 * quantitative_analysis, considerations), generated from what the registry knows; the prose fields
 * come from the person.
 */
export interface ModelCard {
  schema_version: '0.0.2';
  model_details: {
    name: string;
    overview: string;
    version: { name: string; date: string; diff: string };
    aliases: string[];
    references: { reference: string }[];
  };
  model_parameters: {
    model_architecture: string;
    hyperparameters: Record<string, unknown>;
    data: { name: string; description: string; version: string; rows?: number; split: string }[];
    input_format: string;
    output_format: string;
  };
  quantitative_analysis: {
    performance_metrics: { type: string; value: number; slice: string; split: string }[];
    baselines: { name: string; value: number; metric: string }[];
  };
  considerations: {
    users: { description: string }[];
    use_cases: { description: string }[];
    limitations: { description: string }[];
    tradeoffs: { description: string }[];
    ethical_considerations: { name: string; mitigation_strategy: string }[];
  };
}

const lines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

function metricRows(m: SplitMetrics | undefined, split: string, slice = 'overall') {
  if (!m) return [];
  return (Object.entries(m) as [string, number][])
    .filter(([, v]) => Number.isFinite(v))
    .map(([type, value]) => ({ type, value, slice, split }));
}

/** Builds the card of a version from its run, dataset, aliases and the person's prose. */
export function buildModelCard(
  v: ModelVersion,
  run: RunRecord | undefined,
  dataset: DatasetRecord | undefined,
  aliases: AliasRecord[],
  prose: Partial<ModelCardProse> = {},
): ModelCard {
  const cfg = run ? run.config : null;
  const arch = run?.ensemble
    ? `${ENSEMBLE_LABELS[run.ensemble.method]} of ${run.ensemble.members.length}: ` +
      run.ensemble.members.map((m) => m.name).join('; ')
    : cfg
      ? `${familyLabel(cfg.kind)} — ${describeConfig(cfg)}`
      : v.modelKind;
  const metric = v.task === 'classification' ? 'accuracy' : 'rmse';
  const parentDiff =
    v.relation === 'update'
      ? 'fine-tuned from'
      : v.relation === 'retrain'
        ? 'retrained from scratch after'
        : 'new architecture after';
  return {
    schema_version: '0.0.2',
    model_details: {
      name: v.name,
      overview: prose.overview?.trim() || `${arch}, predicting "${run?.label ?? '?'}" (${v.task}).`,
      version: {
        name: `${v.version} (${v.label})`,
        date: v.createdAt,
        diff: v.parentId ? `${parentDiff} ${v.parentId}` : 'first version',
      },
      aliases: aliases.filter((a) => a.versionId === v.id).map((a) => a.alias),
      references: [{ reference: `Benchtop run ${v.runId}` }],
    },
    model_parameters: {
      model_architecture: arch,
      hyperparameters: cfg ? { kind: cfg.kind, seed: cfg.seed, ...cfg.params } : {},
      data: [
        {
          name: dataset?.name ?? run?.dataset.name ?? v.datasetId,
          description: dataset?.provenance ?? 'dataset version recorded by content hash',
          version: v.datasetId,
          rows: dataset?.rowCount ?? run?.dataset.rows,
          split: run
            ? `${run.split.kind} ${run.split.fractions.map((f) => Math.round(f * 100)).join('/')} ` +
              `(seed ${run.split.seed}): ` +
              `${run.splitSizes.train}/${run.splitSizes.validation}/${run.splitSizes.test} rows`
            : '',
        },
      ],
      input_format: run ? `${run.features.length} columns: ${run.features.join(', ')}` : '',
      output_format: v.task === 'classification' ? 'class probabilities' : "a number in the label's units",
    },
    quantitative_analysis: {
      performance_metrics: [
        ...metricRows(v.metrics.validation, 'validation'),
        ...metricRows(v.metrics.test, 'test'),
        ...(run?.slices ?? []).map((s) => ({
          type: s.metric,
          value: s.value,
          slice: `${s.feature} = ${s.category} (n=${s.n})`,
          split: 'validation',
        })),
        // From the latest evaluation report: 95% intervals and the slices it flagged or that were defined.
        ...evaluationRows(run),
      ],
      baselines: (run?.baselines ?? [])
        .filter((b) => Number.isFinite(b.validation[metric] as number))
        .map((b) => ({ name: b.name, value: b.validation[metric] as number, metric })),
    },
    considerations: {
      users: lines(prose.users ?? '').map((description) => ({ description })),
      use_cases: lines(prose.useCases ?? '').map((description) => ({ description })),
      limitations: lines(prose.limitations ?? '').map((description) => ({ description })),
      tradeoffs: lines(prose.tradeoffs ?? '').map((description) => ({ description })),
      ethical_considerations: lines(prose.ethics ?? '').map((l) => {
        const [name, ...rest] = l.split(':');
        return { name: name!.trim(), mitigation_strategy: rest.join(':').trim() };
      }),
    },
  };
}

function evaluationRows(run: RunRecord | undefined) {
  const r = run?.evaluation;
  if (!r) return [];
  const m = r.evaluation.metrics;
  const split = `${r.split} (evaluation report)`;
  const ivs = Object.entries(m.intervals) as [string, { estimate: number; lo: number; hi: number }][];
  return [
    ...ivs.map(([type, i]) => ({
      type: `${type} [95% CI ${i.lo.toFixed(3)}–${i.hi.toFixed(3)}]`,
      value: i.estimate,
      slice: 'overall',
      split,
    })),
    ...[...r.evaluation.slices, ...r.evaluation.foundSlices]
      .filter((s) => s.size > 0)
      .map((s) => ({ type: s.metric, value: s.value, slice: `${s.name} (n=${s.size})`, split })),
  ];
}

const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(4));

/** The card as Markdown. */
export function cardToMarkdown(c: ModelCard): string {
  const d = c.model_details,
    p = c.model_parameters,
    q = c.quantitative_analysis,
    k = c.considerations;
  const list = (xs: { description: string }[]) =>
    xs.length ? xs.map((x) => `- ${x.description}`).join('\n') : '_Not written yet._';
  return [
    `# Model card: ${d.name}`,
    '',
    d.overview,
    '',
    `## Model details`,
    `- Version: ${d.version.name}, ${d.version.date} — ${d.version.diff}`,
    `- Aliases: ${d.aliases.join(', ') || 'none'}`,
    `- Architecture: ${p.model_architecture}`,
    `- Inputs: ${p.input_format}`,
    `- Outputs: ${p.output_format}`,
    '',
    '## Data',
    ...p.data.map(
      (x) =>
        `- ${x.name} (${x.rows ?? '?'} rows; version ${x.version.slice(0, 12)}): ${x.description}. Split: ${x.split}.`,
    ),
    '',
    '## Quantitative analysis',
    '| metric | split | slice | value |',
    '|---|---|---|---|',
    ...q.performance_metrics.map((m) => `| ${m.type} | ${m.split} | ${m.slice} | ${fmt(m.value)} |`),
    '',
    q.baselines.length
      ? '### Baselines (validation)\n' + q.baselines.map((b) => `- ${b.name}: ${b.metric} ${fmt(b.value)}`).join('\n')
      : '',
    '',
    '## Considerations',
    '### Intended users',
    list(k.users),
    '### Use cases',
    list(k.use_cases),
    '### Limitations',
    list(k.limitations),
    '### Trade-offs',
    list(k.tradeoffs),
    '### Ethical considerations',
    k.ethical_considerations.length
      ? k.ethical_considerations
          .map((e) => `- **${e.name}**${e.mitigation_strategy ? ` — mitigation: ${e.mitigation_strategy}` : ''}`)
          .join('\n')
      : '_Not written yet._',
    '',
  ].join('\n');
}

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

const CARD_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#111827}' +
  'table{border-collapse:collapse}td,th{border-bottom:1px solid #e5e7eb;padding:.2rem .6rem;text-align:left}' +
  'h1{font-size:1.6rem}';

const METRICS_HEAD = '<thead><tr><th>metric</th><th>split</th><th>slice</th><th>value</th></tr></thead>';

/** The card as a standalone HTML page (everything escaped; no scripts, no external resources). */
export function cardToHtml(c: ModelCard): string {
  const d = c.model_details,
    p = c.model_parameters,
    q = c.quantitative_analysis,
    k = c.considerations;
  const list = (xs: { description: string }[]) =>
    xs.length
      ? `<ul>${xs.map((x) => `<li>${esc(x.description)}</li>`).join('')}</ul>`
      : '<p><em>Not written yet.</em></p>';
  const details = [
    `<li>Version: ${esc(d.version.name)}, ${esc(d.version.date)} — ${esc(d.version.diff)}</li>`,
    `<li>Aliases: ${esc(d.aliases.join(', ') || 'none')}</li>`,
    `<li>Architecture: ${esc(p.model_architecture)}</li>`,
    `<li>Inputs: ${esc(p.input_format)}</li>`,
    `<li>Outputs: ${esc(p.output_format)}</li>`,
  ].join('');
  const data = p.data
    .map(
      (x) =>
        `<li>${esc(x.name)} (${esc(x.rows ?? '?')} rows; version ${esc(x.version.slice(0, 12))}): ` +
        `${esc(x.description)}. Split: ${esc(x.split)}.</li>`,
    )
    .join('');
  const metricRows = q.performance_metrics
    .map(
      (m) =>
        `<tr><td>${esc(m.type)}</td><td>${esc(m.split)}</td><td>${esc(m.slice)}</td>` +
        `<td>${esc(fmt(m.value))}</td></tr>`,
    )
    .join('');
  const baselines = q.baselines.length
    ? `<h3>Baselines (validation)</h3><ul>` +
      q.baselines.map((b) => `<li>${esc(b.name)}: ${esc(b.metric)} ${esc(fmt(b.value))}</li>`).join('') +
      `</ul>`
    : '';
  const ethical = k.ethical_considerations.length
    ? `<ul>` +
      k.ethical_considerations
        .map(
          (e) =>
            `<li><strong>${esc(e.name)}</strong>` +
            `${e.mitigation_strategy ? ` — mitigation: ${esc(e.mitigation_strategy)}` : ''}</li>`,
        )
        .join('') +
      `</ul>`
    : '<p><em>Not written yet.</em></p>';
  const considerations =
    `<h3>Intended users</h3>${list(k.users)}<h3>Use cases</h3>${list(k.use_cases)}` +
    `<h3>Limitations</h3>${list(k.limitations)}<h3>Trade-offs</h3>${list(k.tradeoffs)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Model card: ${esc(d.name)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>${CARD_STYLE}</style>
</head><body>
<h1>Model card: ${esc(d.name)}</h1>
<p>${esc(d.overview)}</p>
<h2>Model details</h2>
<ul>${details}</ul>
<h2>Data</h2>
<ul>${data}</ul>
<h2>Quantitative analysis</h2>
<table>${METRICS_HEAD}<tbody>${metricRows}</tbody></table>
${baselines}
<h2>Considerations</h2>
${considerations}
<h3>Ethical considerations</h3>${ethical}
</body></html>
`;
}
