import { gzipSync } from 'fflate';
import type { ModelArtifacts, NetworkModel, TrainedModel } from '../model/spec.ts';
import type { Result } from '../util/result.ts';
import { fail, ok } from '../util/result.ts';
import { roundToHalf, toHalfBits } from './float16.ts';
import { binarize, quantizeTensor, type QuantParams } from './quantize.ts';
import { svd } from './svd.ts';
import type { CompressionMethod, CompressionSpec, CompressionInfo } from '../contracts/attachments.ts';
export type { CompressionMethod, CompressionSpec, CompressionInfo } from '../contracts/attachments.ts';

export const COMPRESSION_METHODS: readonly CompressionMethod[] = Object.freeze([
  'fp16',
  'int8',
  'int8-static',
  'binary',
  'prune',
  'lowrank',
]);

type Tensors = { spec: ModelArtifacts['weightSpecs'][number]; values: Float32Array }[];

function readTensors(a: ModelArtifacts): Tensors {
  let offset = 0;
  return a.weightSpecs.map((spec) => {
    const n = spec.shape.reduce((x, y) => x * y, 1);
    const values = new Float32Array(a.weightData.slice(offset, offset + n * 4));
    offset += n * 4;
    return { spec, values };
  });
}

function writeTensors(topology: object, ts: Tensors): ModelArtifacts {
  const total = ts.reduce((s, t) => s + t.values.length, 0);
  const data = new Float32Array(total);
  let o = 0;
  for (const t of ts) {
    data.set(t.values, o);
    o += t.values.length;
  }
  return { modelTopology: topology, weightSpecs: ts.map((t) => t.spec), weightData: data.buffer };
}

const isKernel = (t: Tensors[number]) => /\/(kernel|depthwise_kernel)$/.test(t.spec.name);

/**
 * Compresses a network's weights (post-training) and returns the model with the compressed weights
 * dequantized back to float32 — so evaluating it measures exactly the accuracy the compression costs —
 * and what it would occupy stored that way:
 * - fp16: every weight rounded to float16 (2 bytes);
 * - int8: kernels to 8 bits, per tensor or per output channel, symmetric or asymmetric (biases and
 *   batch-norm stay float32, as in ONNX QDQ);
 * - binary: kernels to sign(w)·mean|w| (1 bit + one scale per tensor) — a teaching demo;
 * - prune: the smallest-magnitude kernel weights set to zero, globally or per layer;
 * - lowrank: each dense kernel W (in × out) replaced by two layers of rank r from its SVD
 *   (U_r Σ_r)(V_rᵀ), when that has fewer parameters.
 * Classical models and ensembles are not compressed here.
 */
export function compressModel(
  model: TrainedModel,
  spec: CompressionSpec,
): Result<{ model: NetworkModel; info: CompressionInfo }> {
  if (model.kind !== 'network')
    return fail({
      kind: 'unsupported-model',
      message: 'Compression works on neural networks (logistic, linear, MLP, CNN); this model has no tfjs weights.',
    });
  const ts = readTensors(model.artifacts);
  const params = ts.reduce((s, t) => s + t.values.length, 0);
  const parentBytes = params * 4;
  let topology = model.artifacts.modelTopology;
  let out: Tensors = ts;
  let storedBytes = parentBytes;
  let stored: Uint8Array;
  const info: Partial<CompressionInfo> = {};
  switch (spec.method) {
    case 'fp16': {
      out = ts.map((t) => ({ spec: t.spec, values: roundToHalf(t.values) }));
      storedBytes = params * 2;
      const half = new Uint16Array(params);
      let o = 0;
      for (const t of ts) for (const v of t.values) half[o++] = toHalfBits(v);
      stored = new Uint8Array(half.buffer);
      break;
    }
    case 'int8': {
      const quant: Record<string, QuantParams> = {};
      const parts: Uint8Array[] = [];
      storedBytes = 0;
      out = ts.map((t) => {
        if (!isKernel(t)) {
          storedBytes += t.values.length * 4;
          parts.push(new Uint8Array(t.values.buffer.slice(0)));
          return t;
        }
        const channels = t.spec.shape.at(-1)!;
        const q = quantizeTensor(t.values, channels, {
          symmetric: spec.symmetric ?? true,
          perChannel: spec.perChannel ?? true,
        });
        quant[t.spec.name] = q.params;
        storedBytes +=
          t.values.length + q.params.scale.length * 4 + (q.params.symmetric ? 0 : q.params.zeroPoint.length);
        parts.push(new Uint8Array(q.q.buffer));
        return { spec: t.spec, values: q.dequantized };
      });
      info.quant = quant;
      stored = concat(parts);
      break;
    }
    case 'binary': {
      storedBytes = 0;
      const parts: Uint8Array[] = [];
      out = ts.map((t) => {
        if (!isKernel(t)) {
          storedBytes += t.values.length * 4;
          parts.push(new Uint8Array(t.values.buffer.slice(0)));
          return t;
        }
        const b = binarize(t.values);
        storedBytes += Math.ceil(t.values.length / 8) + 4;
        const bits = new Uint8Array(Math.ceil(t.values.length / 8));
        t.values.forEach((v, i) => v >= 0 && (bits[i >> 3]! |= 1 << (i & 7)));
        parts.push(bits);
        return { spec: t.spec, values: b.dequantized };
      });
      stored = concat(parts);
      break;
    }
    case 'prune': {
      const s = spec.sparsity ?? 0.5;
      if (!(s >= 0 && s < 1))
        return fail({
          kind: 'bad-config',
          column: 'sparsity',
          message: `Sparsity must be at least 0 and below 1; it is ${s}.`,
        });
      const kernels = ts.filter(isKernel);
      const thresholdOf = (vals: Float32Array[]) => {
        const all = Float32Array.from(vals.flatMap((v) => Array.from(v, Math.abs))).sort();
        const k = Math.floor(s * all.length);
        return k > 0 ? all[k - 1]! : -1;
      };
      const global = thresholdOf(kernels.map((t) => t.values));
      out = ts.map((t) => {
        if (!isKernel(t)) return t;
        const thr = spec.scope === 'layer' ? thresholdOf([t.values]) : global;
        return { spec: t.spec, values: Float32Array.from(t.values, (v) => (Math.abs(v) <= thr ? 0 : v)) };
      });
      stored = new Uint8Array(writeTensors(topology, out).weightData);
      storedBytes = parentBytes;
      break;
    }
    case 'distill':
    case 'int8-static':
      return fail({
        kind: 'bad-config',
        message: `${spec.method} needs data (a teacher's targets or calibration rows); it runs through compressRun.`,
      });
    case 'lowrank': {
      const lr = lowRank(topology, ts, spec);
      if (!lr.ok) return lr;
      topology = lr.value.topology;
      out = lr.value.tensors;
      info.ranks = lr.value.ranks;
      storedBytes = out.reduce((x, t) => x + t.values.length, 0) * 4;
      stored = new Uint8Array(writeTensors(topology, out).weightData);
      break;
    }
  }
  const nonzero = out.reduce((x, t) => x + t.values.filter((v) => v !== 0).length, 0);
  const outParams = out.reduce((x, t) => x + t.values.length, 0);
  const artifacts = writeTensors(topology, out);
  const compression: CompressionInfo = {
    method: spec.method,
    spec,
    parentBytes,
    storedBytes,
    gzipBytes: gzipSync(stored!, { level: 9 }).byteLength,
    params: outParams,
    nonzero,
    sparsity: 1 - nonzero / outParams,
    ...info,
  };
  return ok({ model: { ...model, artifacts, compression }, info: compression });
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

type LayerCfg = { class_name: string; config: Record<string, unknown> };

/** Factorizes dense kernels: Dense(out) on d inputs → Dense(r, no bias) then Dense(out). */
function lowRank(
  topology: object,
  ts: Tensors,
  spec: CompressionSpec,
): Result<{ topology: object; tensors: Tensors; ranks: Record<string, number> }> {
  const topo = structuredClone(topology) as { config: { layers: LayerCfg[] } } & {
    model_config?: { config: { layers: LayerCfg[] } };
  };
  const cfg = (topo.model_config ?? topo).config;
  const layers = cfg.layers;
  const byName = new Map(ts.map((t) => [t.spec.name, t]));
  const newLayers: LayerCfg[] = [];
  const tensors: Tensors = [];
  const ranks: Record<string, number> = {};
  for (const l of layers) {
    const name = String(l.config.name);
    const kernel = byName.get(`${name}/kernel`);
    const own = ts.filter((t) => t.spec.name.startsWith(`${name}/`));
    if (l.class_name !== 'Dense' || !kernel) {
      newLayers.push(l);
      tensors.push(...own);
      continue;
    }
    const [din, dout] = kernel.spec.shape as [number, number];
    const { U, S, V } = svd(Float64Array.from(kernel.values), din, dout);
    const n = Math.min(din, dout);
    let r = spec.rank ?? n;
    if (spec.energy !== undefined) {
      const total = Array.from(S).reduce((s, x) => s + x * x, 0);
      let acc = 0;
      r = n;
      for (let i = 0; i < n; i++) {
        acc += S[i]! ** 2;
        if (acc >= spec.energy * total) {
          r = i + 1;
          break;
        }
      }
    }
    r = Math.max(1, Math.min(r, n));
    if (r * (din + dout) >= din * dout) {
      newLayers.push(l);
      tensors.push(...own);
      continue;
    }
    ranks[name] = r;
    // W ≈ A · B with A = U_r Σ_r (din × r), B = V_rᵀ (r × dout).
    const A = new Float32Array(din * r),
      B = new Float32Array(r * dout);
    for (let i = 0; i < din; i++) for (let k = 0; k < r; k++) A[i * r + k] = U[i * dout + k]! * S[k]!;
    for (let k = 0; k < r; k++) for (let j = 0; j < dout; j++) B[k * dout + j] = V[j * dout + k]!;
    const first: LayerCfg = {
      class_name: 'Dense',
      config: { ...l.config, name: `${name}_lowrank`, units: r, activation: 'linear', use_bias: false },
    };
    const second: LayerCfg = { class_name: 'Dense', config: { ...l.config } };
    delete second.config.batch_input_shape;
    newLayers.push(first, second);
    tensors.push({ spec: { name: `${name}_lowrank/kernel`, shape: [din, r], dtype: 'float32' }, values: A });
    tensors.push({ spec: { ...kernel.spec, shape: [r, dout] }, values: B });
    tensors.push(...own.filter((t) => t !== kernel));
  }
  if (Object.keys(ranks).length === 0)
    return fail({
      kind: 'no-gain',
      message: 'No dense layer gets smaller at that rank; choose a lower rank or energy fraction.',
    });
  cfg.layers = newLayers;
  return ok({ topology: topo, tensors, ranks });
}
