import type { Schema } from '../data/schema.ts';
import type { SplitSpec } from '../data/split.ts';
import type { Table } from '../data/table.ts';
import { transformFeatures, type Preprocessor } from '../data/preprocess.ts';
import { prepareData, type EncodedSet } from '../model/prepare.ts';
import { scoreRun } from '../pipeline/score-run.ts';
import { type RunEnvironment, type RunRecord, type TrainedModel } from '../model/spec.ts';
import { onnxRunner } from '../model/onnx-runner.ts';
import { scoreBaselines } from '../baselines/baselines.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { explainOrtError, inspectOnnx, type OnnxInfo } from './inspect.ts';

/**
 * Imports an ONNX model the person brings: reads its metadata, checks it takes one float32 input as
 * wide as the dataset's numeric feature columns (in order, unscaled) and returns as many outputs as
 * the label has classes (probabilities or logits), runs it in onnxruntime on the dataset's splits, and
 * returns a run record and model ready to register. Errors name the problem: corrupt, truncated, too
 * large, an unsupported operator, or a shape that does not fit the data.
 */
export async function importOnnxModel(
  bytes: Uint8Array,
  file: string,
  table: Table,
  dataset: { id: string; name: string },
  schema: Schema,
  split: SplitSpec,
  ids: { runId: string; environment: RunEnvironment },
): Promise<Result<{ run: RunRecord; model: TrainedModel; info: OnnxInfo }>> {
  const info = inspectOnnx(bytes, file);
  if (!info.ok) return info;
  const meta = info.value;
  if (meta.inputs.length !== 1 || meta.outputs.length < 1)
    return fail({
      kind: 'bad-onnx',
      file,
      message:
        `${file} has ${meta.inputs.length} inputs and ${meta.outputs.length} outputs; Benchtop ` +
        `evaluates models with one input tensor of features.`,
    });
  const input = meta.inputs[0]!,
    output = meta.outputs[0]!;
  if (input.elemType !== 'float32')
    return fail({
      kind: 'bad-onnx',
      file,
      message: `${file}'s input "${input.name}" is ${input.elemType}; Benchtop feeds float32 features.`,
    });
  const prepared = prepareData(table, schema, split, dataset.name);
  if (!prepared.ok) return prepared;
  const onehot = prepared.value.pre.features.find((f) => f.kind === 'onehot');
  if (onehot)
    return fail({
      kind: 'bad-onnx',
      file,
      column: onehot.column,
      message:
        `The ONNX model takes numbers; column "${onehot.column}" is categorical. Set it to ignore, or ` +
        `give the model one-hot inputs yourself.`,
    });
  // The model gets the columns as they are: no standardization, no imputation beyond 0.
  const pre: Preprocessor = {
    ...prepared.value.pre,
    features: prepared.value.pre.features.map((f) => (f.kind === 'numeric' ? { ...f, mean: 0, std: 1 } : f)),
  };
  const d = pre.inputSize;
  const width = input.shape.at(-1);
  if (typeof width === 'number' && width !== d)
    return fail({
      kind: 'shape-mismatch',
      file,
      message:
        `${file} expects ${width} input features; the dataset has ${d} feature columns ` +
        `(${pre.inputNames.join(', ')}). Choose the columns the model was trained on.`,
    });
  const model: TrainedModel = {
    kind: 'onnx',
    onnx: { bytes: bytes.slice().buffer as ArrayBuffer, input: input.name, output: output.name, file },
    preprocessor: pre,
  };
  const encode = (set: EncodedSet): Result<EncodedSet> => {
    const X = transformFeatures(pre, table, set.rows, dataset.name);
    return X.ok ? ok({ ...set, X: X.value }) : X;
  };
  const sets = [prepared.value.train, prepared.value.validation, prepared.value.test].map(encode);
  for (const s of sets) if (!s.ok) return s;
  const [train, validation, test] = sets.map((s) => (s as { value: EncodedSet }).value) as [
    EncodedSet,
    EncodedSet,
    EncodedSet,
  ];
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  try {
    const probe = await onnxRunner()(bytes, validation.X.subarray(0, d), 1, d);
    if (probe.length !== k && !(k === 2 && probe.length === 1))
      return fail({
        kind: 'shape-mismatch',
        file,
        message:
          `${file} returns ${probe.length} value(s) per row; the label "${pre.label.column}" ` +
          `has ${k} ${k === 1 ? 'value' : 'classes'}.`,
      });
  } catch (e) {
    return fail({ kind: 'unsupported-onnx', file, message: explainOrtError((e as Error).message, meta, file) });
  }
  const scores = await scoreRun({ table, pre, train, validation, test, file: dataset.name }, model, {
    seed: split.seed,
  });
  if (!scores.ok) return scores;
  const inputs = meta.inputs.map((i) => `${i.name} ${i.elemType}[${i.shape.join(', ')}]`).join('; ');
  const outputs = meta.outputs.map((o) => `${o.name} ${o.elemType}[${o.shape.join(', ')}]`).join('; ');
  const opsets = meta.opsets.map((o) => `${o.domain} ${o.version}`).join(', ');
  const operators = Object.entries(meta.operators)
    .map(([op, n]) => `${op}×${n}`)
    .join(', ');
  const run: RunRecord = {
    format: 'benchtop-run@2',
    id: ids.runId,
    name: `ONNX ${file} · ${dataset.name}`,
    status: 'finished',
    createdAt: new Date().toISOString(),
    durationMs: 0,
    dataset: { ...dataset, rows: table.rowCount },
    label: pre.label.column,
    task: prepared.value.task,
    features: pre.features.map((f) => f.column),
    split,
    splitSizes: { train: train.y.length, validation: validation.y.length, test: test.y.length },
    config: { kind: 'onnx', params: {}, seed: 0 },
    history: [],
    metrics: scores.value.metrics,
    baselines: scoreBaselines(pre, train, { validation, test }, split.seed),
    samplesPerSecond: 0,
    environment: ids.environment,
    fingerprint: scores.value.fingerprint,
    message: `Imported from ${file}: ${inputs} → ${outputs}; opset ${opsets}; operators ${operators}.`,
  };
  return ok({ run, model, info: meta });
}
