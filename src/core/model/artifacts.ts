import * as tf from '@tensorflow/tfjs';
import { checkNetworkShape, STORED_MODEL_NAMES, UnsafeModelError } from './model-sanity.ts';
import type { ModelArtifacts } from './spec.ts';

/**
 * Serializes a tfjs LayersModel to plain data (topology JSON + one weights buffer), the same
 * content as tfjs's `model.json` + `weights.bin`.
 */
export async function modelToArtifacts(model: tf.LayersModel): Promise<ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      captured = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const a = captured! as tf.io.ModelArtifacts;
  const wd = a.weightData!;
  const weightData = Array.isArray(wd) ? tf.io.concatenateArrayBuffers(wd) : (wd as ArrayBuffer);
  return {
    modelTopology: a.modelTopology as object,
    weightSpecs: a.weightSpecs as ModelArtifacts['weightSpecs'],
    weightData: weightData.slice(0),
  };
}

/**
 * Rebuilds a LayersModel from {@link ModelArtifacts}. The caller disposes it. Its sizes are checked
 * first (src/core/model/model-sanity.ts), so a stored topology asking for 10⁹ units is refused
 * before tfjs allocates anything.
 * @throws UnsafeModelError naming the layer and the limit, when the sizes fail the check.
 */
export async function artifactsToModel(a: ModelArtifacts): Promise<tf.LayersModel> {
  const sane = checkNetworkShape(a, STORED_MODEL_NAMES);
  if (!sane.ok) throw new UnsafeModelError(sane.error);
  // tfjs only reads the buffer (into tensors), so no defensive copy.
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData }),
  );
}

/** Frees a model's weights and its optimizer's state (Adam moments); `model.dispose()` alone keeps the latter. */
export function disposeModel(model: tf.LayersModel): void {
  const opt = (model as { optimizer?: tf.Optimizer }).optimizer;
  model.dispose();
  opt?.dispose();
}
