import type { ClassicalState, TrainedModel } from '../contracts/model.ts';
import type { RunRecord } from '../contracts/run-record.ts';
import type { Params, TrainConfig } from '../contracts/train-config.ts';
import { configFor } from '../families/index.ts';
import { familyOf } from '../families/index.ts';
import type { Result } from '../util/result.ts';
import { RunFormatSchema, RunRecordSchema } from './schemas/run-record.ts';
import { validateRecord } from './schemas/validate.ts';

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A training configuration from any version: today's `{ kind, params, seed }`, or the flat
 * `benchtop-run@1` shape `{ model: { kind, hidden, maxDepth, … }, epochs, learningRate, schedule: {…} }`,
 * whose fields become the family's params (fields the family does not have are dropped).
 * @example upgradeConfig({ model: { kind: 'tree', maxDepth: 3 }, seed: 7 })
 *   // { kind: 'tree', params: { maxDepth: 3, minSamplesLeaf: 1 }, seed: 7 }
 */
export function upgradeConfig(raw: unknown): TrainConfig {
  if (!isObject(raw)) return configFor('mlp');
  if (typeof raw.kind === 'string' && isObject(raw.params))
    return configFor(raw.kind, raw.params as Params, typeof raw.seed === 'number' ? raw.seed : undefined);
  const model = isObject(raw.model) ? raw.model : {};
  const kind = typeof model.kind === 'string' ? model.kind : 'mlp';
  const schedule = isObject(raw.schedule) ? raw.schedule : {};
  const flat: Loose = {
    ...model,
    ...raw,
    schedule: schedule.kind,
    scheduleEvery: schedule.every,
    scheduleGamma: schedule.gamma,
  };
  const family = familyOf(kind);
  const params: Params = {};
  for (const f of family?.fields ?? []) if (flat[f.name] !== undefined) params[f.name] = flat[f.name] as Params[string];
  return configFor(kind, params, typeof raw.seed === 'number' ? raw.seed : undefined);
}

/** A run record from any version, as today's `benchtop-run@2` (the config upgraded, nothing else lost). */
export function upgradeRun(raw: RunRecord | Loose): RunRecord {
  const r = raw as Loose;
  if (r.format === 'benchtop-run@2') return raw as RunRecord;
  return { ...r, format: 'benchtop-run@2', config: upgradeConfig(r.config) } as unknown as RunRecord;
}

/**
 * A stored run record of any version, checked: its `format` first (`benchtop-run@2` or @1), then —
 * after {@link upgradeRun} — every field against today's schema, so a migrated record is as sound as
 * a new one. `file` names the record in the refusal (`opts` as in `validateRecord`).
 * Cost: one pass over the record.
 * @example parseRun(JSON.parse(text), 'runs/a/run.json')
 *   // { ok: false, error: { kind: 'bad-record', message: 'runs/a/run.json: field "status" must be one of … (it holds the number 42).' } }
 */
export function parseRun(raw: unknown, file: string, opts: { kind?: string; label?: string } = {}): Result<RunRecord> {
  const f = validateRecord(RunFormatSchema, raw, file, opts);
  if (!f.ok) return f;
  return validateRecord(RunRecordSchema, upgradeRun(raw as Loose), file, opts);
}

/**
 * A trained model from any version, as today's union on `kind`: older records carried optional
 * `artifacts` / `classical {kind, state}` / `ensemble` / `onnx` fields with no tag.
 */
export function upgradeModel(raw: TrainedModel | Loose): TrainedModel {
  const m = raw as Loose;
  if (typeof m.kind === 'string') {
    if (m.kind === 'ensemble' && isObject(m.ensemble))
      return {
        ...m,
        ensemble: { ...m.ensemble, members: (m.ensemble.members as Loose[]).map(upgradeModel) },
      } as unknown as TrainedModel;
    return raw as TrainedModel;
  }
  const { artifacts, classical, ensemble, onnx, ...rest } = m;
  if (onnx) return { ...rest, kind: 'onnx', onnx } as unknown as TrainedModel;
  if (ensemble && isObject(ensemble))
    return {
      ...rest,
      kind: 'ensemble',
      ensemble: { ...ensemble, members: (ensemble.members as Loose[]).map(upgradeModel) },
    } as unknown as TrainedModel;
  if (classical && isObject(classical))
    return { ...rest, kind: 'classical', classical: upgradeClassical(classical) } as unknown as TrainedModel;
  return { ...rest, kind: 'network', artifacts } as unknown as TrainedModel;
}

/** `{ kind, state }` (before families) or `{ family, state }`. */
export function upgradeClassical(c: Loose): ClassicalState {
  return { family: String(c.family ?? c.kind), state: c.state };
}
