import { denseLayerInputs } from '../model/layer-inputs.ts';
import type { Problem, Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import type { TrainedModel } from '../model/spec.ts';
import { exportDenseOnnx } from '../onnx/export-dense.ts';
import { estimateRange, type RangeMethod } from './activation-ranges.ts';
import { compressModel, type CompressionInfo } from './compress.ts';

/** Fewer calibration rows than this make activation ranges unreliable. */
export const MIN_CALIBRATION_ROWS = 100;

/**
 * Static int8: int8 weights (per output channel, symmetric) and uint8 activations whose ranges are
 * estimated on calibration rows drawn from the training split (min-max, percentile or entropy). The
 * result is an ONNX model in QDQ form that onnxruntime runs — the quantized activations only exist
 * there, so predictions of this model go through onnxruntime.
 */
export async function staticInt8(
  model: TrainedModel,
  calibration: Float32Array,
  rows: number,
  method: RangeMethod,
  version = 'dev',
): Promise<Result<{ model: TrainedModel; info: CompressionInfo }>> {
  if (model.kind !== 'network')
    return fail({ kind: 'unsupported-model', message: 'Static quantization works on neural networks.' });
  const warnings: Problem[] = [];
  if (rows < MIN_CALIBRATION_ROWS)
    warnings.push({
      kind: 'small-calibration-set',
      message:
        `Static quantization calibrated on ${rows} row(s); at least ${MIN_CALIBRATION_ROWS} are ` +
        `needed for stable activation ranges.`,
    });
  const weights = compressModel(model, { method: 'int8', perChannel: true, symmetric: true });
  if (!weights.ok) return weights;
  const d = model.preprocessor.inputSize;
  const activations: NonNullable<CompressionInfo['activations']> = {};
  for (const [name, values] of Object.entries(
    await denseLayerInputs(model.artifacts, calibration.subarray(0, rows * d), rows, d),
  )) {
    const r = estimateRange(values, method);
    const scale = r.max > r.min ? (r.max - r.min) / 255 : 1;
    activations[name] = {
      scale,
      zeroPoint: Math.min(255, Math.max(0, Math.round(-r.min / scale))),
      min: r.min,
      max: r.max,
    };
  }
  const onnx = exportDenseOnnx(weights.value.model.artifacts, d, version, weights.value.info.quant, activations);
  if (!onnx.ok) return onnx;
  const info: CompressionInfo = {
    ...weights.value.info,
    method: 'int8-static',
    spec: { method: 'int8-static', rangeMethod: method, calibrationRows: rows },
    activations,
  };
  return ok(
    {
      model: {
        kind: 'onnx',
        onnx: {
          bytes: onnx.value.slice().buffer as ArrayBuffer,
          input: 'features',
          output: 'outputs',
          file: 'static-int8.onnx',
        },
        preprocessor: model.preprocessor,
        compression: info,
      },
      info,
    },
    warnings,
  );
}
