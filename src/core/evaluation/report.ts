import type { Table } from '../data/table.ts';
import { prepareRunSplits } from '../pipeline/run-splits.ts';
import type { RunRecord } from '../model/spec.ts';
import type { Result } from '../util/result.ts';
import { ok } from '../util/result.ts';
import type { Evaluation, EvaluationReport } from '../contracts/evaluation.ts';
export type { EvaluationReport } from '../contracts/evaluation.ts';

/** The rows of a run's train/validation/test splits in a table (the same seeded split the run used). */
export function runSplitRows(
  run: RunRecord,
  table: Table,
): Result<{ train: Uint32Array; validation: Uint32Array; test: Uint32Array }> {
  const p = prepareRunSplits(run, table);
  if (!p.ok) return p;
  return ok({ train: p.value.train.rows, validation: p.value.validation.rows, test: p.value.test.rows });
}

/**
 * A run's held-out rows, validation then test: the stream a rehearsal replays or continual learning
 * walks through — in time order for a time split (as the split made them), file order otherwise.
 */
export function heldOutRows(run: RunRecord, split: { validation: Uint32Array; test: Uint32Array }): Uint32Array {
  const rows = new Uint32Array(split.validation.length + split.test.length);
  rows.set(split.validation);
  rows.set(split.test, split.validation.length);
  if (run.split.kind !== 'time') rows.sort();
  return rows;
}

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const f4 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(4));

const REPORT_STYLE =
  'body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}' +
  'table{border-collapse:collapse}td,th{border-bottom:1px solid #e5e7eb;padding:.2rem .6rem;text-align:left}';

/** A standalone HTML page of the report (escaped, no scripts, no external resources). */
export function reportToHtml(r: EvaluationReport): string {
  const e = r.evaluation,
    m = e.metrics;
  const rows: string[] = [];
  if (m.task === 'classification') {
    const iv = (k: keyof typeof m.intervals) =>
      `${f4(m.intervals[k].estimate)} [${f4(m.intervals[k].lo)}, ${f4(m.intervals[k].hi)}]`;
    rows.push(
      `<tr><td>accuracy</td><td>${iv('accuracy')}</td></tr>`,
      `<tr><td>balanced accuracy</td><td>${iv('balancedAccuracy')}</td></tr>`,
      `<tr><td>macro F1</td><td>${iv('macroF1')}</td></tr>`,
      `<tr><td>AUC (macro, one-vs-rest)</td><td>${iv('auc')}</td></tr>`,
      `<tr><td>log loss</td><td>${iv('logLoss')}</td></tr>`,
      `<tr><td>Brier</td><td>${f4(m.brier)}</td></tr>`,
      `<tr><td>MCC</td><td>${f4(m.report.mcc)}</td></tr>`,
      `<tr><td>ECE / MCE / adaptive ECE / class-wise ECE</td>` +
        `<td>${f4(m.calibration.ece)} / ${f4(m.calibration.mce)} / ${f4(m.calibration.adaptiveEce)} / ` +
        `${f4(m.calibration.classwiseEce)}</td></tr>`,
    );
  } else {
    const iv = (k: keyof typeof m.intervals) =>
      `${f4(m.intervals[k].estimate)} [${f4(m.intervals[k].lo)}, ${f4(m.intervals[k].hi)}]`;
    rows.push(
      `<tr><td>MAE</td><td>${iv('mae')}</td></tr>`,
      `<tr><td>RMSE</td><td>${iv('rmse')}</td></tr>`,
      `<tr><td>R²</td><td>${iv('r2')}</td></tr>`,
      `<tr><td>MAPE</td><td>${f4(m.mape)}</td></tr>`,
    );
  }
  const perClass =
    m.task === 'classification'
      ? `<h2>Per class</h2><table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>` +
        m.report.perClass
          .map(
            (c, i) =>
              `<tr><td>${esc(m.classes[i])}</td><td>${f4(c.precision)}</td><td>${f4(c.recall)}</td>` +
              `<td>${f4(c.f1)}</td><td>${c.support}</td></tr>`,
          )
          .join('') +
        `</table>`
      : '';
  const slices = (title: string, xs: Evaluation['slices']) =>
    xs.length
      ? `<h2>${title}</h2><table><tr><th>slice</th><th>size</th><th>${esc(xs[0]!.metric)} [95% CI]</th>` +
        `<th>gap</th><th>effect</th><th>adj. p</th></tr>` +
        xs
          .map(
            (s) =>
              `<tr><td>${esc(s.name)}</td><td>${s.size}</td>` +
              `<td>${f4(s.value)} [${f4(s.interval.lo)}, ${f4(s.interval.hi)}]</td><td>${f4(s.gap)}</td>` +
              `<td>${f4(s.effectSize)}</td><td>${s.adjustedP.toExponential(2)}</td></tr>`,
          )
          .join('') +
        `</table>`
      : '';
  const behaviour = r.behaviour.length
    ? `<h2>Behavioural tests</h2><ul>` +
      r.behaviour
        .map((b) => `<li>${esc(b.test.kind)}: ${esc('error' in b.result ? b.result.error : b.result.note)}</li>`)
        .join('') +
      `</ul>`
    : '';
  const abstains = r.abstainBelow !== null ? ` Abstains below confidence ${r.abstainBelow}.` : '';
  const notes = e.notes.length ? `<ul>${e.notes.map((n) => `<li>${esc(n.message)}</li>`).join('')}</ul>` : '';
  const sliceTables =
    slices('Slices you defined', e.slices) + slices('Slices the finder flagged (FDR 5%)', e.foundSlices);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Evaluation: ${esc(r.runName)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>${REPORT_STYLE}</style></head><body>
<h1>Evaluation: ${esc(r.runName)}</h1>
<p>${esc(e.dataset)}, ${e.rows} rows (${esc(r.split)}), ${esc(r.createdAt)}.${abstains}</p>
${notes}
<h2>Metrics (95% bootstrap intervals)</h2><table>${rows.join('')}</table>
${perClass}${sliceTables}${behaviour}
</body></html>
`;
}
