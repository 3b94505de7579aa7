// Imported and statically quantized ONNX models run in onnxruntime-web's WASM build, which runs in
// Node too: the command line and the Node tests register it as the core's ONNX runner.
import * as ort from 'onnxruntime-web';
import { setOnnxRunner } from '../src/core/model/onnx-runner.ts';
import { ORT_GRAPH_OPTIMIZATION } from '../src/core/onnx/session-options.ts';

export function registerOrtWebRunner(): void {
  ort.env.wasm.numThreads = 1;
  setOnnxRunner(async (model, X, n, d) => {
    const s = await ort.InferenceSession.create(model, { graphOptimizationLevel: ORT_GRAPH_OPTIMIZATION });
    try {
      const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', X, [n, d]) });
      return Float32Array.from(out[s.outputNames[0]!]!.data as Float32Array);
    } finally {
      await s.release();
    }
  });
}
