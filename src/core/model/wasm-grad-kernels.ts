import * as tf from '@tensorflow/tfjs';
import { assert } from '../util/result.ts';

type Info = { dataId: object; shape: number[]; dtype: tf.DataType };
type KernelArgs = {
  inputs: Record<string, Info>;
  attrs: Record<string, unknown>;
  backend: { incRef(dataId: object): void };
};

/**
 * Runs tfjs ops inside a kernel and hands the result to the engine as the kernel's output:
 * the result's data gets an extra reference before the engine-level tensor is dropped, so
 * intermediates are freed, the output survives, and nothing leaks.
 */
function viaOps(args: KernelArgs, names: string[], f: (...ts: tf.Tensor[]) => tf.Tensor): Info {
  const engine = tf.engine();
  // Wrapping an input adds an engine tensor but no backend reference; add one so that disposing
  // the wrapper leaves the caller's data alone.
  const ins = names.map((n) => {
    args.backend.incRef(args.inputs[n]!.dataId);
    return engine.makeTensorFromTensorInfo(args.inputs[n]!);
  });
  const out = tf.tidy(() => f(...ins));
  args.backend.incRef(out.dataId);
  const info: Info = { dataId: out.dataId, shape: out.shape, dtype: out.dtype };
  out.dispose();
  for (const t of ins) t.dispose();
  return info;
}

type Pair = [number, number];
const pair = (v: unknown): Pair => (Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)]);

/**
 * ∂L/∂filter of a 2-D convolution from x and ∂L/∂y, with ops the WASM backend has: the batch axis
 * becomes the channel axis of a convolution of x (channels as batch) with dy as the filter, dilated
 * by the forward stride (the classic "weight gradient is a correlation of input and output
 * gradient"). Works for any stride and padding, channels-last.
 */
function conv2dBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: Pair,
  pad: tf.backend_util.PadInfo,
): tf.Tensor4D {
  const [fh, fw] = filterShape;
  const xT = tf.transpose(x, [3, 1, 2, 0]); // [cin, H, W, B]
  const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [outH, outW, B, cout]
  const explicit: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [pad.top, pad.bottom],
    [pad.left, pad.right],
    [0, 0],
  ];
  // [cin, ≥fh, ≥fw, cout]
  const full = tf.conv2d(xT as tf.Tensor4D, dyT as tf.Tensor4D, 1, explicit, 'NHWC', strides);
  const cut = tf.slice(full, [0, 0, 0, 0], [-1, fh, fw, -1]);
  return tf.transpose(cut, [1, 2, 0, 3]) as tf.Tensor4D; // [fh, fw, cin, cout]
}

function conv2DBackpropFilterKernel(args: KernelArgs): Info {
  const { strides, pad, dimRoundingMode, filterShape, dataFormat } = args.attrs as {
    strides: number | Pair;
    pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
    dataFormat: string;
  };
  assert(dataFormat === 'NHWC', () => `Conv2DBackpropFilter on wasm supports NHWC only, got ${dataFormat}`);
  const x = args.inputs.x!;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    pair(strides),
    1,
    pad,
    dimRoundingMode,
  );
  return viaOps(args, ['x', 'dy'], (xt, dyt) =>
    conv2dBackpropFilter(
      xt as tf.Tensor4D,
      dyt as tf.Tensor4D,
      filterShape,
      [info.strideHeight, info.strideWidth],
      info.padInfo,
    ),
  );
}

function depthwiseBackpropFilterKernel(args: KernelArgs): Info {
  const { strides, dilations, pad, dimRoundingMode, filterShape } = args.attrs as {
    strides: number | Pair;
    dilations: number | Pair;
    pad: 'same' | 'valid' | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  const [dh, dw] = pair(dilations ?? 1);
  assert(dh === 1 && dw === 1, () => 'DepthwiseConv2dNativeBackpropFilter on wasm: dilations must be 1');
  const x = args.inputs.x!;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    pair(strides),
    1,
    pad,
    dimRoundingMode,
    true,
  );
  const [fh, fw, cin, m] = filterShape;
  return viaOps(args, ['x', 'dy'], (xt, dyt) => {
    // Cross-channel weight gradient [fh, fw, cin, cin·m], then keep each channel's own block.
    const full = conv2dBackpropFilter(
      xt as tf.Tensor4D,
      dyt as tf.Tensor4D,
      [fh, fw, cin, cin * m],
      [info.strideHeight, info.strideWidth],
      info.padInfo,
    );
    const eye = tf.reshape(tf.eye(cin), [1, 1, cin, cin, 1]);
    return tf.sum(tf.mul(tf.reshape(full, [fh, fw, cin, cin, m]), eye), 3); // [fh, fw, cin, m]
  });
}

function depthwiseBackpropInputKernel(args: KernelArgs): Info {
  const { strides, dilations, pad, dimRoundingMode, inputShape } = args.attrs as {
    strides: number | Pair;
    dilations: number | Pair;
    pad: 'same' | 'valid' | number;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  const [dh, dw] = pair(dilations ?? 1);
  assert(dh === 1 && dw === 1, () => 'DepthwiseConv2dNativeBackpropInput on wasm: dilations must be 1');
  const filter = args.inputs.filter!;
  const [fh, fw, cin, m] = filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    pair(strides),
    1,
    pad,
    dimRoundingMode,
    true,
  );
  const [sh, sw] = [info.strideHeight, info.strideWidth];
  const [, H, W] = inputShape;
  return viaOps(args, ['dy', 'filter'], (dyt, ft) => {
    const [b, oh, ow, c] = dyt.shape as [number, number, number, number];
    // Spread dy back onto the stride grid (zeros between), as a transposed convolution does.
    let d: tf.Tensor4D = dyt as tf.Tensor4D;
    if (sh > 1 || sw > 1) {
      const spread = tf.pad(tf.reshape(dyt, [b, oh, 1, ow, 1, c]), [
        [0, 0],
        [0, 0],
        [0, sh - 1],
        [0, 0],
        [0, sw - 1],
        [0, 0],
      ]);
      d = tf.slice(
        tf.reshape(spread, [b, oh * sh, ow * sw, c]),
        [0, 0, 0, 0],
        [-1, (oh - 1) * sh + 1, (ow - 1) * sw + 1, -1],
      ) as tf.Tensor4D;
    }
    const top = fh - 1 - info.padInfo.top,
      left = fw - 1 - info.padInfo.left;
    const bottom = H + fh - 1 - d.shape[1] - top,
      right = W + fw - 1 - d.shape[2] - left;
    const padded = tf.pad(d, [
      [0, 0],
      [Math.max(0, top), Math.max(0, bottom)],
      [Math.max(0, left), Math.max(0, right)],
      [0, 0],
    ]);
    const trimmed = tf.slice(
      padded,
      [0, Math.max(0, -top), Math.max(0, -left), 0],
      [-1, H + fh - 1, W + fw - 1, -1],
    ) as tf.Tensor4D;
    const flipped = tf.reshape(tf.reverse(ft, [0, 1]), [fh, fw, cin * m, 1]) as tf.Tensor4D;
    const out = tf.depthwiseConv2d(trimmed, flipped, 1, 'valid'); // [b, H, W, cin·m]
    return tf.sum(tf.reshape(out, [b, H, W, cin, m]), 4);
  });
}

const KERNELS: readonly [string, (args: KernelArgs) => Info][] = Object.freeze([
  ['Conv2DBackpropFilter', conv2DBackpropFilterKernel],
  ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilterKernel],
  ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInputKernel],
]);

/**
 * Registers the gradient kernels tfjs-backend-wasm 4.22 lacks, built from operations it has, so
 * CNNs train on WASM instead of failing. Idempotent; kernels the backend already has are left alone.
 * @returns the kernel names registered by this call.
 */
export function registerWasmGradKernels(): string[] {
  const added: string[] = [];
  for (const [kernelName, fn] of KERNELS) {
    if (tf.getKernel(kernelName, 'wasm')) continue;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: fn as unknown as tf.KernelFunc });
    added.push(kernelName);
  }
  return added;
}
