import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradKernels } from '../src/core/model/wasm-grad-kernels.ts';
import { datasetVersionId } from '../src/core/data/dataset-hash.ts';
import { inferSchema, withRole } from '../src/core/data/schema.ts';
import type { SplitKind } from '../src/core/data/split.ts';
import { runTraining } from '../src/core/model/run-training.ts';
import { completeConfig, DEFAULT_TRAIN_CONFIG, MODEL_KINDS, type ModelKind, type OptimizerKind, type TrainConfig } from '../src/core/model/spec.ts';
import type { Problem } from '../src/core/util/result.ts';
import { readBundle, readTableFile, writeBundle } from './node-io.ts';
import { maxAbsDifference, predictTableRows } from '../src/core/model/predict-table.ts';
import { argmaxRows } from '../src/core/metrics/argmax-rows.ts';
import { writeFile } from 'node:fs/promises';

registerWasmGradKernels();

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const HELP = `benchtop ${VERSION} — the Benchtop ML workbench on the command line (same core as the app)

Usage: benchtop <command> [options]

Commands:
  train     Train a model on a CSV/TSV/JSON file and write a model directory
  predict   Predict every row of a file with a model; write a CSV of classes and probabilities
  info      Describe a model directory or zip (from train or the app's export); with --data,
            check that it still predicts what it predicted when it was trained
  help      Show this help (also --help); "benchtop <command> --help" for a command

Every command prints JSON on stdout; problems go to stderr as JSON with a non-zero exit code.
`;

const TRAIN_HELP = `benchtop train --data FILE --label COL [options] --out DIR

Trains with the same code as the app and writes a model directory (model.json, weights.bin,
preprocessing.json, run.json; or a zip when DIR ends in .zip) that the app imports and that every
later command accepts as --model DIR. Prints a JSON summary with the metrics.

Options:
  --data FILE          CSV, TSV or JSON array of records (required)
  --label COL          column to predict (required)
  --out DIR            where to write the model (required)
  --model KIND         logistic | mlp (default mlp)
  --hidden LIST        MLP hidden layer widths, e.g. 128,64 (default 128,64)
  --epochs N           default 20
  --batch-size N       default 32
  --lr X               learning rate, default 0.001
  --optimizer NAME     adam | sgd | momentum (default adam)
  --seed S             seed for split, initial weights and batch order (default 42)
  --split KIND         stratified | random | time (default stratified; random for regression)
  --time-column COL    column that orders rows for --split time
  --ignore LIST        columns not to use as features, comma-separated
  --backend NAME       wasm | cpu (default wasm)
`;

function problem(p: Problem, code = 2): number {
  process.stderr.write(JSON.stringify({ ok: false, error: p }, null, 2) + '\n');
  return code;
}

function positiveInt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${v}"`);
  return n;
}

class UsageError extends Error {}

async function train(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      label: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string', default: 'mlp' },
      hidden: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      optimizer: { type: 'string', default: 'adam' },
      seed: { type: 'string' },
      split: { type: 'string' },
      'time-column': { type: 'string' },
      ignore: { type: 'string' },
      backend: { type: 'string', default: 'wasm' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  for (const req of ['data', 'label', 'out'] as const) if (!values[req]) throw new UsageError(`--${req} is required`);
  if (!(MODEL_KINDS as readonly string[]).includes(values.model!)) throw new UsageError(`--model must be one of ${MODEL_KINDS.join(', ')}, got "${values.model}"`);
  if (!['wasm', 'cpu'].includes(values.backend!)) throw new UsageError(`--backend must be wasm or cpu, got "${values.backend}"`);
  if (!['adam', 'sgd', 'momentum'].includes(values.optimizer!)) throw new UsageError(`--optimizer must be adam, sgd or momentum`);
  const seed = values.seed === undefined ? DEFAULT_TRAIN_CONFIG.seed : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
  const lr = values.lr === undefined ? DEFAULT_TRAIN_CONFIG.learningRate : Number(values.lr);
  if (!(lr > 0)) throw new UsageError(`--lr must be a positive number, got "${values.lr}"`);
  const hidden = values.hidden ? values.hidden.split(',').map((s) => positiveInt('hidden', s.trim(), 1)) : [...DEFAULT_TRAIN_CONFIG.model.hidden];
  const config: TrainConfig = completeConfig({
    model: { ...DEFAULT_TRAIN_CONFIG.model, kind: values.model as ModelKind, hidden },
    epochs: positiveInt('epochs', values.epochs, DEFAULT_TRAIN_CONFIG.epochs),
    batchSize: positiveInt('batch-size', values['batch-size'], DEFAULT_TRAIN_CONFIG.batchSize),
    learningRate: lr,
    optimizer: values.optimizer as OptimizerKind,
    seed,
  });

  const table = await readTableFile(values.data!);
  if (!table.ok) return problem(table.error);
  const name = basename(values.data!);
  let schema = inferSchema(table.value, null, values.ignore ? values.ignore.split(',').map((s) => s.trim()) : []);
  if (!schema.columns.some((c) => c.name === values.label)) {
    return problem({ kind: 'missing-column', file: name, column: values.label, message: `${name} has no column "${values.label}". Columns: ${schema.columns.map((c) => c.name).join(', ')}` });
  }
  schema = withRole(schema, values.label!, 'label');
  const splitKind = (values.split ?? 'stratified') as SplitKind;
  if (!['stratified', 'random', 'time'].includes(splitKind)) throw new UsageError(`--split must be stratified, random or time`);

  await tf.setBackend(values.backend!);
  await tf.ready();
  const result = await runTraining({
    runId: randomUUID(),
    runName: `${config.model.kind === 'mlp' ? `MLP ${hidden.join('-')}` : 'Logistic'} · ${name} · cli`,
    table: table.value,
    dataset: { id: datasetVersionId(table.value), name },
    schema,
    split: { kind: splitKind, fractions: [0.7, 0.15, 0.15], seed, timeColumn: values['time-column'] },
    config,
    environment: { backend: values.backend as 'wasm' | 'cpu', backendReason: 'chosen with --backend', runtime: `node ${process.version}`, appVersion: VERSION },
  });
  if (!result.ok) return problem(result.error);
  await writeBundle(values.out!, result.value);
  const run = result.value.run;
  process.stdout.write(
    JSON.stringify(
      {
        ok: true,
        out: values.out,
        run: run.id,
        model: config.model.kind,
        task: run.task,
        label: run.label,
        dataset: run.dataset,
        backend: run.environment.backend,
        seed,
        epochs: run.history.length,
        splitSizes: run.splitSizes,
        metrics: run.metrics,
        samplesPerSecond: Math.round(run.samplesPerSecond),
        warnings: result.warnings.map((w) => w.message),
      },
      null,
      2,
    ) + '\n',
  );
  return 0;
}

const PREDICT_HELP = `benchtop predict --model DIR|ZIP --data FILE --out preds.csv [--backend wasm|cpu]

Applies the model's saved preprocessing and writes one row per input row: the predicted class and
one probability column per class (named after the classes), or the predicted value for regression.
`;

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
  const { values } = parseArgs({ args: argv, options: { model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, backend: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
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
  const out = await predictTableRows(bundle.value.model, table.value, rows, basename(values.data!));
  if (!out.ok) return problem(out.error);
  const label = bundle.value.model.preprocessor.label;
  const lines: string[] = [];
  if (label.task === 'classification') {
    const k = label.classes.length;
    lines.push(['predicted', ...label.classes].map(csvCell).join(','));
    const best = argmaxRows(out.value, k);
    for (let i = 0; i < rows.length; i++) lines.push([csvCell(label.classes[best[i]!]!), ...Array.from(out.value.subarray(i * k, (i + 1) * k), (p) => String(p))].join(','));
  } else {
    lines.push('predicted');
    for (const v of out.value) lines.push(String(v));
  }
  await writeFile(values.out!, lines.join('\n') + '\n');
  process.stdout.write(JSON.stringify({ ok: true, out: values.out, rows: rows.length, task: label.task }, null, 2) + '\n');
  return 0;
}

async function info(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { model: { type: 'string' }, data: { type: 'string' }, backend: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
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
    if (id !== run.dataset.id) return problem({ kind: 'other-dataset', file: basename(values.data), message: `${basename(values.data)} is dataset ${id.slice(0, 12)}, but the model was trained on ${run.dataset.id.slice(0, 12)} (${run.dataset.name}).` });
    await startBackend(values.backend);
    const out = await predictTableRows(model, table.value, Uint32Array.from(run.fingerprint.rows), basename(values.data));
    if (!out.ok) return problem(out.error);
    summary.fingerprint = { rows: run.fingerprint.rows.length, maxAbsDiff: maxAbsDifference(out.value, run.fingerprint.outputs), backend: tf.getBackend() };
  }
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  return 0;
}

/** Runs the command line; returns the exit code. */
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
      case 'predict':
        return await predict(rest);
      case 'info':
        return await info(rest);
      default:
        process.stderr.write(`benchtop: unknown command "${command}"\n\n${HELP}`);
        return 64;
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`benchtop ${command}: ${(e as Error).message}\nRun "benchtop ${command} --help" for the options.\n`);
      return 64;
    }
    throw e;
  }
}
