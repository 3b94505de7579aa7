import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradKernels } from '../src/core/model/wasm-grad-kernels.ts';
import { datasetVersionId } from '../src/core/data/dataset-hash.ts';
import { inferSchema, withRole } from '../src/core/data/schema.ts';
import { runTraining } from '../src/core/model/run-training.ts';
import type { RunRecord, TrainConfig } from '../src/core/model/spec.ts';
import { describeConfig } from '../src/core/families/index.ts';
import { CONFIG_OPTIONS, configFromFlags, familyHelp, FlagError } from './family-flags.ts';
import { liftOverBaselines, primaryMetric, type UserBaseline } from '../src/core/baselines/baselines.ts';
import type { Schema } from '../src/core/data/schema.ts';
import type { SplitSpec } from '../src/core/data/split.ts';
import type { Table } from '../src/core/data/table.ts';
import { applyParams, checkSpace, defaultSpace, type SearchSpace } from '../src/core/tuning/search-space.ts';
import { makeTrialRunner, prepareTuningData } from '../src/core/tuning/trial-runner.ts';
import { tune } from '../src/core/tuning/tune.ts';
import { evaluateModel } from '../src/core/evaluation/evaluation.ts';
import { reportToHtml, runSplitRows, type EvaluationReport } from '../src/core/evaluation/report.ts';
import { deriveRun, type RunWithModel } from '../src/core/pipeline/derive-run.ts';
import type { DeriveOp } from '../src/core/pipeline/derive-op.ts';
import { transformFeatures } from '../src/core/data/preprocess.ts';
import { registerOrtWebRunner } from './ort-web-runner.ts';
import { modelToOnnx } from '../src/core/onnx/export-dense.ts';
import { bundleToFiles } from '../src/core/model/model-bundle.ts';
import { fail, ok } from '../src/core/util/result.ts';
import type { Problem } from '../src/core/util/result.ts';
import { readBundle, readTableFile, writeBundle } from './node-io.ts';
import { REGISTRY_HELP, registryCommand } from './registry-commands.ts';
import { FsStore } from './fs-store.ts';
import { encodeTable } from '../src/core/data/table-codec.ts';
import { maxAbsDifference } from '../src/core/model/predict-table.ts';
import { predictAnyRows } from '../src/core/ensemble/ensemble.ts';
import { argmaxRows } from '../src/core/metrics/argmax-rows.ts';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeThrown, EXIT, EXIT_HELP, nearest, parseCommandArgs, reportError, UsageError } from './cli-errors.ts';

registerWasmGradKernels();
registerOrtWebRunner();
// tfjs's console banners and warnings would mix plain text into stderr, which carries only JSON.
if (!process.env.BENCHTOP_DEBUG) tf.env().set('PROD', true);

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

const HELP = `benchtop ${VERSION} — the Benchtop ML workbench on the command line (same core as the app)

Usage: benchtop <command> [options]

Commands:
  train     Train a model on a CSV/TSV/JSON file and write a model directory
  tune      Search hyperparameters (grid, random, Bayesian/TPE) and write the best model
  predict   Predict every row of a file with a model; write a CSV of classes and probabilities
  evaluate  Every metric with intervals, calibration and flagged slices of a model on a file
  calibrate Fit a probability calibrator on the validation split; write the calibrated model
  compress  Quantize (fp16, int8, binary), prune or factorize a network; write the compressed model
  export    Write a model as ONNX, a tfjs model folder, or a Triton model repository
  rehearse  Rehearse a production test (shadow, A/B, canary, interleaving, bandits, smooth failing)
  drift     Compare a current file with a reference: per-column tests, distances, verdicts, schema findings
  serve     Serve a model on loopback over KServe V2 and TF Serving REST (onnxruntime-node), with faults
  info      Describe a model directory or zip (from train or the app's export); with --data,
            check that it still predicts what it predicted when it was trained
  help      Show this help (also --help); "benchtop <command> --help" for a command

${REGISTRY_HELP}
Every command prints JSON on stdout; problems go to stderr as JSON with a non-zero exit code.

${EXIT_HELP}`;

const TRAIN_HELP = `benchtop train --data FILE --label COL [options] --out DIR

Trains with the same code as the app and writes a model directory (model.json + weights.bin for
networks or classical.json for the others, preprocessing.json, run.json; a zip when DIR ends in .zip)
that the app imports and that every later command accepts as --model DIR. Prints a JSON summary with
the metrics and the baselines beside them.

Data:
  --data FILE          CSV, TSV or JSON array of records (required)
  --label COL          column to predict (required)
  --out DIR            where to write the model (required)
  --split KIND         stratified | random | time (default stratified)
  --time-column COL    column that orders rows for --split time
  --ignore LIST        columns not to use as features, comma-separated
  --seed S             seed for split, initial weights and batch order (default 42)
  --baseline NAME:METRIC=VALUE   an existing solution's or a human's figure, e.g. "rules:accuracy=0.72"
  --backend NAME       wasm | cpu (default wasm; networks only)
Records:
  --store DIR          keep the run in this file-system store (default .benchtop); --no-store to skip
  --tags LIST          tags for the run, comma-separated
Model (each family's parameters, read from the families registry):
${familyHelp()}`;

const DATA_OPTIONS = {
  data: { type: 'string' },
  label: { type: 'string' },
  out: { type: 'string' },
  split: { type: 'string' },
  'time-column': { type: 'string' },
  ignore: { type: 'string' },
  backend: { type: 'string' },
  help: { type: 'boolean' },
} as const;

function oneOf<T extends string>(name: string, v: string | undefined, allowed: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  if (!(allowed as readonly string[]).includes(v))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${v}"`);
  return v as T;
}

function numberOpt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (v.trim() === '' || Number.isNaN(n)) throw new UsageError(`--${name} must be a number, got "${v}"`);
  return n;
}

/** A training configuration from command-line values; ranges are checked later by validateConfig. */
function configFromArgs(v: Record<string, string | boolean | undefined>): TrainConfig {
  try {
    return configFromFlags(v);
  } catch (e) {
    if (e instanceof FlagError) throw new UsageError(e.message);
    throw e;
  }
}

/** Parses `NAME:METRIC=VALUE`. */
function baselineFromArg(v: string | undefined): UserBaseline[] {
  if (!v) return [];
  const m = /^(.*):(accuracy|macroF1|rmse|mae|r2)=([-+0-9.eE]+)$/.exec(v);
  if (!m)
    throw new UsageError(
      `--baseline must look like "NAME:METRIC=VALUE" with METRIC one of accuracy, macroF1, rmse, mae, r2; got "${v}"`,
    );
  return [{ name: m[1]!, metric: m[2] as UserBaseline['metric'], value: Number(m[3]) }];
}

/** Loads the data file and builds the schema with the label (and ignored columns) set. */
async function loadData(
  values: Record<string, string | boolean | undefined>,
): Promise<{ table: Table; name: string; schema: Schema; notes: Problem[] } | Problem> {
  const path = values.data as string;
  const table = await readTableFile(path);
  if (!table.ok) return table.error;
  const name = basename(path);
  const ignore = values.ignore
    ? String(values.ignore)
        .split(',')
        .map((x) => x.trim())
    : [];
  let schema = inferSchema(table.value, null, ignore);
  const label = values.label as string;
  if (!schema.columns.some((c) => c.name === label))
    return {
      kind: 'missing-column',
      file: name,
      column: label,
      message: `${name} has no column "${label}". Columns: ${schema.columns.map((c) => c.name).join(', ')}`,
    };
  schema = withRole(schema, label, 'label');
  return { table: table.value, name, schema, notes: table.warnings };
}

function splitFromArgs(values: Record<string, string | boolean | undefined>, seed: number): SplitSpec {
  const kind = oneOf(
    'split',
    values.split as string | undefined,
    ['stratified', 'random', 'time'] as const,
    'stratified',
  );
  return { kind, fractions: [0.7, 0.15, 0.15], seed, timeColumn: values['time-column'] as string | undefined };
}

async function startBackendOf(v: Record<string, string | boolean | undefined>): Promise<'wasm' | 'cpu'> {
  const backend = oneOf('backend', v.backend as string | undefined, ['wasm', 'cpu'] as const, 'wasm');
  await tf.setBackend(backend);
  await tf.ready();
  return backend;
}

/** The JSON summary of a run: metrics, the baselines beside them and the lift over the strongest. */
function runSummary(run: RunRecord) {
  const metric = primaryMetric(run.task);
  const lift = run.baselines ? liftOverBaselines(run.metrics.validation, run.baselines, metric) : null;
  return {
    run: run.id,
    status: run.status,
    message: run.message,
    model: run.config.kind,
    task: run.task,
    label: run.label,
    dataset: run.dataset,
    backend: run.environment.backend,
    seed: run.config.seed,
    epochs: run.history.length,
    splitSizes: run.splitSizes,
    metrics: run.metrics,
    baselines: (run.baselines ?? []).map((b) => ({
      kind: b.kind,
      name: b.name,
      detail: b.detail,
      validation: b.validation,
      test: b.test,
    })),
    lift: lift ? { metric, over: lift.baseline.name, value: lift.lift } : null,
    samplesPerSecond: Math.round(run.samplesPerSecond),
  };
}

/**
 * The messages of notes for a command's JSON output, each once (the same note can come from loading
 * and from training).
 */
function messages(notes: readonly Problem[]): string[] {
  return [...new Set(notes.map((n) => n.message))];
}

function problem(p: Problem, code: number = EXIT.input): number {
  return reportError(p, code);
}

/**
 * A run that ended failed or cancelled is never a success: nothing is written (its weights may be
 * non-finite), and the JSON error carries the run's summary and the reason. Exit code 3.
 */
function failedRun(run: RunRecord, summary: Record<string, unknown>): number {
  const how = run.status === 'cancelled' ? 'was cancelled' : run.status === 'failed' ? 'failed' : `ended ${run.status}`;
  return reportError(
    {
      kind: run.status === 'cancelled' ? 'run-cancelled' : 'run-failed',
      message: `The run ${how}${run.message ? `: ${run.message}` : '.'} No model was written.`,
      status: run.status,
      run: summary,
    },
    EXIT.failedRun,
  );
}

async function train(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('train', {
    args: argv,
    options: {
      ...DATA_OPTIONS,
      ...CONFIG_OPTIONS,
      baseline: { type: 'string' },
      store: { type: 'string', default: '.benchtop' },
      'no-store': { type: 'boolean' },
      tags: { type: 'string' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  for (const req of ['data', 'label', 'out'] as const) if (!values[req]) throw new UsageError(`--${req} is required`);
  const config = configFromArgs(values);
  const userBaselines = baselineFromArg(values.baseline);
  const data = await loadData(values);
  if ('kind' in data) return problem(data);
  const backend = await startBackendOf(values);
  const result = await runTraining({
    runId: randomUUID(),
    runName: `${describeConfig(config)} · ${data.name} · cli`,
    table: data.table,
    dataset: { id: datasetVersionId(data.table), name: data.name },
    schema: data.schema,
    split: splitFromArgs(values, config.seed),
    config,
    userBaselines,
    environment: {
      backend,
      backendReason: 'chosen with --backend',
      runtime: `node ${process.version}`,
      appVersion: VERSION,
    },
  });
  if (!result.ok) return problem(result.error);
  if (result.value.run.status !== 'finished') return failedRun(result.value.run, runSummary(result.value.run));
  await writeBundle(values.out!, result.value);
  let stored: string | null = null;
  if (!values['no-store']) {
    // Keep the run in the file-system store (the same records the app keeps in IndexedDB).
    const store = new FsStore(values.store!);
    const run = {
      ...result.value.run,
      experimentId: 'default',
      tags: values.tags
        ? values.tags
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean)
        : [],
    };
    const saved = await store.saveRun(run, result.value.model);
    const bytes = encodeTable(data.table);
    await store.saveDatasetRecord(
      {
        id: run.dataset.id,
        name: data.name,
        rowCount: data.table.rowCount,
        columns: data.table.columns.map((c) => c.name),
        label: run.label,
        provenance: `file ${values.data}`,
        savedAt: new Date().toISOString(),
        bytes: bytes.byteLength,
      },
      bytes.byteLength <= 64 * 2 ** 20 ? bytes : undefined,
    );
    stored = saved.ok ? values.store! : null;
  }
  process.stdout.write(
    JSON.stringify(
      {
        ok: true,
        out: values.out,
        store: stored,
        ...runSummary(result.value.run),
        warnings: messages([...data.notes, ...result.warnings]),
      },
      null,
      2,
    ) + '\n',
  );
  return 0;
}

const TUNE_HELP =
  `benchtop tune --data FILE --label COL --model KIND --search grid|random|bayes --trials N ` +
  `[--seed S] --out DIR

Searches hyperparameters of one model family on the training split, scoring each trial on the
validation split (the test split is set aside before tuning starts and never seen by a trial), with
median early stopping of trials that fall behind. Then trains the best configuration, scores it once
on the test split, and writes it as a model directory. Prints JSON with the best trial, its parameters
and score, and every trial.

  --search KIND        grid | random | bayes (TPE) (default bayes)
  --trials N           trials to run (grid: at most N grid points) (default 20)
  --space FILE         a JSON search space: [{"path":"learningRate","kind":"float","lo":1e-4,"hi":0.1,"log":true}, ...]
                       (default: a space per model family)
  --no-early-stop      run every trial to the end
  Any train option (--epochs, --split, --backend, …) sets the fixed part of the configuration.
`;

async function tuneCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('tune', {
    args: argv,
    options: {
      ...DATA_OPTIONS,
      ...CONFIG_OPTIONS,
      search: { type: 'string' },
      trials: { type: 'string' },
      space: { type: 'string' },
      'no-early-stop': { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(TUNE_HELP);
    return 0;
  }
  for (const req of ['data', 'label', 'out', 'model'] as const)
    if (!(values as Record<string, unknown>)[req]) throw new UsageError(`--${req} is required`);
  const base = configFromArgs(values);
  const search = oneOf('search', values.search, ['grid', 'random', 'bayes'] as const, 'bayes');
  const trials = numberOpt('trials', values.trials, 20);
  if (!Number.isInteger(trials) || trials < 1 || trials > 10000)
    throw new UsageError(`--trials must be a whole number from 1 to 10000`);
  let space: SearchSpace = defaultSpace(base.kind);
  if (values.space) {
    try {
      space = JSON.parse(await readFile(values.space, 'utf8')) as SearchSpace;
    } catch (e) {
      return problem({
        kind: 'bad-space',
        file: values.space,
        message: `${values.space} is not a readable JSON search space: ${(e as Error).message}`,
      });
    }
    const bad = checkSpace(space);
    if (bad) return problem({ kind: 'bad-space', file: values.space, message: `${values.space}: ${bad}` });
  }
  const data = await loadData(values);
  if ('kind' in data) return problem(data);
  const backend = await startBackendOf(values);
  const split = splitFromArgs(values, base.seed);
  const tuningData = prepareTuningData(data.table, data.schema, split, data.name);
  if (!tuningData.ok) return problem(tuningData.error);
  const started = performance.now();
  const result = await tune(base, space, makeTrialRunner(tuningData.value), {
    search,
    trials,
    seed: base.seed,
    parallel: 1,
    earlyStop: !values['no-early-stop'],
  });
  if (!result.best)
    return problem({
      kind: 'no-trial',
      message: `No trial finished: ${result.trials.map((t) => t.message).filter(Boolean)[0] ?? 'every trial failed'}`,
    });
  const bestConfig = applyParams(base, result.best.values);
  const final = await runTraining({
    runId: randomUUID(),
    runName: `${describeConfig(bestConfig)} · ${data.name} · tuned`,
    table: data.table,
    dataset: { id: datasetVersionId(data.table), name: data.name },
    schema: data.schema,
    split,
    config: bestConfig,
    environment: {
      backend,
      backendReason: 'chosen with --backend',
      runtime: `node ${process.version}`,
      appVersion: VERSION,
    },
  });
  if (!final.ok) return problem(final.error);
  if (final.value.run.status !== 'finished') return failedRun(final.value.run, runSummary(final.value.run));
  await writeBundle(values.out!, final.value);
  const metric = primaryMetric(final.value.run.task);
  process.stdout.write(
    JSON.stringify(
      {
        ok: true,
        out: values.out,
        search,
        scoreIs:
          final.value.run.task === 'classification'
            ? 'validation error rate (1 − accuracy), lower is better'
            : 'validation RMSE, lower is better',
        best: {
          trial: result.best.id,
          params: result.best.values,
          score: result.best.score,
          [`validation ${metric}`]: result.best.metric,
        },
        final: runSummary(final.value.run),
        trials: result.trials.map((t) => ({
          trial: t.id,
          status: t.status,
          score: t.score,
          metric: t.metric,
          steps: t.steps,
          params: t.values,
          ms: Math.round(t.durationMs),
          message: t.message,
        })),
        seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
        warnings: messages([...data.notes, ...tuningData.warnings, ...final.warnings]),
      },
      null,
      2,
    ) + '\n',
  );
  return 0;
}

const PREDICT_HELP =
  `benchtop predict --model DIR|ZIP --data FILE --out preds.csv [--abstain-below P] ` +
  `[--backend wasm|cpu]

Applies the model's saved preprocessing (and calibrator) and writes one row per input row: the
predicted class and one probability column per class (named after the classes), or the predicted
value for regression. With a confidence threshold (--abstain-below, or the one saved with the
model's evaluation) an "abstain" column marks predictions below it.
`;

const EVALUATE_HELP =
  `benchtop evaluate --model DIR|ZIP --data FILE [--label COL] [--split ` +
  `all|test|validation] [--json] [--report FILE.html]

Evaluates the model on every row of FILE (or, with --split, on that split of the data it was trained
on): all metrics with 95% bootstrap intervals, calibration, slices the slice finder flags, notes on
mismatched columns. --label names the file's label column when it differs from the model's.
`;

const CALIBRATE_HELP =
  `benchtop calibrate --model DIR|ZIP --data FILE [--label COL] --method ` +
  `temperature|platt|isotonic|histogram --out DIR

Fits the calibrator on the validation split of the data the model was trained on (FILE must be that
dataset) and writes the calibrated model, whose run.json points to its parent and carries test-split
calibration before and after.
`;

async function loadForModel(values: { model?: string; data?: string; label?: string }) {
  const bundle = await readBundle(values.model!);
  if (!bundle.ok) return bundle;
  const table = await readTableFile(values.data!);
  if (!table.ok) return table;
  let t = table.value;
  const want = bundle.value.model.preprocessor.label.column;
  if (values.label && values.label !== want) {
    if (!t.columns.some((c) => c.name === values.label))
      return fail<never>({
        kind: 'missing-column',
        file: basename(values.data!),
        column: values.label,
        message: `${basename(values.data!)} has no column "${values.label}".`,
      });
    t = {
      ...t,
      columns: t.columns
        .filter((c) => c.name !== want)
        .map((c) => (c.name === values.label ? { ...c, name: want } : c)),
    };
  }
  return ok({
    bundle: bundle.value,
    table: t,
    name: basename(values.data!),
    /** The notes of loading the model and the data (values read as missing, repaired names, …). */
    notes: [...bundle.warnings, ...table.warnings],
  });
}

async function evaluateCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('evaluate', {
    args: argv,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      label: { type: 'string' },
      split: { type: 'string', default: 'all' },
      json: { type: 'boolean' },
      report: { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(EVALUATE_HELP);
    return 0;
  }
  for (const req of ['model', 'data'] as const) if (!values[req]) throw new UsageError(`--${req} is required`);
  const split = oneOf('split', values.split, ['all', 'test', 'validation'] as const, 'all');
  const loaded = await loadForModel(values);
  if (!loaded.ok) return problem(loaded.error);
  await startBackend(values.backend);
  const { bundle, table, name } = loaded.value;
  let rows: Uint32Array = Uint32Array.from({ length: table.rowCount }, (_, i) => i);
  if (split !== 'all') {
    const s = runSplitRows(bundle.run, table);
    if (!s.ok) return problem(s.error);
    rows = split === 'test' ? s.value.test : s.value.validation;
  }
  const ev = await evaluateModel(bundle.model, table, rows, name, { seed: bundle.run.config?.seed ?? 1 });
  if (!ev.ok) return problem(ev.error);
  const report: EvaluationReport = {
    format: 'benchtop-evaluation@1',
    runId: bundle.run.id,
    runName: bundle.run.name,
    createdAt: new Date().toISOString(),
    split: split === 'all' ? 'file' : split,
    evaluation: ev.value,
    behaviour: [],
    abstainBelow: null,
  };
  if (values.report) await writeFile(values.report, reportToHtml(report));
  const m = ev.value.metrics;
  const headline =
    m.task === 'classification'
      ? {
          accuracy: m.report.accuracy,
          balancedAccuracy: m.report.balancedAccuracy,
          macroF1: m.report.macro.f1,
          microF1: m.report.micro.f1,
          weightedF1: m.report.weighted.f1,
          mcc: m.report.mcc,
          auc: m.auc,
          logLoss: m.logLoss,
          brier: m.brier,
          perClass: Object.fromEntries(m.classes.map((c, i) => [c, m.report.perClass[i]])),
          confusion: m.confusion,
          ece: m.calibration.ece,
          mce: m.calibration.mce,
          adaptiveEce: m.calibration.adaptiveEce,
          classwiseEce: m.calibration.classwiseEce,
          intervals: m.intervals,
        }
      : { mae: m.mae, rmse: m.rmse, r2: m.r2, mape: m.mape, intervals: m.intervals };
  const out = {
    ok: true,
    model: bundle.run.name,
    data: name,
    rows: ev.value.rows,
    task: m.task,
    metrics: headline,
    slices: ev.value.foundSlices.map((s) => ({
      slice: s.name,
      size: s.size,
      [s.metric]: s.value,
      gap: s.gap,
      adjustedP: s.adjustedP,
    })),
    notes: ev.value.notes.map((n) => n.message),
    warnings: messages([...loaded.value.notes, ...ev.warnings]),
  };
  if (values.json) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  else
    process.stdout.write(
      `${out.model} on ${name} (${out.rows} rows)\n${Object.entries(headline)
        .filter(([, v]) => typeof v === 'number')
        .map(([k, v]) => `  ${k}: ${(v as number).toFixed(4)}`)
        .join('\n')}\n${[...out.warnings, ...out.notes].map((n) => `  note: ${n}`).join('\n')}\n`,
    );
  return 0;
}

const COMPRESS_HELP =
  `benchtop compress --model DIR|ZIP --data FILE --method ` +
  `fp16|int8|int8-static|binary|prune|lowrank|distill [options] --out DIR

  int8:        [--per-tensor] [--asymmetric]
  int8-static: [--range minmax|percentile|entropy] [--calibration-data FILE] [--calibration-rows N]
               (activation ranges from the training split unless a calibration file is given)
  prune:       [--sparsity S] [--scope global|layer] [--fine-tune-epochs N [--gradual]]
  qat:         [--fine-tune-epochs N] [--lr X]  (int8 after quantization-aware fine-tuning)
  lowrank:     [--rank R | --energy E]
  distill:     [--teacher M2] [--hidden 32] [--temperature 4] [--alpha 0.7] [--epochs N]
               (the student learns from M2, or from --model when no teacher is given)

Compresses a network (FILE must be the dataset it was trained on: the result is scored on the same
splits) and writes the compressed model, whose run.json points to its parent and reports stored size,
gzip size, sparsity, accuracy and ECE.
`;

const EXPORT_HELP = `benchtop export --model DIR|ZIP --format onnx|tfjs|triton --out DIR [--name NAME]

onnx: DIR/model.onnx (int8 models in QDQ form) and DIR/preprocessing.json; tfjs: DIR/model.json +
weights.bin (tf.loadLayersModel reads them); triton: a model repository DIR/NAME/config.pbtxt +
DIR/NAME/1/model.onnx for Triton's onnxruntime backend.
`;

type CompressMethod = 'fp16' | 'int8' | 'int8-static' | 'binary' | 'prune' | 'lowrank' | 'distill' | 'qat';

/** The derive operation a `compress` command line asks for (qat, and prune with fine-tuning epochs, fine-tune). */
function compressOpOf(
  method: CompressMethod,
  values: Record<string, string | boolean | undefined>,
  teacherRunId: string | undefined,
): DeriveOp {
  const str = (name: string) => values[name] as string | undefined;
  const fineTuneEpochs = str('fine-tune-epochs')
    ? numberOpt('fine-tune-epochs', str('fine-tune-epochs'), 3)
    : method === 'qat'
      ? 3
      : 0;
  const sparsity = str('sparsity') === undefined ? undefined : numberOpt('sparsity', str('sparsity'), 0.5);
  if (method === 'qat' || (method === 'prune' && fineTuneEpochs > 0))
    return {
      kind: 'fine-tune',
      method: method === 'qat' ? 'qat' : 'prune',
      epochs: fineTuneEpochs,
      learningRate: numberOpt('lr', str('lr'), 0.001),
      sparsity: sparsity ?? 0.5,
      gradual: Boolean(values.gradual),
    };
  if (method === 'distill')
    return {
      kind: 'distill',
      hidden: str('hidden')
        ? str('hidden')!
            .split(',')
            .map((x) => numberOpt('hidden', x, 32))
        : [32],
      temperature: numberOpt('temperature', str('temperature'), 4),
      alpha: numberOpt('alpha', str('alpha'), 0.7),
      epochs: str('epochs') ? numberOpt('epochs', str('epochs'), 20) : undefined,
      teacherRunId,
    };
  return {
    kind: 'compress',
    spec: {
      method,
      rangeMethod: oneOf('range', str('range'), ['minmax', 'percentile', 'entropy'] as const, 'minmax'),
      calibrationRows: str('calibration-rows')
        ? numberOpt('calibration-rows', str('calibration-rows'), 256)
        : undefined,
      perChannel: !values['per-tensor'],
      symmetric: !values.asymmetric,
      sparsity,
      scope: oneOf('scope', str('scope'), ['global', 'layer'] as const, 'global'),
      rank: str('rank') === undefined ? undefined : numberOpt('rank', str('rank'), 1),
      energy: str('energy') === undefined ? undefined : numberOpt('energy', str('energy'), 0.9),
    },
  };
}

async function compressCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('compress', {
    args: argv,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      label: { type: 'string' },
      method: { type: 'string' },
      'per-tensor': { type: 'boolean' },
      asymmetric: { type: 'boolean' },
      sparsity: { type: 'string' },
      scope: { type: 'string' },
      rank: { type: 'string' },
      energy: { type: 'string' },
      range: { type: 'string' },
      'calibration-data': { type: 'string' },
      'calibration-rows': { type: 'string' },
      teacher: { type: 'string' },
      hidden: { type: 'string' },
      temperature: { type: 'string' },
      alpha: { type: 'string' },
      epochs: { type: 'string' },
      'fine-tune-epochs': { type: 'string' },
      gradual: { type: 'boolean' },
      lr: { type: 'string' },
      out: { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(COMPRESS_HELP);
    return 0;
  }
  for (const req of ['model', 'data', 'method', 'out'] as const)
    if (!values[req]) throw new UsageError(`--${req} is required`);
  const method = oneOf(
    'method',
    values.method,
    ['fp16', 'int8', 'int8-static', 'binary', 'prune', 'lowrank', 'distill', 'qat'] as const,
    'int8',
  );
  const loaded = await loadForModel(values);
  if (!loaded.ok) return problem(loaded.error);
  const { bundle, table, name } = loaded.value;
  if (datasetVersionId(table) !== bundle.run.dataset.id)
    return problem({
      kind: 'other-dataset',
      file: name,
      message:
        `${name} is not the dataset the model was trained on (${bundle.run.dataset.name}); ` +
        `compression is scored on that dataset's splits.`,
    });
  await startBackend(values.backend);
  let calibration: { X: Float32Array; n: number } | undefined;
  if (values['calibration-data']) {
    const cal = await readTableFile(values['calibration-data']);
    if (!cal.ok) return problem(cal.error);
    const X = transformFeatures(
      bundle.model.preprocessor,
      cal.value,
      Uint32Array.from({ length: cal.value.rowCount }, (_, i) => i),
      basename(values['calibration-data']),
    );
    if (!X.ok) return problem(X.error);
    calibration = { X: X.value, n: cal.value.rowCount };
  }
  const warnings: string[] = messages(loaded.value.notes);
  let teacher: RunWithModel | undefined;
  if (method === 'distill' && values.teacher) {
    const t = await readBundle(values.teacher);
    if (!t.ok) return problem(t.error);
    teacher = t.value;
  }
  const r = await deriveRun(bundle, compressOpOf(method, values, teacher?.run.id), {
    table,
    runId: randomUUID(),
    calibration,
    modelOf: async (id) => (id === teacher?.run.id ? teacher.model : undefined),
  });
  if (!r.ok) return problem(r.error);
  if (r.value.run.status !== 'finished') return failedRun(r.value.run, { run: r.value.run.id, method });
  warnings.push(...r.warnings.map((w) => w.message));
  await writeBundle(values.out!, r.value);
  const c = r.value.run.compression!;
  const metric = r.value.run.task === 'classification' ? 'accuracy' : 'rmse';
  process.stdout.write(
    JSON.stringify(
      {
        ok: true,
        out: values.out,
        method,
        parentRun: c.parentRunId,
        storedBytes: c.info.storedBytes,
        parentBytes: c.info.parentBytes,
        sizeFraction: c.info.storedBytes / c.info.parentBytes,
        gzipBytes: c.info.gzipBytes,
        params: c.info.params,
        sparsity: c.info.sparsity,
        ranks: c.info.ranks,
        activations: c.info.activations,
        warnings,
        [`test ${metric}`]: r.value.run.metrics.test?.[metric],
        [`parent test ${metric}`]: bundle.run.metrics.test?.[metric],
        ece: c.ece,
      },
      null,
      2,
    ) + '\n',
  );
  return 0;
}

async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('export', {
    args: argv,
    options: {
      model: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(EXPORT_HELP);
    return 0;
  }
  for (const req of ['model', 'format', 'out'] as const) if (!values[req]) throw new UsageError(`--${req} is required`);
  const format = oneOf('format', values.format, ['onnx', 'tfjs', 'triton'] as const, 'onnx');
  const bundle = await readBundle(values.model!);
  if (!bundle.ok) return problem(bundle.error);
  const { model, run } = bundle.value;
  await mkdir(values.out!, { recursive: true });
  if (format === 'tfjs') {
    if (model.kind !== 'network')
      return problem({
        kind: 'unsupported-model',
        message: 'tfjs export is for neural networks; classical models export as a Benchtop model directory.',
      });
    const files = bundleToFiles(bundle.value);
    await writeFile(join(values.out!, 'model.json'), files['model.json']!);
    await writeFile(join(values.out!, 'weights.bin'), files['weights.bin']!);
    await writeFile(join(values.out!, 'preprocessing.json'), files['preprocessing.json']!);
    process.stdout.write(
      JSON.stringify(
        { ok: true, format, out: values.out, files: ['model.json', 'weights.bin', 'preprocessing.json'] },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  if (model.kind !== 'network' && model.kind !== 'onnx')
    return problem({
      kind: 'unsupported-model',
      message: 'ONNX export covers neural networks (logistic, linear, MLP) so far.',
    });
  const onnx = modelToOnnx(model, VERSION);
  if (!onnx.ok) return problem(onnx.error);
  const pre = JSON.stringify(model.preprocessor, null, 1);
  const label = model.preprocessor.label;
  const k = label.task === 'classification' ? (label.classes.length === 2 ? 1 : label.classes.length) : 1;
  if (format === 'onnx') {
    await writeFile(join(values.out!, 'model.onnx'), onnx.value);
    await writeFile(join(values.out!, 'preprocessing.json'), pre);
    process.stdout.write(
      JSON.stringify(
        {
          ok: true,
          format,
          out: values.out,
          bytes: onnx.value.byteLength,
          input: { name: 'features', shape: [-1, model.preprocessor.inputSize] },
          output: { name: 'outputs', shape: [-1, k] },
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const modelName =
    (values.name ?? run.name.split(' ·')[0]!).replace(/[^A-Za-z0-9_-]+/g, '_').toLowerCase() || 'benchtop_model';
  const config = `name: "${modelName}"
backend: "onnxruntime"
max_batch_size: 256
input [
  {
    name: "features"
    data_type: TYPE_FP32
    dims: [ ${model.preprocessor.inputSize} ]
  }
]
output [
  {
    name: "outputs"
    data_type: TYPE_FP32
    dims: [ ${k} ]
  }
]
dynamic_batching { }
`;
  await mkdir(join(values.out!, modelName, '1'), { recursive: true });
  await writeFile(join(values.out!, modelName, 'config.pbtxt'), config);
  await writeFile(join(values.out!, modelName, '1', 'model.onnx'), onnx.value);
  await writeFile(join(values.out!, modelName, 'preprocessing.json'), pre);
  process.stdout.write(
    JSON.stringify(
      {
        ok: true,
        format,
        out: values.out,
        model: modelName,
        files: [`${modelName}/config.pbtxt`, `${modelName}/1/model.onnx`, `${modelName}/preprocessing.json`],
      },
      null,
      2,
    ) + '\n',
  );
  return 0;
}

async function calibrateCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('calibrate', {
    args: argv,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      label: { type: 'string' },
      method: { type: 'string' },
      out: { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(CALIBRATE_HELP);
    return 0;
  }
  for (const req of ['model', 'data', 'method', 'out'] as const)
    if (!values[req]) throw new UsageError(`--${req} is required`);
  const method = oneOf(
    'method',
    values.method,
    ['temperature', 'platt', 'isotonic', 'histogram'] as const,
    'temperature',
  );
  const loaded = await loadForModel(values);
  if (!loaded.ok) return problem(loaded.error);
  const { bundle, table, name } = loaded.value;
  const id = datasetVersionId(table);
  if (id !== bundle.run.dataset.id)
    return problem({
      kind: 'other-dataset',
      file: name,
      message:
        `${name} is not the dataset the model was trained on (${bundle.run.dataset.name}); ` +
        `calibration uses that dataset's validation split.`,
    });
  await startBackend(values.backend);
  const r = await deriveRun(bundle, { kind: 'calibrate', method }, { table, runId: randomUUID() });
  if (!r.ok) return problem(r.error);
  if (r.value.run.status !== 'finished') return failedRun(r.value.run, { run: r.value.run.id, method });
  await writeBundle(values.out!, r.value);
  const c = r.value.run.calibration!;
  const pick = (x: typeof c.before) => ({
    accuracy: x.accuracy,
    logLoss: x.logLoss,
    brier: x.brier,
    ece: x.ece,
    mce: x.mce,
    adaptiveEce: x.adaptiveEce,
    classwiseEce: x.classwiseEce,
  });
  process.stdout.write(
    JSON.stringify(
      {
        ok: true,
        out: values.out,
        method,
        parentRun: c.parentRunId,
        run: r.value.run.id,
        calibrator: r.value.model.calibrator,
        before: pick(c.before),
        after: pick(c.after),
        warnings: messages([...loaded.value.notes, ...r.warnings]),
      },
      null,
      2,
    ) + '\n',
  );
  return 0;
}

const INFO_HELP = `benchtop info --model DIR|ZIP [--data FILE] [--backend wasm|cpu]

Prints the model's run record summary as JSON. With --data (the dataset it was trained on), also
re-predicts the run's fingerprint rows and reports the largest difference (0 means identical).
`;

async function startBackend(name: string | undefined): Promise<void> {
  const backend = name ?? 'wasm';
  if (!['wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend must be wasm or cpu, got "${backend}"`);
  await tf.setBackend(backend);
  await tf.ready();
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function predict(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('predict', {
    args: argv,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      out: { type: 'string' },
      backend: { type: 'string' },
      'abstain-below': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(PREDICT_HELP);
    return 0;
  }
  for (const req of ['model', 'data', 'out'] as const) if (!values[req]) throw new UsageError(`--${req} is required`);
  const bundle = await readBundle(values.model!);
  if (!bundle.ok) return problem(bundle.error);
  const table = await readTableFile(values.data!);
  if (!table.ok) return problem(table.error);
  await startBackend(values.backend);
  const rows = Uint32Array.from({ length: table.value.rowCount }, (_, i) => i);
  const out = await predictAnyRows(bundle.value.model, table.value, rows, basename(values.data!));
  if (!out.ok) return problem(out.error);
  const label = bundle.value.model.preprocessor.label;
  const lines: string[] = [];
  if (label.task === 'classification') {
    const k = label.classes.length;
    const threshold =
      values['abstain-below'] !== undefined
        ? numberOpt('abstain-below', values['abstain-below'], 0)
        : (bundle.value.run.evaluation?.abstainBelow ?? null);
    lines.push(['predicted', ...label.classes, ...(threshold !== null ? ['abstain'] : [])].map(csvCell).join(','));
    const best = argmaxRows(out.value, k);
    for (let i = 0; i < rows.length; i++) {
      const probs = Array.from(out.value.subarray(i * k, (i + 1) * k));
      const abstain = threshold !== null ? [String(probs[best[i]!]! < threshold)] : [];
      lines.push([csvCell(label.classes[best[i]!]!), ...probs.map(String), ...abstain].join(','));
    }
  } else {
    lines.push('predicted');
    for (const v of out.value) lines.push(String(v));
  }
  await writeFile(values.out!, lines.join('\n') + '\n');
  process.stdout.write(
    JSON.stringify(
      {
        ok: true,
        out: values.out,
        rows: rows.length,
        task: label.task,
        warnings: messages([...bundle.warnings, ...table.warnings, ...out.warnings]),
      },
      null,
      2,
    ) + '\n',
  );
  return 0;
}

async function info(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('info', {
    args: argv,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      backend: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(INFO_HELP);
    return 0;
  }
  if (!values.model) throw new UsageError('--model is required');
  const bundle = await readBundle(values.model);
  if (!bundle.ok) return problem(bundle.error);
  const { run, model } = bundle.value;
  const summary: Record<string, unknown> = {
    ok: true,
    run: run.id,
    name: run.name,
    status: run.status,
    task: run.task,
    label: run.label,
    inputs: model.preprocessor.inputNames.length,
    classes: model.preprocessor.label.task === 'classification' ? model.preprocessor.label.classes : undefined,
    dataset: run.dataset,
    config: run.config,
    metrics: run.metrics,
    trainedOn: run.environment,
  };
  if (values.data) {
    const table = await readTableFile(values.data);
    if (!table.ok) return problem(table.error);
    const id = datasetVersionId(table.value);
    if (id !== run.dataset.id)
      return problem({
        kind: 'other-dataset',
        file: basename(values.data),
        message:
          `${basename(values.data)} is dataset ${id.slice(0, 12)}, but the model was trained ` +
          `on ${run.dataset.id.slice(0, 12)} (${run.dataset.name}).`,
      });
    await startBackend(values.backend);
    const out = await predictAnyRows(model, table.value, Uint32Array.from(run.fingerprint.rows), basename(values.data));
    if (!out.ok) return problem(out.error);
    summary.warnings = messages([...table.warnings, ...out.warnings]);
    summary.fingerprint = {
      rows: run.fingerprint.rows.length,
      maxAbsDiff: maxAbsDifference(out.value, run.fingerprint.outputs),
      backend: tf.getBackend(),
    };
  }
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  return 0;
}

/** The registry commands (bin/registry-commands.ts answers them). */
const REGISTRY_COMMANDS = ['runs', 'register', 'versions', 'alias', 'card', 'bundle-export', 'bundle-import'] as const;
/** Every command `main` knows, for "unknown command" and "did you mean". */
export const COMMANDS: readonly string[] = Object.freeze([
  'train',
  'tune',
  'predict',
  'evaluate',
  'calibrate',
  'compress',
  'export',
  'rehearse',
  'drift',
  'serve',
  'info',
  'help',
  ...REGISTRY_COMMANDS,
]);

function unknownCommand(command: string): number {
  const flag = command.startsWith('-');
  const suggestion = flag ? undefined : nearest(command, COMMANDS);
  return reportError(
    {
      kind: 'usage',
      command,
      message:
        (flag
          ? `"${command}" is not a command; options come after the command, as in "benchtop train ${command} …".`
          : `benchtop has no command "${command}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}.`) +
        ` Commands: ${COMMANDS.join(', ')}. Run "benchtop --help" for what each does.`,
      ...(suggestion ? { suggestion } : {}),
    },
    EXIT.usage,
  );
}

/** Runs the command line; returns the exit code. Every failure is JSON on stderr (see EXIT_HELP). */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return 0;
      case '--version':
        process.stdout.write(VERSION + '\n');
        return 0;
      case 'train':
        return await train(rest);
      case 'tune':
        return await tuneCommand(rest);
      case 'predict':
        return await predict(rest);
      case 'info':
        return await info(rest);
      case 'evaluate':
        return await evaluateCommand(rest);
      case 'calibrate':
        return await calibrateCommand(rest);
      case 'compress':
        return await compressCommand(rest);
      case 'export':
        return await exportCommand(rest);
      case 'serve':
        return await (await import('./serve.ts')).serveCommand(rest);
      case 'drift':
        return await (await import('./drift.ts')).driftCommand(rest);
      case 'rehearse':
        return await (await import('./rehearse.ts')).rehearseCommand(rest);
      default: {
        // Only a registry command reaches registryCommand: its option parsing would otherwise answer an
        // unknown command with an unknown-option error.
        if (!(REGISTRY_COMMANDS as readonly string[]).includes(command)) return unknownCommand(command);
        const code = await registryCommand(command, rest);
        return code ?? unknownCommand(command);
      }
    }
  } catch (e) {
    const { error, code } = describeThrown(e, command);
    return reportError(error, code);
  }
}
