import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedTable, trainRequest } from '../../../../tests/unit/fixtures.ts';
import type { EvaluationReport } from '../../contracts/evaluation.ts';
import type { RunRecord, TrainedModel } from '../../contracts/index.ts';
import { parseJsonRecords } from '../../data/parse-json.ts';
import { inferSchema } from '../../data/schema.ts';
import { encodeLabels } from '../../data/preprocess.ts';
import { runBehaviourTest } from '../../evaluation/behaviour.ts';
import { evaluateModel } from '../../evaluation/evaluation.ts';
import { runTraining } from '../../model/run-training.ts';
import type { DatasetRecord, ModelCardProse, ModelVersion } from '../records.ts';
import { parseRun, upgradeConfig } from '../upgrade.ts';
import {
  AliasMoveSchema,
  AliasRecordSchema,
  DatasetRecordSchema,
  describeValue,
  EvaluationReportSchema,
  ExperimentListSchema,
  ManifestSchema,
  ModelCardProseSchema,
  ModelVersionSchema,
  PreprocessorSchema,
  RunRecordSchema,
  validateRecord,
} from './index.ts';

/** A real run of each kind the tests need, trained on a shipped dataset (wine: 178 rows, 3 classes). */
const trained: Record<string, { run: RunRecord; model: TrainedModel }> = {};
const wine = shippedTable('wine.csv');

beforeAll(async () => {
  await tf.setBackend('cpu');
  for (const [name, model] of Object.entries({
    tree: { kind: 'tree', maxDepth: 3 },
    mlp: { kind: 'mlp', hidden: [8] },
    knn: { kind: 'knn' },
  })) {
    const r = await runTraining(
      trainRequest(wine, 'cultivar', upgradeConfig({ model, epochs: 2, seed: 3 }), { runId: name, file: 'wine.csv' }),
    );
    if (!r.ok) throw new Error(r.error.message);
    trained[name] = r.value;
  }
  const seattle = shippedTable('seattle-weather.csv');
  const reg = await runTraining(
    trainRequest(seattle, 'temp_max', upgradeConfig({ model: { kind: 'forest', nEstimators: 3 }, seed: 1 }), {
      runId: 'regression',
    }),
  );
  if (!reg.ok) throw new Error(reg.error.message);
  trained.regression = reg.value;
}, 120_000);

/** What a record looks like after `run.json`: JSON has no NaN, undefined or ±Infinity. */
const viaJson = <T>(x: T): unknown => JSON.parse(JSON.stringify(x));

describe('describeValue (every "(it holds …)" in a refusal)', () => {
  it('names JSON null as null, arrays as lists, strings quoted', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue('nope')).toBe('a string "nope"');
    expect(describeValue('')).toBe('an empty string');
    expect(describeValue('x'.repeat(100))).toBe(`a string "${'x'.repeat(40)}…"`);
    expect(describeValue(42)).toBe('the number 42');
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(-Infinity)).toBe('-Infinity');
    expect(describeValue(true)).toBe('the value true');
    expect(describeValue([])).toBe('an empty list');
    expect(describeValue([1])).toBe('a list of 1 item');
    expect(describeValue([1, 2, 3])).toBe('a list of 3 items');
    expect(describeValue({ a: 1 })).toBe('an object');
    expect(describeValue(new ArrayBuffer(8))).toBe('binary data (8 bytes)');
  });

  it('a JSON data file holding null is described as null, not "object"', () => {
    const r = parseJsonRecords('null', 'n.json');
    expect(!r.ok && r.error.message).toBe('n.json must hold a JSON array of records ([{...}, {...}]); it holds null.');
    const o = parseJsonRecords('{"a":1}', 'o.json');
    expect(!o.ok && o.error.message).toMatch(/it holds an object\.$/);
    const s = parseJsonRecords('"x"', 's.json');
    expect(!s.ok && s.error.message).toMatch(/it holds a string "x"\.$/);
  });
});

describe('RunRecordSchema', () => {
  it('every run training writes passes, as stored and through JSON, and reads back unchanged', () => {
    for (const { run } of Object.values(trained)) {
      const direct = validateRecord(RunRecordSchema, run, 'run.json');
      if (!direct.ok) throw new Error(direct.error.message);
      expect(direct.value).toEqual(run);
      const json = parseRun(viaJson(run), 'run.json');
      if (!json.ok) throw new Error(json.error.message);
      expect(json.value).toEqual(viaJson(run));
    }
  });

  it('a benchtop-run@1 record (tests/fixtures/v3-store) passes after its upgrade', () => {
    for (const id of ['0eff4f65-9240-4f00-9667-4a8d3a9e390d', '3c745072-4702-439c-9826-7e1bcf85c824']) {
      const path = new URL(`../../../../tests/fixtures/v3-store/runs/${id}/run.json`, import.meta.url);
      const raw = JSON.parse(readFileSync(path, 'utf8'));
      expect(raw.format).toBe('benchtop-run@1');
      expect(validateRecord(RunRecordSchema, raw, 'run.json').ok).toBe(false);
      const r = parseRun(raw, 'run.json');
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.format).toBe('benchtop-run@2');
      expect(r.value.history).toEqual(raw.history);
    }
  });

  it('refuses a wrong status and a history that is not a list, naming the file and the field', () => {
    const run = viaJson(trained.tree!.run) as Record<string, unknown>;
    const both = parseRun({ ...run, status: 42, history: 'nope' }, 'run.json');
    expect(!both.ok && both.error).toEqual({
      kind: 'bad-record',
      file: 'run.json',
      field: 'status',
      message:
        'run.json: field "status" must be one of "running", "finished", "cancelled", "failed" or ' +
        '"interrupted" (it holds the number 42).',
    });
    const history = parseRun({ ...run, history: 'nope' }, 'run.json');
    expect(!history.ok && history.error.message).toBe(
      'run.json: field "history" must be a list of epochs (it holds a string "nope").',
    );
  });

  it('names nested fields, missing fields, null and the wrong format in words', () => {
    const run = viaJson(trained.mlp!.run) as RunRecord;
    const epoch = { ...run.history[0]!, train: { loss: 'high' } };
    const nested = parseRun({ ...run, history: [run.history[0], epoch] }, 'run.json');
    expect(!nested.ok && nested.error.message).toBe(
      'run.json: field "history[1].train.loss" must be a number or null (it holds a string "high").',
    );
    expect(!nested.ok && nested.error.field).toBe('history[1].train.loss');
    const { status: _status, ...noStatus } = run;
    const missing = parseRun(noStatus, 'run.json');
    expect(!missing.ok && missing.error.message).toMatch(/^run\.json: field "status" is missing \(it must be one of /);
    expect(!missing.ok && missing.error.field).toBe('status');
    // The whole record is wrong: there is no field to name.
    const whole = parseRun(null, 'run.json');
    expect(!whole.ok && 'field' in whole.error).toBe(false);
    expect(
      !parseRun(null, 'run.json').ok && (parseRun(null, 'run.json') as { error: { message: string } }).error.message,
    ).toBe('run.json must be a Benchtop run record (it holds null).');
    const format = parseRun({ ...run, format: 'benchtop-run@9' }, 'run.json');
    expect(!format.ok && format.error.message).toMatch(
      /field "format" must be one of "benchtop-run@2" or "benchtop-run@1"/,
    );
    const features = parseRun({ ...run, features: [1, 2] }, 'run.json');
    expect(!features.ok && features.error.message).toMatch(
      /field "features\[0\]" must be text \(it holds the number 1\)/,
    );
    const fp = parseRun({ ...run, fingerprint: { rows: [0, -1], outputs: [] } }, 'run.json');
    expect(!fp.ok && fp.error.message).toMatch(/field "fingerprint\.rows\[1\]" must be a whole number ≥ 0/);
    expect(!fp.ok && fp.error.field).toBe('fingerprint.rows[1]');
    const long = parseRun({ ...run, id: 'x'.repeat(600) }, 'run.json');
    expect(!long.ok && long.error.message).toMatch(/field "id" must be an id of at most 512 characters/);
  });

  it('keeps unknown extra keys, reads a JSON null metric as NaN, and accepts importedFrom', () => {
    const run = viaJson(trained.tree!.run) as Record<string, unknown> & RunRecord;
    const importedFrom = { id: 'abc', source: 'x.zip', at: '2025-01-01T00:00:00Z' };
    const r = parseRun(
      { ...run, futureField: { a: 1 }, importedFrom, metrics: { ...run.metrics, train: { loss: null } } },
      'run.json',
    );
    if (!r.ok) throw new Error(r.error.message);
    expect((r.value as unknown as Record<string, unknown>).futureField).toEqual({ a: 1 });
    expect(r.value.metrics.train.loss).toBeNaN();
    expect((r.value as unknown as { importedFrom: unknown }).importedFrom).toEqual(importedFrom);
    const bad = parseRun({ ...run, importedFrom: { id: 'abc' } }, 'run.json');
    expect(!bad.ok && bad.error.message).toMatch(/field "importedFrom\.source" is missing/);
  });

  it('an evaluation report with behaviour tests, kept with a run, passes (classification and regression)', async () => {
    for (const name of ['tree', 'regression']) {
      const { run, model } = trained[name]!;
      const table = name === 'tree' ? wine : shippedTable('seattle-weather.csv');
      const rows = Uint32Array.from({ length: 60 }, (_, i) => i);
      const ev = await evaluateModel(model, table, rows, 'data.csv', { resamples: 20, seed: 1 });
      if (!ev.ok) throw new Error(ev.error.message);
      const y = encodeLabels(model.preprocessor, table, rows);
      if (!y.ok) throw new Error(y.error.message);
      const test = { kind: 'perturbation' as const, strengths: [0.1], swapCategories: false };
      const b = await runBehaviourTest(model, table, rows, y.value, test, 1);
      const report: EvaluationReport = {
        format: 'benchtop-evaluation@1',
        runId: run.id,
        runName: run.name,
        createdAt: 'now',
        split: 'validation',
        evaluation: ev.value,
        behaviour: [{ test, result: b.ok ? b.value : { error: b.error.message } }],
        abstainBelow: null,
      };
      const withEval = { ...run, evaluation: report, behaviourTests: [test] };
      const r = validateRecord(RunRecordSchema, withEval, 'run.json');
      if (!r.ok) throw new Error(r.error.message);
      const j = parseRun(viaJson(withEval), 'run.json');
      if (!j.ok) throw new Error(j.error.message);
      const broken = viaJson(report) as { evaluation: { metrics: { task: string } } };
      broken.evaluation.metrics.task = 'ranking';
      const bad = validateRecord(EvaluationReportSchema, broken, 'report.json');
      expect(!bad.ok && bad.error.message).toMatch(
        /report\.json: field "evaluation\.metrics\.task" must be a task: "classification" or "regression" \(it holds a string "ranking"\)/,
      );
    }
  });
});

describe('the other records', () => {
  it('preprocessors of real models pass; a wrong feature kind is named', () => {
    for (const { model } of Object.values(trained)) {
      expect(validateRecord(PreprocessorSchema, viaJson(model.preprocessor), 'preprocessing.json').ok).toBe(true);
    }
    const pre = viaJson(trained.tree!.model.preprocessor) as { features: { kind: string }[] };
    pre.features[1]!.kind = 'magic';
    const r = validateRecord(PreprocessorSchema, pre, 'preprocessing.json');
    expect(!r.ok && r.error.message).toMatch(
      /^preprocessing\.json: field "features\[1\]\.kind" must be a feature transform kind/,
    );
  });

  it('dataset records (with an inferred schema), versions, cards, experiments and aliases pass; bad ones are named', () => {
    const dataset: DatasetRecord = {
      id: 'd1',
      name: 'wine.csv',
      rowCount: 178,
      columns: wine.columns.map((c) => c.name),
      label: 'cultivar',
      schema: inferSchema(wine, 'cultivar'),
      provenance: 'UCI',
      savedAt: 'now',
      bytes: 10,
    };
    expect(validateRecord(DatasetRecordSchema, dataset, 'd.json').ok).toBe(true);
    expect(validateRecord(DatasetRecordSchema, viaJson(dataset), 'd.json').ok).toBe(true);
    const noRows = validateRecord(DatasetRecordSchema, { ...dataset, rowCount: '178' }, 'datasets/d1.json');
    expect(!noRows.ok && noRows.error.message).toBe(
      'datasets/d1.json: field "rowCount" must be a whole number ≥ 0 (it holds a string "178").',
    );
    const version: ModelVersion = {
      id: 'wine@2',
      name: 'wine',
      version: 2,
      lineage: { architecture: 1, retrain: 2, update: 0 },
      label: 'V1.2.0',
      relation: 'retrain',
      parentId: 'wine@1',
      runId: 'tree',
      datasetId: 'd1',
      createdAt: 'now',
      createdBy: 'me',
      task: 'classification',
      modelKind: 'tree',
      metrics: { validation: trained.tree!.run.metrics.validation },
      tags: ['a'],
      onnx: new ArrayBuffer(4),
    };
    expect(validateRecord(ModelVersionSchema, version, 'v.json').ok).toBe(true);
    const renamed = validateRecord(ModelVersionSchema, { ...version, id: 'wine@3' }, 'v.json');
    expect(!renamed.ok && renamed.error.message).toMatch(
      /v\.json must be a model version whose id is its name@version/,
    );
    const tags = validateRecord(ModelVersionSchema, { ...version, tags: null }, 'v.json');
    expect(!tags.ok && tags.error.message).toBe('v.json: field "tags" must be a list of tags (it holds null).');
    const card: ModelCardProse = {
      versionId: 'wine@2',
      overview: 'o',
      users: '',
      useCases: '',
      limitations: '',
      tradeoffs: '',
      ethics: '',
      updatedAt: 'now',
    };
    expect(validateRecord(ModelCardProseSchema, card, 'c.json').ok).toBe(true);
    expect(validateRecord(ModelCardProseSchema, { ...card, ethics: 3 }, 'c.json').ok).toBe(false);
    expect(validateRecord(ExperimentListSchema, [{ id: 'e', name: 'E', createdAt: 'now' }], 'x.json').ok).toBe(true);
    const exp = validateRecord(ExperimentListSchema, [{ id: 'e', name: '', createdAt: 'now' }], 'experiments.json');
    expect(!exp.ok && exp.error.message).toMatch(/field "\[0\]\.name" must be a non-empty name/);
    const alias = { key: 'wine:champion', name: 'wine', alias: 'champion', versionId: 'wine@2', movedAt: 'now' };
    expect(validateRecord(AliasRecordSchema, alias, 'aliases.json').ok).toBe(true);
    const move = { name: 'wine', alias: 'champion', from: null, to: 'wine@2', who: 'me', when: 'now', reason: '' };
    expect(validateRecord(AliasMoveSchema, move, 'alias-audit.jsonl').ok).toBe(true);
    expect(validateRecord(AliasMoveSchema, { ...move, to: 7 }, 'alias-audit.jsonl').ok).toBe(false);
  });

  it('a manifest needs hex checksums and whole byte counts', () => {
    const m = { format: 'benchtop-bundle@1', createdAt: 'now', runs: ['a'], versions: [], files: {} };
    const ok = validateRecord(ManifestSchema, m, 'manifest.json');
    expect(ok.ok && ok.value.datasets).toEqual([]);
    const bad = validateRecord(
      ManifestSchema,
      { ...m, files: { 'runs/a/run.json': { sha256: 'zz', bytes: 3 } } },
      'manifest.json',
    );
    expect(!bad.ok && bad.error.message).toBe(
      'manifest.json: field "files["runs/a/run.json"].sha256" must be a SHA-256 (64 hex digits) (it holds a string "zz").',
    );
    expect(!bad.ok && bad.error.field).toBe('files["runs/a/run.json"].sha256');
  });
});
