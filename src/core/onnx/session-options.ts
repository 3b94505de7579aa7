/**
 * The graph optimization level every onnxruntime session here is created with (serve, the command
 * line's runner, the app's workers). At 'extended'/'all' onnxruntime fuses QuantizeLinear →
 * DequantizeLinear pairs into integer kernels (QLinearMatMul and friends) whose rounding differs from
 * the dequantize-then-float arithmetic the exporter writes and `predict` computes: an int8 model served
 * at 'all' differed from `predict` by up to 6.6e-3 (one row of 214 changed class). 'basic' keeps
 * constant folding and redundant-node removal, and matches `predict` to < 1e-5
 * (bin/served-int8.test.ts).
 */
export const ORT_GRAPH_OPTIMIZATION = 'basic' as const;
