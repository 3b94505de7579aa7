import { disposeModel, modelToArtifacts } from '../model/artifacts.ts';
import type { NetworkSpec } from '../model/network-spec.ts';
import { trainModel, type TrainCallbacks } from '../model/train-model.ts';
import type { FitInput, FitOutcome } from './family.ts';

/**
 * Trains a network family with tfjs (mini-batch gradient descent, src/core/model/train-model.ts)
 * and keeps its weights as plain artifacts.
 */
export async function fitNetwork(spec: NetworkSpec, input: FitInput, cb: TrainCallbacks): Promise<FitOutcome> {
  const outcome = await trainModel(input.pre, input.train, input.validation, spec, cb);
  try {
    const artifacts = await modelToArtifacts(outcome.model);
    return {
      model: { kind: 'network', artifacts, preprocessor: input.pre },
      history: outcome.history,
      status: outcome.status,
      message: outcome.message,
      bestEpoch: outcome.bestEpoch,
      samplesPerSecond: outcome.samplesPerSecond,
      durationMs: outcome.durationMs,
    };
  } finally {
    disposeModel(outcome.model);
  }
}
