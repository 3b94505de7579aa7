import type { EnsembleModel, NetworkModel, OnnxModel, TrainedModel } from '../contracts/model.ts';
import { assert } from '../util/result.ts';

/**
 * The model as a network, for code that has already checked (or built) one.
 * @throws Error (assert) when it is another kind — a bug, not bad input.
 */
export function asNetwork(m: TrainedModel): NetworkModel {
  assert(m.kind === 'network', () => `expected a network model, got ${m.kind}`);
  return m;
}

/** The model as an ONNX graph. @throws Error (assert) when it is another kind. */
export function asOnnx(m: TrainedModel): OnnxModel {
  assert(m.kind === 'onnx', () => `expected an ONNX model, got ${m.kind}`);
  return m;
}

/** The model as an ensemble. @throws Error (assert) when it is another kind. */
export function asEnsemble(m: TrainedModel): EnsembleModel {
  assert(m.kind === 'ensemble', () => `expected an ensemble, got ${m.kind}`);
  return m;
}
