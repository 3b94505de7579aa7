// `benchtop drift`: every column of a reference file against a current file — the test that fits its
// type, its statistic and p-value (corrected for multiple testing), every distance that applies, the
// verdict — plus schema findings; optionally the multivariate tests, expectations, and a model's
// columns instead of the reference's. Tests and distances come from the registry DRIFT_MEASURES.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseCommandArgs } from './cli-errors.ts';
import { inferSchema } from '../src/core/data/schema.ts';
import { driftColumnsFromPreprocessor, driftColumnsFromSchema, driftReport } from '../src/core/drift/report.ts';
import {
  DEFAULT_TESTS,
  DRIFT_MEASURES,
  driftMeasures,
  isDriftTestId,
  sizeNames,
  type DriftKind,
  type DriftTestId,
} from '../src/core/drift/measures/index.ts';
import { runExpectations, suggestExpectations, type Expectation } from '../src/core/drift/expectations.ts';
import { readBundle, readTableFile } from './node-io.ts';

const kinds = (m: { appliesTo: readonly DriftKind[] }) =>
  m.appliesTo.map((k) => (k === 'numeric' ? 'numbers, dates' : 'categories')).join('; ');
const listing = (role: 'test' | 'distance') =>
  driftMeasures({ role })
    .map((m) => `  ${m.id.padEnd(12)} ${m.label} (${kinds(m)})\n  ${''.padEnd(12)} ${m.description}`)
    .join('\n');
const defaults = (Object.keys(DEFAULT_TESTS) as DriftKind[])
  .map((k) => `${DRIFT_MEASURES[DEFAULT_TESTS[k]].label} (${k === 'numeric' ? 'numbers, dates' : 'categories'})`)
  .join(' or ');

export const DRIFT_HELP =
  `benchtop drift --reference FILE --current FILE [--model DIR|ZIP] [--alpha 0.05] ` +
  `[--min-size 0.1] [--multivariate]
               [--test ID]... [--expectations FILE.json | --suggest-expectations] [--json]

Compares the current data with the reference column by column:
${defaults}
with Bonferroni and Benjamini–Hochberg corrections, the distances below, descriptive statistics of
both, and a verdict ("drift" = significant after correction and ${sizeNames()} ≥ --min-size,
default 0.1). --test ID runs that test instead of the default for the
column kinds it applies to (repeatable). Missing or extra columns, a changed type and unseen
categories are reported as schema findings. --model compares the columns that model reads (and its
label). --multivariate adds MMD (permutation test) and a classifier two-sample test.
--expectations runs data expectations (a JSON list) on the current file; --suggest-expectations prints
expectations suggested from the reference. --json prints one JSON object (each feature's "measures"
holds every test and distance that ran, by id); exit code 0 either way.

Tests:
${listing('test')}
Distances:
${listing('distance')}
`;

export async function driftCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('drift', {
    args: argv,
    options: {
      reference: { type: 'string' },
      current: { type: 'string' },
      model: { type: 'string' },
      alpha: { type: 'string' },
      multivariate: { type: 'boolean' },
      test: { type: 'string', multiple: true },
      'min-size': { type: 'string' },
      expectations: { type: 'string' },
      'suggest-expectations': { type: 'boolean' },
      json: { type: 'boolean' },
      seed: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return (process.stdout.write(DRIFT_HELP), 0);
  const need = (k: 'reference' | 'current') => {
    if (!values[k]) throw Object.assign(new Error(`--${k} is required`), { code: 'ERR_PARSE_ARGS_BENCHTOP' });
    return values[k]!;
  };
  const refPath = need('reference');
  const ref = await readTableFile(refPath);
  if (!ref.ok) return problem(ref.error);
  const schema = inferSchema(ref.value, null);
  if (values['suggest-expectations']) {
    process.stdout.write(
      JSON.stringify(
        {
          ok: true,
          expectations: suggestExpectations(ref.value, schema),
          warnings: ref.warnings.map((w) => w.message),
        },
        null,
        2,
      ) + '\n',
    );
    return 0;
  }
  const curPath = need('current');
  const cur = await readTableFile(curPath);
  if (!cur.ok) return problem(cur.error);
  let columns = driftColumnsFromSchema(schema);
  if (values.model) {
    const b = await readBundle(values.model);
    if (!b.ok) return problem(b.error);
    columns = driftColumnsFromPreprocessor(b.value.model.preprocessor);
  }
  const alpha = values.alpha === undefined ? 0.05 : Number(values.alpha);
  if (!(alpha > 0 && alpha < 1))
    throw Object.assign(new Error(`--alpha must be between 0 and 1; got "${values.alpha}"`), {
      code: 'ERR_PARSE_ARGS_BENCHTOP',
    });
  const minSize = values['min-size'] === undefined ? 0.1 : Number(values['min-size']);
  if (!(minSize >= 0))
    throw Object.assign(new Error(`--min-size must be a number ≥ 0; got "${values['min-size']}"`), {
      code: 'ERR_PARSE_ARGS_BENCHTOP',
    });
  const tests: Partial<Record<DriftKind, DriftTestId>> = {};
  for (const id of values.test ?? []) {
    if (!isDriftTestId(id))
      throw Object.assign(
        new Error(
          `--test must be one of ${driftMeasures({ role: 'test' })
            .map((m) => m.id)
            .join(', ')}; got "${id}"`,
        ),
        { code: 'ERR_PARSE_ARGS_BENCHTOP' },
      );
    for (const k of DRIFT_MEASURES[id].appliesTo) tests[k] = id;
  }
  const all = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
  const t0 = performance.now();
  const report = driftReport(
    { table: ref.value, rows: all(ref.value.rowCount) },
    { table: cur.value, rows: all(cur.value.rowCount) },
    columns,
    { alpha, minSize, multivariate: values.multivariate, seed: values.seed ? Number(values.seed) : 1, tests },
  );
  const ms = performance.now() - t0;
  let expectations: ReturnType<typeof runExpectations> | undefined;
  if (values.expectations) {
    let list: Expectation[];
    try {
      list = JSON.parse(await readFile(values.expectations, 'utf8')) as Expectation[];
      if (!Array.isArray(list)) throw new Error('expected a JSON list of expectations');
    } catch (e) {
      return problem({
        kind: 'bad-expectations',
        file: basename(values.expectations),
        message: `${basename(values.expectations)}: ${(e as Error).message}`,
      });
    }
    expectations = runExpectations(cur.value, list);
  }
  const r4 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? null : Number(x.toPrecision(6)));
  const features = report.features.map((f) => ({
    feature: f.feature,
    type: f.kind,
    test: f.test,
    statistic: r4(f.statistic),
    pValue: f.pValue,
    pBonferroni: f.pBonferroni,
    pBH: f.pBH,
    psi: r4(f.psi),
    jensenShannon: r4(f.js),
    wassersteinNormalized: r4(f.wassersteinNorm),
    testId: f.testId,
    measures: Object.fromEntries(
      Object.entries(f.measures).map(([id, o]) => [
        id,
        {
          statistic: r4(o.statistic),
          ...(o.p === undefined ? {} : { p: o.p }),
          ...(o.dof === undefined ? {} : { dof: o.dof }),
          ...(o.size === undefined ? {} : { size: r4(o.size) }),
        },
      ]),
    ),
    verdict: f.verdict,
    reference: f.reference,
    current: f.current,
  }));
  const out = {
    ok: true,
    reference: basename(refPath),
    current: basename(curPath),
    rows: { reference: report.rows[0], current: report.rows[1] },
    alpha,
    minSize,
    ms: Math.round(ms),
    drifted: report.drifted,
    features,
    schema: report.schema,
    multivariate: report.multivariate,
    expectations,
    // The notes of loading both files (values read as missing, repaired names, …).
    warnings: [...ref.warnings, ...cur.warnings].map((w) => w.message),
  };
  if (values.json) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  else {
    const lines = [
      `${out.current} against ${out.reference}: ${report.drifted.length} of ${features.length} columns ` +
        `drifted (α ${alpha}, Benjamini–Hochberg)`,
    ];
    for (const f of features)
      lines.push(
        `  ${f.verdict.padEnd(11)} ${f.feature.padEnd(24)} ${f.test.padEnd(18)} ` +
          `stat ${String(f.statistic).padEnd(10)} p ${f.pValue.toExponential(2).padEnd(9)} PSI ${f.psi}`,
      );
    for (const s of report.schema) lines.push(`  schema: ${s.message}`);
    for (const w of out.warnings) lines.push(`  note: ${w}`);
    if (report.multivariate)
      lines.push(
        `  MMD² ${report.multivariate.mmd.mmd2.toExponential(3)} ` +
          `(p ${report.multivariate.mmd.pValue.toFixed(3)}), classifier ` +
          `AUC ${report.multivariate.classifier.auc.toFixed(3)} ` +
          `(p ${report.multivariate.classifier.pValue.toExponential(2)})`,
      );
    for (const e of expectations ?? [])
      lines.push(
        `  ${e.passed ? 'pass' : 'FAIL'} ${e.error ?? e.observed}` +
          (e.examples.length ? `; e.g. rows ${e.examples.map((x) => x.row).join(', ')}` : ''),
      );
    process.stdout.write(lines.join('\n') + '\n');
  }
  return 0;
}

function problem(error: { kind: string; message: string; file?: string; row?: number; column?: string }): number {
  process.stderr.write(JSON.stringify({ ok: false, error }) + '\n');
  return 2;
}
