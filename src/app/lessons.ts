import type { Remote } from 'comlink';
import { proxy } from 'comlink';
import type { DataApi } from '../../workers/data.api.ts';
import type { TrainApi } from '../../workers/train.api.ts';
import type { CatalogId } from '../core/data/catalog.ts';
import { withRole } from '../core/data/schema.ts';
import {
  DEFAULT_TRAIN_CONFIG,
  type BackendName,
  type ModelSpec,
  type RunRecord,
  type TrainConfig,
} from '../core/model/spec.ts';
import { DEFAULT_RULES } from '../core/drift/timeline.ts';
import type { Result } from '../core/util/result.ts';
import { chartLayout, lineTrace, type Figure } from './plots/figure.ts';

/**
 * Classroom lessons: each runs real training and real statistics in the workers from a few
 * parameters (all in the link), then computes its "what to notice" from the run. Nothing here is a
 * canned number: the notices are sentences over computed values, and the tests check them against
 * the same computed values.
 */
export type LessonId =
  'baselines' | 'overfitting' | 'calibration' | 'compression' | 'shift' | 'ab-bandits' | 'feedback' | 'data-parallel';

export interface LessonParam {
  key: string;
  label: string;
  kind: 'number' | 'choice';
  default: number | string;
  min?: number;
  max?: number;
  step?: number;
  choices?: string[];
}

export interface Notice {
  key: string;
  text: string;
  value: number;
  /** Whether the lesson's point showed up in this run (e.g. temperature scaling lowered ECE). */
  holds?: boolean;
}

export interface LessonOutput {
  figures: { title: string; figure: Figure }[];
  notices: Notice[];
  table?: { head: string[]; rows: (string | number)[][] };
}

export interface LessonDef {
  id: LessonId;
  title: string;
  explanation: string;
  params: LessonParam[];
}

export type Params = Record<string, number | string>;

export interface LessonContext {
  trainer: Remote<TrainApi>;
  data: Remote<DataApi>;
  setBackend(b: BackendName | 'auto'): Promise<void>;
  progress(done: number, total: number, what: string): void;
  /** Live figures while a lesson is still running (its notices come at the end). */
  partial?(out: LessonOutput): void;
}

const seedParam: LessonParam = { key: 'seed', label: 'Seed', kind: 'number', default: 1, min: 0, max: 1e9, step: 1 };

export const LESSONS: LessonDef[] = [
  {
    id: 'baselines',
    title: '1. Baselines first',
    explanation:
      'german-credit has 700 "good" and 300 "bad" loans. A model that always answers "good" is right 70% of the time without learning anything. Train a model and put it next to the zero-rule and a one-feature heuristic: accuracy alone cannot tell them apart well; macro F1 (which weighs both classes) can.',
    params: [
      { key: 'model', label: 'Model', kind: 'choice', default: 'mlp', choices: ['logistic', 'mlp', 'gbt', 'forest'] },
      { key: 'epochs', label: 'Epochs', kind: 'number', default: 30, min: 1, max: 300, step: 1 },
      seedParam,
    ],
  },
  {
    id: 'overfitting',
    title: '2. Overfitting and learning curves',
    explanation:
      'Train a small and a large network on growing shares of the digits data and compare the loss on the training rows with the loss on held-out rows. The large network memorizes small training sets (low training loss, high validation loss); the small one stops improving early — more data cannot help a model that is too simple.',
    params: [
      { key: 'small', label: 'Small network: hidden units', kind: 'number', default: 4, min: 1, max: 64, step: 1 },
      { key: 'large', label: 'Large network: hidden units', kind: 'number', default: 256, min: 16, max: 1024, step: 1 },
      { key: 'epochs', label: 'Epochs', kind: 'number', default: 40, min: 5, max: 300, step: 1 },
      seedParam,
    ],
  },
  {
    id: 'calibration',
    title: '3. Calibration',
    explanation:
      'A large network trained long on noisy data becomes over-confident: when it says 95%, it is right far less often. The reliability diagram shows it; temperature scaling divides the logits by one number fitted on validation rows — confidence drops, the ranking of classes (so accuracy) does not change.',
    params: [
      { key: 'hidden', label: 'Hidden units', kind: 'number', default: 256, min: 8, max: 1024, step: 1 },
      { key: 'epochs', label: 'Epochs', kind: 'number', default: 150, min: 10, max: 500, step: 1 },
      seedParam,
    ],
  },
  {
    id: 'compression',
    title: '4. Compression has a price',
    explanation:
      'Quantize a digits network to int8 and prune most of its weights: the model gets smaller (and often faster), accuracy falls a little overall — but not evenly. The class that loses most is where the cost of compression lands.',
    params: [
      {
        key: 'sparsity',
        label: 'Pruned share of weights',
        kind: 'number',
        default: 0.9,
        min: 0.1,
        max: 0.99,
        step: 0.01,
      },
      { key: 'epochs', label: 'Epochs', kind: 'number', default: 20, min: 5, max: 200, step: 1 },
      seedParam,
    ],
  },
  {
    id: 'shift',
    title: '5. Distribution shift',
    explanation:
      'A weather model trained on the first months of seattle-weather meets the following seasons. Month by month, the KS statistic and the PSI of the maximum temperature against the training data cross their thresholds, and accuracy moves with them. Then retrain: from scratch on recent data (stateless) or by fine-tuning (stateful).',
    params: [
      {
        key: 'trainShare',
        label: 'Training share (earliest rows)',
        kind: 'number',
        default: 0.25,
        min: 0.1,
        max: 0.6,
        step: 0.05,
      },
      { key: 'every', label: 'Retrain every N months', kind: 'number', default: 3, min: 1, max: 12, step: 1 },
      seedParam,
    ],
  },
  {
    id: 'ab-bandits',
    title: '6. Testing in production: A/B test versus bandits',
    explanation:
      'Two versions convert at different rates. An A/B test splits traffic 50/50 until its always-valid p-value says stop; a Thompson-sampling bandit shifts traffic to the better version as it learns. Same users, same outcomes: which decides sooner, and which loses fewer conversions on the way?',
    params: [
      { key: 'rateA', label: 'Conversion rate A', kind: 'number', default: 0.1, min: 0.01, max: 0.9, step: 0.01 },
      { key: 'rateB', label: 'Conversion rate B', kind: 'number', default: 0.13, min: 0.01, max: 0.9, step: 0.01 },
      { key: 'requests', label: 'Requests', kind: 'number', default: 8000, min: 500, max: 100000, step: 500 },
      seedParam,
    ],
  },
  {
    id: 'feedback',
    title: '7. Degenerate feedback loops',
    explanation:
      'A recommender learns click rates only from the clicks its own recommendations caused. Items it never shows never get clicks, so after the first round the catalogue it recommends collapses. Exploration (a random item in some slots) keeps learning about the rest; a positional feature stops punishing items for being shown low on the page.',
    params: [
      { key: 'items', label: 'Catalogue size', kind: 'number', default: 200, min: 20, max: 2000, step: 10 },
      { key: 'epsilon', label: 'Exploration ε', kind: 'number', default: 0.2, min: 0, max: 1, step: 0.05 },
      { key: 'rounds', label: 'Rounds', kind: 'number', default: 20, min: 2, max: 100, step: 1 },
      seedParam,
    ],
  },
  {
    id: 'data-parallel',
    title: '8. Data-parallel training',
    explanation:
      "Split each batch across several Web Workers. Synchronous SGD averages every worker's gradient each step, so it waits for the slowest; asynchronous SGD applies each gradient as it arrives, on weights that may have moved since the worker read them (staleness). A 4× larger global batch needs a larger learning rate to make the same progress per step.",
    params: [
      { key: 'workers', label: 'Workers', kind: 'number', default: 4, min: 1, max: 8, step: 1 },
      { key: 'straggler', label: 'Slowest worker delay (ms)', kind: 'number', default: 8, min: 0, max: 200, step: 1 },
      { key: 'lr', label: 'Learning rate', kind: 'number', default: 0.5, min: 0.001, max: 5, step: 0.01 },
      { key: 'budget', label: 'Gradient computations', kind: 'number', default: 240, min: 16, max: 5000, step: 16 },
      seedParam,
    ],
  },
];

export function lessonDef(id: string): LessonDef | undefined {
  return LESSONS.find((l) => l.id === id);
}

export function defaultParams(def: LessonDef): Params {
  return Object.fromEntries(def.params.map((p) => [p.key, p.default]));
}

/** `#lesson=ID&key=value…&backend=…&run=1` ⇄ a lesson and its parameters (unknown or bad values fall back to defaults). */
export function lessonFromHash(
  hash: string,
): { id: LessonId; params: Params; backend: BackendName | 'auto'; run: boolean } | null {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const def = lessonDef(q.get('lesson') ?? '');
  if (!def) return null;
  const params = defaultParams(def);
  for (const p of def.params) {
    const v = q.get(p.key);
    if (v === null) continue;
    if (p.kind === 'choice') {
      if (p.choices!.includes(v)) params[p.key] = v;
    } else {
      const x = Number(v);
      if (Number.isFinite(x) && x >= (p.min ?? -Infinity) && x <= (p.max ?? Infinity)) params[p.key] = x;
    }
  }
  const b = q.get('backend');
  const backend = (['wasm', 'webgl', 'webgpu', 'cpu'] as const).find((x) => x === b) ?? 'auto';
  return { id: def.id, params, backend, run: q.get('run') === '1' };
}

export function lessonHash(id: LessonId, params: Params, backend: BackendName | 'auto', run = true): string {
  const q = new URLSearchParams({ lesson: id });
  for (const [k, v] of Object.entries(params)) q.set(k, String(v));
  if (backend !== 'auto') q.set('backend', backend);
  if (run) q.set('run', '1');
  return `#${q.toString()}`;
}

const unwrap = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '—');
const layout = chartLayout;
const line = lineTrace;

async function loadData(ctx: LessonContext, id: CatalogId) {
  return unwrap(await ctx.data.loadCatalog(id));
}

function config(seed: number, model: Partial<ModelSpec>, extra: Partial<TrainConfig> = {}): TrainConfig {
  return { ...DEFAULT_TRAIN_CONFIG, seed, ...extra, model: { ...DEFAULT_TRAIN_CONFIG.model, ...model } };
}

async function train(
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

/** Runs a lesson in the workers and computes what to notice. */
export async function runLesson(id: LessonId, p: Params, ctx: LessonContext): Promise<LessonOutput> {
  const seed = Number(p.seed);
  switch (id) {
    case 'baselines': {
      const ds = await loadData(ctx, 'german-credit');
      ctx.progress(0, 1, 'training');
      const { run } = await train(
        ctx,
        ds,
        'baselines',
        config(
          seed,
          { kind: p.model as ModelSpec['kind'], hidden: [32] },
          { epochs: Number(p.epochs), learningRate: 0.003 },
        ),
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
            text: `Always answering the majority class scores ${pct(zero.test!.accuracy!)} accuracy — without looking at a single feature.`,
          },
          {
            key: 'model-accuracy',
            value: run.metrics.test!.accuracy!,
            text: `The model scores ${pct(run.metrics.test!.accuracy!)}: ${lift >= 0 ? `${(lift * 100).toFixed(1)} points above` : `${(-lift * 100).toFixed(1)} points below`} the zero-rule.`,
            holds: lift > 0,
          },
          {
            key: 'macro-f1-gap',
            value: run.metrics.test!.macroF1! - zero.test!.macroF1!,
            text: `Macro F1 tells them apart: zero-rule ${f3(zero.test!.macroF1!)}, model ${f3(run.metrics.test!.macroF1!)}.`,
            holds: run.metrics.test!.macroF1! > zero.test!.macroF1!,
          },
        ],
        table: {
          head: ['', 'accuracy', 'macro F1'],
          rows: rows.map((r) => [r.name, f3(r.m.accuracy!), f3(r.m.macroF1!)]),
        },
      };
    }
    case 'overfitting': {
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
            text: `On ${xs[0]} of the data the large network's validation loss is ${f3(res.large!.val[0]!)} against ${f3(res.large!.train[0]!)} on its training rows — a gap of ${f3(gap0)} (the small network's gap: ${f3(gapS)}): it memorized.`,
            holds: gap0 > gapS,
          },
          {
            key: 'small-saturates',
            value: gain(res.small!),
            text: `From ${xs[2]} to ${xs[3]} of the data, validation loss falls by ${f3(gain(res.small!))} for the small network and ${f3(gain(res.large!))} for the large one.`,
            holds: gain(res.small!) < gain(res.large!),
          },
          {
            key: 'small-final-val',
            value: res.small!.val[3]!,
            text: `With the most data the small network ends at validation loss ${f3(res.small!.val[3]!)}, the large one at ${f3(res.large!.val[3]!)}.`,
          },
        ],
      };
    }
    case 'calibration': {
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
      const cal = unwrap(await ctx.trainer.calibrate(run, model, 'temperature', `lesson-cal-${seed}`));
      ctx.progress(2, 2, 'done');
      const c = cal.run.calibration!;
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
            text: `After temperature scaling: ${f3(c.after.ece)} — ${c.after.ece < c.before.ece ? 'lower' : 'not lower'}.`,
            holds: c.after.ece < c.before.ece,
          },
          {
            key: 'accuracy-unchanged',
            value: c.after.accuracy - c.before.accuracy,
            text: `Accuracy ${pct(c.before.accuracy)} → ${pct(c.after.accuracy)}: dividing the logits by one temperature does not change which class is largest.`,
            holds: Math.abs(c.after.accuracy - c.before.accuracy) < 1e-9,
          },
        ],
      };
    }
    case 'compression': {
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
        await ctx.trainer.compress(
          run,
          model,
          { method: 'int8', perChannel: true, symmetric: true },
          `lesson-q-${seed}`,
        ),
      );
      ctx.progress(2, 4, 'pruning');
      const pr = unwrap(
        await ctx.trainer.compress(
          run,
          model,
          { method: 'prune', sparsity: Number(p.sparsity), scope: 'global' },
          `lesson-p-${seed}`,
        ),
      );
      ctx.progress(3, 4, 'per-class accuracy');
      const perClass = async (r: RunRecord, m: typeof model) => {
        const e = unwrap(await ctx.trainer.evaluate(m, r, ds.id, 'test'));
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
            text: `int8 weights take ${pct(info(q.run).storedBytes / info(q.run).parentBytes)} of the float32 size; accuracy ${pct(acc(run))} → ${pct(acc(q.run))}.`,
          },
          {
            key: 'pruned-size',
            value: info(pr.run).gzipBytes / info(q.run).parentBytes,
            text: `Pruning ${pct(Number(p.sparsity))} of the weights leaves ${info(pr.run).nonzero.toLocaleString()} of ${info(pr.run).params.toLocaleString()}; compressed it takes ${pct(info(pr.run).gzipBytes / info(pr.run).parentBytes)} of the float32 size; accuracy ${pct(acc(run))} → ${pct(acc(pr.run))}.`,
            holds: acc(pr.run) <= acc(run),
          },
          {
            key: 'worst-class-drop',
            value: drops[worst]!,
            text: `The pruned model's loss is uneven: class "${pc.classes[worst]}" loses ${(drops[worst]! * 100).toFixed(1)} points, against ${((acc(run) - acc(pr.run)) * 100).toFixed(1)} overall.`,
            holds: drops[worst]! >= acc(run) - acc(pr.run),
          },
        ],
      };
    }
    case 'shift': {
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
          run,
          model,
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
          run,
          model,
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
            text: `Accuracy per month ranges down to ${pct(minAcc)} after the training period (its own months: ${pct(acc[0]!)} in ${labels[0]}).`,
          },
          {
            key: 'retrain',
            value: cl.summary.stateless - cl.summary.static,
            text: `Mean accuracy on the next month: never retrained ${pct(cl.summary.static)}, stateless ${pct(cl.summary.stateless)}, stateful ${pct(cl.summary.stateful)} (${cl.versions.length} versions, ${Math.round(cl.summary.statelessMs + cl.summary.statefulMs)} ms of retraining).`,
          },
        ],
      };
    }
    case 'ab-bandits': {
      ctx.progress(0, 1, 'replaying');
      const r = await ctx.trainer.lessonAbBandit({
        rateA: Number(p.rateA),
        rateB: Number(p.rateB),
        requests: Number(p.requests),
        alpha: 0.05,
        seed,
      });
      ctx.progress(1, 1, 'done');
      const abN = r.ab.decidedAt,
        bN = r.bandit.decidedAt;
      return {
        figures: [
          {
            title: 'Regret',
            figure: {
              data: [
                line('A/B test (50/50, then the winner)', r.trace.x, r.ab.regret, '#2563eb'),
                line('Thompson sampling', r.trace.x, r.bandit.regret, '#ea580c'),
              ],
              layout: layout(
                'Conversions lost against always showing the better version',
                'request',
                'cumulative regret',
              ),
            },
          },
          {
            title: 'Evidence',
            figure: {
              data: [
                line('A/B: always-valid p', r.trace.x, r.trace.pAlways, '#2563eb'),
                line('bandit: P(B better)', r.trace.x, r.trace.probB, '#ea580c'),
              ],
              layout: layout('Evidence as the requests arrive', 'request', 'probability', {
                yaxis: { title: { text: 'p / probability' }, range: [0, 1] },
              }),
            },
          },
          {
            title: 'Traffic to B',
            figure: {
              data: [line('bandit: share of traffic to B', r.trace.x, r.bandit.shareB, '#ea580c')],
              layout: layout('Where the bandit sends traffic', 'request', 'share to B', { yaxis: { range: [0, 1] } }),
            },
          },
        ],
        notices: [
          {
            key: 'ab-samples',
            value: abN ?? NaN,
            text: abN
              ? `The A/B test decided for ${r.ab.winner} after ${abN.toLocaleString()} requests.`
              : `The A/B test did not reach a decision in ${r.requests.toLocaleString()} requests.`,
          },
          {
            key: 'bandit-samples',
            value: bN ?? NaN,
            text: bN
              ? `The bandit was 95% sure of ${r.bandit.winner} after ${bN.toLocaleString()} requests — ${abN && bN < abN ? 'fewer' : 'not fewer'} than the A/B test.`
              : 'The bandit never reached 95% certainty.',
            holds: !!(abN && bN && bN < abN),
          },
          {
            key: 'regret',
            value: r.ab.regret.at(-1)! - r.bandit.regret.at(-1)!,
            text: `Conversions lost on the way: A/B ${r.ab.regret.at(-1)!.toFixed(1)}, bandit ${r.bandit.regret.at(-1)!.toFixed(1)}.`,
            holds: r.bandit.regret.at(-1)! < r.ab.regret.at(-1)!,
          },
        ],
      };
    }
    case 'feedback': {
      ctx.progress(0, 1, 'simulating');
      const o = {
        items: Number(p.items),
        groups: 4,
        usersPerGroup: 50,
        slots: 5,
        rounds: Number(p.rounds),
        epsilon: Number(p.epsilon),
        seed,
      };
      const [naive, explore, positional] = await ctx.trainer.lessonFeedbackLoop(o);
      ctx.progress(1, 1, 'done');
      const rs = naive!.rounds.map((r) => r.round);
      const last = (x: typeof naive) => x!.rounds.at(-1)!;
      return {
        figures: [
          {
            title: 'Aggregate diversity',
            figure: {
              data: [
                line(
                  'trained on its own clicks',
                  rs,
                  naive!.rounds.map((r) => r.aggregateDiversity),
                  '#dc2626',
                ),
                line(
                  `with exploration (ε = ${o.epsilon})`,
                  rs,
                  explore!.rounds.map((r) => r.aggregateDiversity),
                  '#16a34a',
                ),
                line(
                  'with a positional feature',
                  rs,
                  positional!.rounds.map((r) => r.aggregateDiversity),
                  '#2563eb',
                ),
              ],
              layout: layout('Share of the catalogue recommended each round', 'round', 'aggregate diversity', {
                yaxis: { range: [0, 1] },
              }),
            },
          },
          {
            title: 'Click rate',
            figure: {
              data: [
                line(
                  'own clicks',
                  rs,
                  naive!.rounds.map((r) => r.ctr),
                  '#dc2626',
                ),
                line(
                  'exploration',
                  rs,
                  explore!.rounds.map((r) => r.ctr),
                  '#16a34a',
                ),
                line(
                  'positional',
                  rs,
                  positional!.rounds.map((r) => r.ctr),
                  '#2563eb',
                ),
              ],
              layout: layout('Clicks per impression', 'round', 'click rate'),
            },
          },
        ],
        notices: [
          {
            key: 'collapse',
            value: last(naive).aggregateDiversity,
            text: `Trained on its own clicks, the recommender shows ${pct(naive!.rounds[0]!.aggregateDiversity)} of the catalogue in round 1 and ${pct(last(naive).aggregateDiversity)} in round ${o.rounds}.`,
            holds: last(naive).aggregateDiversity < naive!.rounds[0]!.aggregateDiversity / 2,
          },
          {
            key: 'exploration',
            value: last(explore).aggregateDiversity,
            text: `With exploration: ${pct(last(explore).aggregateDiversity)} in the last round, ${pct(explore!.coverage)} of the catalogue ever recommended (own clicks only: ${pct(naive!.coverage)}); click rate ${f3(last(explore).ctr)} against ${f3(last(naive).ctr)}.`,
            holds: last(explore).aggregateDiversity > last(naive).aggregateDiversity,
          },
          {
            key: 'positional',
            value: last(positional).aggregateDiversity,
            text: `With a positional feature: ${pct(last(positional).aggregateDiversity)} of the catalogue in the last round, click rate ${f3(last(positional).ctr)}; long-tail share of impressions ${pct(last(positional).longTail)} (own clicks: ${pct(last(naive).longTail)}).`,
          },
        ],
      };
    }
    case 'data-parallel': {
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
                line(
                  `batch ${r.batch * 4}, lr ${r.lr * 4}`,
                  r.bigBatchScaledLr.steps,
                  r.bigBatchScaledLr.loss,
                  '#16a34a',
                ),
              ],
              layout: layout('A 4× larger global batch, per step', 'step', 'cross-entropy'),
            },
          },
        ],
        notices: [
          {
            key: 'final-loss',
            value: r.async.loss.at(-1)! - r.sync.loss.at(-1)!,
            text: `After ${r.sync.gradients.at(-1)} gradient computations on ${r.workers} workers: synchronous loss ${f3(r.sync.loss.at(-1)!)}, asynchronous ${f3(r.async.loss.at(-1)!)}.`,
          },
          {
            key: 'wall-clock',
            value: r.sync.ms.at(-1)! / r.async.ms.at(-1)!,
            text: `Synchronous SGD took ${Math.round(r.sync.ms.at(-1)!)} ms, asynchronous ${Math.round(r.async.ms.at(-1)!)} ms — the straggler sets the synchronous pace.`,
            holds: r.async.ms.at(-1)! < r.sync.ms.at(-1)!,
          },
          {
            key: 'staleness',
            value: mean(r.async.staleness),
            text: `Asynchronous gradients were on average ${mean(r.async.staleness).toFixed(2)} versions stale (at most ${Math.max(...r.async.staleness)}); synchronous ones 0.`,
            holds: Math.max(...r.async.staleness) > 0,
          },
          {
            key: 'big-batch',
            value: r.bigBatch.loss.at(-1)! - r.bigBatchScaledLr.loss.at(-1)!,
            text: `With a 4× batch and the same learning rate the loss after ${r.bigBatch.steps.at(-1)} steps is ${f3(r.bigBatch.loss.at(-1)!)}; with 4× the learning rate ${f3(r.bigBatchScaledLr.loss.at(-1)!)}.`,
            holds: r.bigBatchScaledLr.loss.at(-1)! < r.bigBatch.loss.at(-1)!,
          },
        ],
      };
    }
  }
}
