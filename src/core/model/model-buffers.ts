// The large buffers inside a model — what moves between threads with `transfer` instead of a copy.
import type { TrainedModel } from './spec.ts';
import type { RunWithModel } from '../pipeline/derive-run.ts';

/**
 * The distinct ArrayBuffers a model holds: a network's `weightData`, an ONNX graph's `bytes`, and
 * those of an ensemble's members (recursively). Classical models hold none (plain JSON).
 * Cost: a walk over the ensemble tree.
 * @example transfer(model, modelBuffers(model))
 */
export function modelBuffers(model: TrainedModel): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const walk = (m: TrainedModel) => {
    if (m.kind === 'network') out.add(m.artifacts.weightData);
    else if (m.kind === 'onnx') out.add(m.onnx.bytes);
    else if (m.kind === 'ensemble') m.ensemble.members.forEach(walk);
  };
  walk(model);
  return [...out].filter((b) => b.byteLength > 0);
}

/**
 * A copy of `model` whose buffers that `keep(buffer)` says must stay (a cached parent's weights that a
 * calibrated child shares) are copied, so every buffer of the result can be transferred.
 * Cost: one copy per kept buffer; none when nothing is shared.
 */
export function unshared(model: TrainedModel, keep: (b: ArrayBuffer) => boolean): TrainedModel {
  const own = (b: ArrayBuffer) => (keep(b) ? b.slice(0) : b);
  switch (model.kind) {
    case 'network':
      return { ...model, artifacts: { ...model.artifacts, weightData: own(model.artifacts.weightData) } };
    case 'onnx':
      return { ...model, onnx: { ...model.onnx, bytes: own(model.onnx.bytes) } };
    case 'ensemble':
      return {
        ...model,
        ensemble: { ...model.ensemble, members: model.ensemble.members.map((m) => unshared(m, keep)) },
      };
    default:
      return model;
  }
}

/** The buffers to transfer with a derived run and model (none when the result failed). */
export function transferables(r: { ok: true; value: RunWithModel } | { ok: false }): ArrayBuffer[] {
  return r.ok ? modelBuffers(r.value.model) : [];
}
