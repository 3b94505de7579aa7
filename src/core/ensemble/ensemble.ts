import type { Table } from '../data/table.ts';
import { argmaxRows } from '../metrics/argmax-rows.ts';
import { scoreBaselines } from '../baselines/baselines.ts';
import { prepareData, type EncodedSet } from '../model/prepare.ts';
import { fitModel } from '../model/run-training.ts';
import { predictAny } from '../pipeline/predict-any.ts';
import { inModelClasses, prepareRunSplits } from '../pipeline/run-splits.ts';
import { scoreRun } from '../pipeline/score-run.ts';
import type {
  EnsembleMethod,
  EnsembleState,
  RunEnvironment,
  RunRecord,
  SplitMetrics,
  TrainConfig,
  TrainedModel,
} from '../model/spec.ts';
import { ENSEMBLE_LABELS } from '../model/spec.ts';
import { splitMetrics } from '../model/split-metrics.ts';
import type { SplitSpec } from '../data/split.ts';
import type { Schema } from '../data/schema.ts';
import type { Preprocessor } from '../data/preprocess.ts';
import { createRandom } from '../util/random.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { fitLogistic, predictLogistic } from './meta-logistic.ts';

/** Kept for `workers/train/models.ts` and `bin/cli.ts` (predict, info); new code imports `pipeline/predict-any.ts`. */
export { predictAny as predictAnyRows } from '../pipeline/predict-any.ts';

const classesOf = (m: TrainedModel) =>
  m.preprocessor.label.task === 'classification' ? m.preprocessor.label.classes : null;

function bootstrap(set: EncodedSet, d: number, seed: number, weights?: Float64Array): EncodedSet {
  const rng = createRandom(seed);
  const n = set.y.length;
  const pick = new Uint32Array(n);
  if (weights) {
    const cdf = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) cdf[i] = acc += weights[i]!;
    for (let i = 0; i < n; i++) {
      const u = rng.next() * acc;
      let lo = 0,
        hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid]! < u) lo = mid + 1;
        else hi = mid;
      }
      pick[i] = lo;
    }
  } else for (let i = 0; i < n; i++) pick[i] = rng.int(n);
  const X = new Float32Array(n * d);
  pick.forEach((p, i) => X.set(set.X.subarray(p * d, (p + 1) * d), i * d));
  const y =
    set.y instanceof Int32Array ? Int32Array.from(pick, (p) => set.y[p]!) : Float32Array.from(pick, (p) => set.y[p]!);
  return { X, y, rows: Uint32Array.from(pick, (p) => set.rows[p]!) };
}

export interface EnsembleRequest {
  runId: string;
  runName: string;
  table: Table;
  dataset: { id: string; name: string };
  schema: Schema;
  split: SplitSpec;
  config: TrainConfig;
  method: 'bag' | 'adaboost';
  members: number;
  environment: RunEnvironment;
  onMember?: (done: number, total: number) => void;
}

/** The run record of an ensemble, scored like any run (metrics, baselines, fingerprint). */
async function ensembleRun(a: {
  runId: string;
  runName: string;
  table: Table;
  dataset: { id: string; name: string };
  split: SplitSpec;
  config: TrainConfig;
  environment: RunEnvironment;
  method: EnsembleMethod;
  members: { runId?: string; name: string }[];
  model: TrainedModel;
  sets: { train: EncodedSet; validation: EncodedSet; test: EncodedSet };
  validationOverride?: SplitMetrics;
  started: number;
  baselinePre?: Preprocessor;
}): Promise<Result<RunRecord>> {
  const { model, sets } = a;
  const pre = model.preprocessor;
  const scores = await scoreRun({ ...sets, table: a.table, pre: a.baselinePre ?? pre }, model, {
    seed: a.config.seed,
    known: { validation: a.validationOverride },
  });
  if (!scores.ok) return scores;
  return ok({
    format: 'benchtop-run@2',
    id: a.runId,
    name: a.runName,
    status: 'finished',
    createdAt: new Date().toISOString(),
    durationMs: performance.now() - a.started,
    dataset: { ...a.dataset, rows: a.table.rowCount },
    label: pre.label.column,
    task: pre.label.task,
    features: pre.features.map((f) => f.column),
    split: a.split,
    splitSizes: { train: sets.train.y.length, validation: sets.validation.y.length, test: sets.test.y.length },
    config: a.config,
    history: [],
    metrics: scores.value.metrics,
    baselines: scoreBaselines(
      a.baselinePre ?? pre,
      sets.train,
      { validation: sets.validation, test: sets.test },
      a.config.seed,
    ),
    samplesPerSecond: 0,
    environment: a.environment,
    fingerprint: scores.value.fingerprint,
    ensemble: { method: a.method, members: a.members },
    message:
      a.method === 'stack'
        ? 'Validation metrics are out-of-fold (5-fold cross-fitting of the meta-learner on the validation ' +
          'split); test is the honest hold-out.'
        : undefined,
  });
}

/**
 * Trains a bagged or boosted ensemble of one base configuration:
 * - bagging (Breiman 1996): members fitted on bootstrap samples of the training split, averaged;
 * - AdaBoost.SAMME (Zhu et al. 2009), classification: each member fitted on a sample drawn by the
 *   current row weights; α = log((1−err)/err) + log(k−1); misclassified rows gain weight e^α; the
 *   ensemble is the α-weighted vote. Stops early when a member is no better than chance.
 * Works with any model family. Cost: `members` × one fit.
 */
export async function runEnsembleTraining(
  req: EnsembleRequest,
): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
  const started = performance.now();
  const prepared = prepareData(req.table, req.schema, req.split, req.dataset.name);
  if (!prepared.ok) return prepared;
  const { pre, task, train, validation, test } = prepared.value;
  if (req.method === 'adaboost' && task !== 'classification')
    return fail(
      {
        kind: 'bad-config',
        column: 'ensemble',
        message: 'AdaBoost here is for classification; for regression use gradient-boosted trees or bagging.',
      },
      prepared.warnings,
    );
  if (!Number.isInteger(req.members) || req.members < 2 || req.members > 100)
    return fail({ kind: 'bad-config', column: 'members', message: 'An ensemble needs between 2 and 100 members.' });
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  const members: TrainedModel[] = [];
  const weights: number[] = [];
  const n = train.y.length;
  const rowWeights = new Float64Array(n).fill(1 / n);
  for (let m = 0; m < req.members; m++) {
    const sample = bootstrap(
      train,
      pre.inputSize,
      req.config.seed * 7919 + m,
      req.method === 'adaboost' ? rowWeights : undefined,
    );
    const fitted = await fitModel(pre, task, sample, validation, { ...req.config, seed: req.config.seed + m });
    if (req.method === 'adaboost') {
      const out = await predictAny(fitted.model, req.table, train.rows);
      if (!out.ok) return out;
      const pred = argmaxRows(out.value, k);
      let err = 0;
      for (let i = 0; i < n; i++) if (pred[i] !== train.y[i]) err += rowWeights[i]!;
      if (err >= 1 - 1 / k) break;
      const alpha = Math.log((1 - Math.max(err, 1e-10)) / Math.max(err, 1e-10)) + Math.log(k - 1);
      let sum = 0;
      for (let i = 0; i < n; i++)
        sum += rowWeights[i] = rowWeights[i]! * (pred[i] !== train.y[i] ? Math.exp(alpha) : 1);
      for (let i = 0; i < n; i++) rowWeights[i]! /= sum;
      weights.push(alpha);
      members.push(fitted.model);
      if (err <= 1e-10) break;
    } else members.push(fitted.model);
    req.onMember?.(m + 1, req.members);
  }
  if (members.length === 0)
    return fail({
      kind: 'weak-learner',
      message: 'The first boosting member was no better than chance; use a stronger base model.',
    });
  const model: TrainedModel = {
    kind: 'ensemble',
    ensemble: { method: req.method, members, weights: req.method === 'adaboost' ? weights : undefined },
    preprocessor: pre,
  };
  const run = await ensembleRun({
    ...req,
    method: req.method,
    members: members.map((_, i) => ({ name: `member ${i + 1}` })),
    model,
    sets: { train, validation, test },
    started,
  });
  if (!run.ok) return fail(run.error, prepared.warnings);
  return ok({ run: run.value, model }, prepared.warnings);
}

/**
 * Combines trained runs into one ensemble: majority vote, soft vote (average) or stacking with a
 * logistic-regression meta-learner fitted on the members' validation probabilities. Members must
 * share dataset version, label, classes and split, so every row sits in the same split for all.
 */
export async function combineRuns(
  items: { run: RunRecord; model: TrainedModel }[],
  method: 'vote-hard' | 'vote-soft' | 'stack',
  table: Table,
  ids: { runId: string; runName: string; environment: RunEnvironment },
): Promise<Result<{ run: RunRecord; model: TrainedModel }>> {
  const started = performance.now();
  if (items.length < 2)
    return fail({ kind: 'bad-config', column: 'members', message: 'Choose at least two runs to combine.' });
  const first = items[0]!.run;
  for (const { run, model } of items.slice(1)) {
    const why =
      run.dataset.id !== first.dataset.id
        ? 'another dataset version'
        : run.label !== first.label
          ? `another label ("${run.label}")`
          : JSON.stringify(run.split) !== JSON.stringify(first.split)
            ? 'another split (kind, fractions or seed)'
            : JSON.stringify(classesOf(model)) !== JSON.stringify(classesOf(items[0]!.model))
              ? 'other classes'
              : null;
    if (why)
      return fail({
        kind: 'incompatible-members',
        message:
          `"${run.name}" was trained on ${why} than "${first.name}"; ensemble members must share ` +
          `data, label and split.`,
      });
    if (run.status !== 'finished')
      return fail({
        kind: 'incompatible-members',
        message: `"${run.name}" did not finish; only finished runs can be combined.`,
      });
  }
  const task = first.task;
  if (method === 'stack' && task !== 'classification')
    return fail({
      kind: 'bad-config',
      column: 'ensemble',
      message: 'Stacking here is for classification; average regression models with a soft vote.',
    });
  const prepared = prepareRunSplits(first, table);
  if (!prepared.ok) return prepared;
  // Labels encoded with the members' own classes (the same for all).
  const pre0 = items[0]!.model.preprocessor;
  const sets = inModelClasses(pre0, prepared.value);
  const state: EnsembleState = { method, members: items.map((i) => i.model) };
  let validationOverride: SplitMetrics | undefined;
  if (method === 'stack') {
    const k = classesOf(items[0]!.model)!.length;
    const M = items.length;
    const nv = sets.validation.y.length;
    const Z = new Float64Array(nv * M * k);
    for (let m = 0; m < M; m++) {
      const o = await predictAny(items[m]!.model, table, sets.validation.rows);
      if (!o.ok) return o;
      for (let r = 0; r < nv; r++) Z.set(o.value.subarray(r * k, (r + 1) * k), r * M * k + m * k);
    }
    const fit = fitLogistic(Z, sets.validation.y, nv, M * k, k);
    state.meta = { W: Array.from(fit.W), b: Array.from(fit.b) };
    // Out-of-fold validation predictions: 5 folds, each scored by a meta-learner fitted on the others.
    const oof = new Float64Array(nv * k);
    const folds = 5;
    for (let f = 0; f < folds; f++) {
      const trainIdx: number[] = [],
        testIdx: number[] = [];
      for (let r = 0; r < nv; r++) (r % folds === f ? testIdx : trainIdx).push(r);
      if (testIdx.length === 0 || trainIdx.length === 0) continue;
      const sub = (idx: number[]) => {
        const X = new Float64Array(idx.length * M * k);
        idx.forEach((r, i) => X.set(Z.subarray(r * M * k, (r + 1) * M * k), i * M * k));
        return X;
      };
      const fm = fitLogistic(
        sub(trainIdx),
        trainIdx.map((r) => sets.validation.y[r]!),
        trainIdx.length,
        M * k,
        k,
      );
      const p = predictLogistic(fm.W, fm.b, sub(testIdx), testIdx.length, M * k, k);
      testIdx.forEach((r, i) => oof.set(p.subarray(i * k, (i + 1) * k), r * k));
    }
    validationOverride = splitMetrics(pre0, oof, sets.validation.y);
  }
  const model: TrainedModel = { kind: 'ensemble', ensemble: state, preprocessor: pre0 };
  const run = await ensembleRun({
    runId: ids.runId,
    runName: ids.runName,
    table,
    dataset: first.dataset,
    split: first.split,
    config: first.config,
    environment: ids.environment,
    method,
    members: items.map((i) => ({ runId: i.run.id, name: i.run.name })),
    model,
    sets: { train: sets.train, validation: sets.validation, test: sets.test },
    validationOverride,
    started,
    baselinePre: prepared.value.pre,
  });
  if (!run.ok) return run;
  return ok({ run: run.value, model });
}

export { ENSEMBLE_LABELS };
