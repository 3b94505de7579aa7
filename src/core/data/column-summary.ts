import type { Task } from '../contracts/data.ts';
import { inferTask } from './preprocess.ts';
import type { ColumnSchema, Schema } from './schema.ts';
import { parseBoolean } from './values.ts';

/** Categories listed by name before "… n more". */
const SHOWN = 4;

const num = (v: number | undefined): string =>
  v === undefined || Number.isNaN(v)
    ? ''
    : Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0)
      ? v.toExponential(2)
      : Number(v.toFixed(3)).toString();

/**
 * Each value of a column with its share of the present rows, most frequent first — a yes/no column
 * names its true-like value first ("y 44.2% · n 55.8%"), so nobody has to guess which value is 1 —
 * with "… n more" past `shown` values. Null when the column has no value counts (over 50 values).
 * @example valueShares(voteColumn) // "y 44.2% · n 55.8%"
 */
export function valueShares(c: ColumnSchema, shown = SHOWN): string | null {
  if (!c.counts?.length) return null;
  const total = c.counts.reduce((s, x) => s + x.count, 0);
  const counts =
    c.type === 'boolean'
      ? [...c.counts].sort((a, b) => parseBoolean(b.value) - parseBoolean(a.value) || b.count - a.count)
      : c.counts;
  const parts = counts
    .slice(0, shown)
    .map((x) => `${x.value} ${total > 0 ? ((100 * x.count) / total).toFixed(1) : '0.0'}%`);
  const more = counts.length - shown;
  return parts.join(' · ') + (more > 0 ? ` · … ${more} more` : '');
}

/**
 * What a column's values look like, in one line for the schema table: the share of each value for
 * booleans, two-valued columns and categories; range and mean for numbers; examples otherwise.
 * @example describeValues(age) // "19 … 75, mean 35.546"
 */
export function describeValues(c: ColumnSchema): string {
  const twoValued = c.distinct <= 2 && c.type !== 'text';
  if ((c.type === 'boolean' || c.type === 'categorical' || twoValued) && c.counts?.length) return valueShares(c)!;
  if (c.min !== undefined && c.type !== 'date') return `${num(c.min)} … ${num(c.max)}, mean ${num(c.mean)}`;
  return c.examples.join(', ') + (c.distinct > c.examples.length ? ', …' : '');
}

/** The label column's task and a one-line summary of its classes or range, for the label picker. */
export interface LabelSummary {
  task: Task;
  /** "2 classes: good 70.0% · bad 30.0%", or "numbers from 1 to 45, mean 12.3". */
  text: string;
}

/**
 * What predicting the schema's label means: classification (its classes and their shares) or
 * regression (its range and mean), by the same rule training uses (`inferTask`). Null without a label.
 */
export function labelSummary(schema: Schema): LabelSummary | null {
  const c = schema.columns.find((x) => x.name === schema.label);
  if (!c) return null;
  const task = inferTask(schema);
  if (task === 'regression') return { task, text: `numbers from ${num(c.min)} to ${num(c.max)}, mean ${num(c.mean)}` };
  const shares = valueShares(c);
  return {
    task,
    text: `${c.distinct} class${c.distinct === 1 ? '' : 'es'}` + (shares ? `: ${shares}` : ''),
  };
}
