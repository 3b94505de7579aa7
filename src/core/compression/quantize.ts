import type { QuantParams } from '../contracts/attachments.ts';
export type { QuantParams } from '../contracts/attachments.ts';

/**
 * Quantizes a float tensor whose last axis is `channels` wide: symmetric int8 (scale = max|x| / 127,
 * zero point 0) or asymmetric uint8 (scale = (max − min) / 255, zero point = round(−min / scale)),
 * per tensor or per output channel. Returns the integer codes, the parameters, and the dequantized
 * float values the model then computes with.
 * Cost: O(n).
 */
export function quantizeTensor(
  x: Float32Array,
  channels: number,
  opts: { symmetric: boolean; perChannel: boolean },
): { q: Int8Array | Uint8Array; params: QuantParams; dequantized: Float32Array } {
  const groups = opts.perChannel ? channels : 1;
  const scale: number[] = [],
    zeroPoint: number[] = [];
  for (let g = 0; g < groups; g++) {
    let lo = 0,
      hi = 0;
    for (let i = 0; i < x.length; i++) {
      if (opts.perChannel && i % channels !== g) continue;
      lo = Math.min(lo, x[i]!);
      hi = Math.max(hi, x[i]!);
    }
    if (opts.symmetric) {
      const m = Math.max(Math.abs(lo), Math.abs(hi));
      scale.push(m > 0 ? m / 127 : 1);
      zeroPoint.push(0);
    } else {
      const s = hi > lo ? (hi - lo) / 255 : 1;
      scale.push(s);
      zeroPoint.push(Math.min(255, Math.max(0, Math.round(-lo / s))));
    }
  }
  const q = opts.symmetric ? new Int8Array(x.length) : new Uint8Array(x.length);
  const dequantized = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const g = opts.perChannel ? i % channels : 0;
    const v = Math.round(x[i]! / scale[g]!) + zeroPoint[g]!;
    const c = opts.symmetric ? Math.min(127, Math.max(-127, v)) : Math.min(255, Math.max(0, v));
    q[i] = c;
    dequantized[i] = (c - zeroPoint[g]!) * scale[g]!;
  }
  return {
    q,
    params: {
      bits: 8,
      symmetric: opts.symmetric,
      perChannel: opts.perChannel,
      scale,
      zeroPoint,
      signed: opts.symmetric,
    },
    dequantized,
  };
}

/** Binary weights (a teaching demo): sign(x) · mean|x| per tensor (Rastegari et al. 2016, XNOR-Net's α). */
export function binarize(x: Float32Array): { alpha: number; dequantized: Float32Array } {
  let s = 0;
  for (const v of x) s += Math.abs(v);
  const alpha = x.length ? s / x.length : 0;
  return { alpha, dequantized: Float32Array.from(x, (v) => (v >= 0 ? alpha : -alpha)) };
}
