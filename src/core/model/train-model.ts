import * as tf from '@tensorflow/tfjs';
import type { Preprocessor } from '../data/preprocess.ts';
import { createRandom, shuffleInPlace } from '../util/random.ts';
import { yieldToEventLoop } from '../util/yield.ts';
import { artifactsToModel, disposeModel } from './artifacts.ts';
import { buildModel, makeOptimizer, outputUnits } from './build-model.ts';
import { predictOutputs } from './predict.ts';
import type { EncodedSet } from './prepare.ts';
import type { ModelArtifacts } from '../contracts/model.ts';
import type { FitCallbacks } from '../contracts/fit.ts';
import type { EpochRecord, SplitMetrics } from '../contracts/run-record.ts';
import { learningRateAt, type NetworkSpec } from './network-spec.ts';
import { splitMetrics } from './split-metrics.ts';

/** What the network trainer reports and accepts: the family callbacks, plus the derived-model recipes. */
export interface TrainCallbacks extends FitCallbacks {
  /** Minimum milliseconds between progress reports. */
  progressEveryMs?: number;
  /** Learning rate per global step (1-based), overriding the schedule — for the LR range test. */
  lrAtStep?: (globalStep: number) => number;
  /** Sees every step's loss; returning true ends training there (status finished). */
  onStep?: (globalStep: number, learningRate: number, loss: number) => boolean | void;
  /**
   * Knowledge distillation (Hinton et al. 2015): the teacher's class probabilities for each training
   * row (row-major n × k, in the order of `train`), the temperature T and the weight α of the soft
   * loss. Loss = α · T² · CE(softmax(z_t/T), softmax(z_s/T)) + (1 − α) · CE(y, softmax(z_s)).
   */
  distill?: { targets: Float32Array; temperature: number; alpha: number };
  /** Start from these weights (fine-tuning) instead of a fresh, seeded initialization. */
  initial?: ModelArtifacts;
  /**
   * Quantization-aware training: kernels are fake-quantized to int8 (per output channel, symmetric)
   * for the forward and backward pass, and the gradient updates the float weights (straight-through
   * estimator, Jacob et al. 2018).
   */
  fakeQuant?: boolean;
  /** Pruning during fine-tuning: the sparsity to hold at each epoch (masks by magnitude, global). */
  sparsityAt?: (epoch: number) => number;
}

export interface TrainOutcome {
  model: tf.LayersModel;
  history: EpochRecord[];
  status: 'finished' | 'cancelled' | 'failed';
  /** Why training stopped early: NaN/Inf (naming step and layer), early stopping. */
  message?: string;
  bestEpoch?: number;
  samplesPerSecond: number;
  durationMs: number;
}

/** Metrics of a model on an encoded set. */
export async function evaluateSet(
  model: tf.LayersModel,
  pre: Preprocessor,
  set: EncodedSet,
  maxRows = Infinity,
): Promise<SplitMetrics> {
  const n = Math.min(set.y.length, maxRows);
  const outputs = await predictOutputs(model, pre, set.X.subarray(0, n * pre.inputSize), n);
  return splitMetrics(pre, outputs, set.y.subarray(0, n));
}

/** Per-class loss weights n / (k · n_c) (scikit-learn's "balanced"); absent classes get 0. */
export function balancedClassWeights(y: Int32Array, k: number): Float32Array {
  const counts = new Float64Array(k);
  for (const c of y) counts[c]!++;
  return Float32Array.from(counts, (c) => (c > 0 ? y.length / (k * c) : 0));
}

function setLearningRate(opt: tf.Optimizer, lr: number): void {
  const o = opt as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

/** The trainable variables of a model, each with the layer it belongs to. */
function variablesByLayer(model: tf.LayersModel): { vars: tf.Variable[]; layerOf: Map<string, string> } {
  const vars: tf.Variable[] = [];
  const layerOf = new Map<string, string>();
  for (const layer of model.layers) {
    for (const w of layer.trainableWeights) {
      const v = (w as unknown as { val: tf.Variable }).val;
      vars.push(v);
      layerOf.set(v.name, layer.name);
    }
  }
  return { vars, layerOf };
}

/** The first layer whose output on `x` has a NaN or ±Infinity, or null. */
async function firstNonFiniteLayer(model: tf.LayersModel, x: tf.Tensor): Promise<string | null> {
  let h = x.clone();
  try {
    for (const layer of model.layers) {
      const next = tf.tidy(() => layer.apply(h) as tf.Tensor);
      h.dispose();
      h = next;
      const finite = tf.tidy(() => tf.all(tf.isFinite(h)));
      const ok = (await finite.data())[0];
      finite.dispose();
      if (!ok) return layer.name;
    }
    return null;
  } finally {
    h.dispose();
  }
}

/** Sum of squares per layer, over a map of tensors keyed by variable name. */
function layerSquares(
  tensors: Record<string, tf.Tensor>,
  layerOf: Map<string, string>,
): { names: string[]; sq: tf.Tensor1D } {
  const names = [...new Set(layerOf.values())];
  const sq = tf.tidy(() => {
    const parts = names.map((layer) => {
      const ts = Object.entries(tensors)
        .filter(([v]) => layerOf.get(v) === layer)
        .map(([, t]) => tf.sum(tf.square(t)));
      return ts.length ? tf.addN(ts) : tf.scalar(0);
    });
    return tf.stack(parts) as tf.Tensor1D;
  });
  return { names, sq };
}

/**
 * Trains a tfjs network with mini-batch gradient descent: a seeded shuffle each epoch, one
 * `variableGrads` + `applyGradients` step per batch (so gradient norms can be read), optional
 * class weights, L2, a learning-rate schedule and early stopping on validation loss (restoring the
 * best weights). A NaN/Inf loss stops the run with a message naming the step and the layer whose
 * gradients went non-finite. Yields to the event loop between batches so a cancel request is seen
 * within one batch. Same seed, data and backend → same weights.
 * Cost: epochs × n forward+backward passes plus one evaluation pass per epoch.
 */
export async function trainModel(
  pre: Preprocessor,
  train: EncodedSet,
  validation: EncodedSet,
  spec: NetworkSpec,
  cb: TrainCallbacks = {},
): Promise<TrainOutcome> {
  const started = performance.now();
  const task = pre.label.task;
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  const units = outputUnits(task, k);
  const n = train.y.length;
  const d = pre.inputSize;
  const model = cb.initial ? await artifactsToModel(cb.initial) : buildModel(spec, d, task, k, spec.seed);
  const optimizer = makeOptimizer(spec.optimizer, spec.learningRate);
  const { vars, layerOf } = variablesByLayer(model);
  const kernels = vars.filter((v) => /kernel/.test(v.name));
  const rng = createRandom(spec.seed ^ 0x5eed);
  const weights =
    task === 'classification' && spec.classWeights === 'balanced'
      ? balancedClassWeights(train.y as Int32Array, k)
      : null;
  const Xt = tf.tensor2d(train.X, [n, d]);
  const Yt = tf.tidy(() => {
    if (task === 'classification' && units > 1)
      return tf.oneHot(tf.tensor1d(train.y as Int32Array, 'int32'), k).toFloat();
    return tf.tensor2d(Float32Array.from(train.y), [n, 1]);
  });
  const Wt = weights ? tf.tensor1d(Float32Array.from(train.y as Int32Array, (c) => weights[c]!)) : null;
  const T = cb.distill?.temperature ?? 1;
  // Teacher targets softened at T, as 2-column probabilities for a sigmoid student.
  const St = cb.distill
    ? tf.tidy(() => {
        const t = tf.tensor2d(cb.distill!.targets, [n, k]);
        return tf.softmax(tf.div(tf.log(tf.clipByValue(t, 1e-7, 1)), T));
      })
    : null;
  const eps = 1e-7;
  const lossFn = (xb: tf.Tensor, yb: tf.Tensor, wb: tf.Tensor | null, sb: tf.Tensor | null = null): tf.Scalar =>
    tf.tidy(() => {
      const pred = model.apply(xb, { training: true }) as tf.Tensor;
      const soft = () => {
        // Student log-probabilities (2 columns for a sigmoid output), softened at T.
        const p2 = units === 1 ? tf.concat([tf.sub(1, pred), pred], 1) : pred;
        const logS = tf.logSoftmax(tf.div(tf.log(tf.clipByValue(p2, eps, 1)), T));
        return tf.mul(T * T, tf.mean(tf.neg(tf.sum(tf.mul(sb!, logS), 1))));
      };
      let per: tf.Tensor;
      if (task === 'regression') per = tf.squeeze(tf.square(tf.sub(pred, yb)), [1]);
      else if (units === 1) {
        const p = tf.clipByValue(pred, eps, 1 - eps);
        per = tf.squeeze(tf.neg(tf.add(tf.mul(yb, tf.log(p)), tf.mul(tf.sub(1, yb), tf.log(tf.sub(1, p))))), [1]);
      } else per = tf.neg(tf.sum(tf.mul(yb, tf.log(tf.clipByValue(pred, eps, 1))), 1));
      let loss = tf.mean(wb ? tf.mul(per, wb) : per) as tf.Scalar;
      if (sb && cb.distill)
        loss = tf.add(tf.mul(cb.distill.alpha, soft()), tf.mul(1 - cb.distill.alpha, loss)) as tf.Scalar;
      if (spec.l2 > 0 && kernels.length)
        loss = tf.add(loss, tf.mul(spec.l2, tf.addN(kernels.map((v) => tf.sum(tf.square(v)))))) as tf.Scalar;
      return loss;
    });

  const history: EpochRecord[] = [];
  const order = new Uint32Array(n).map((_, i) => i);
  const batch = Math.max(1, Math.min(spec.batchSize, n));
  const steps = Math.ceil(n / batch);
  const every = cb.progressEveryMs ?? 100;
  let status: TrainOutcome['status'] = 'finished';
  let message: string | undefined;
  let trainMs = 0,
    trained = 0,
    lastReport = -Infinity,
    globalStep = 0;
  let best: { loss: number; epoch: number; weights: tf.Tensor[] } | null = null;
  let sinceBest = 0;
  let stopEarly = false;
  let masks: tf.Tensor[] | null = null;
  const fakeQuantize = (v: tf.Tensor) =>
    tf.tidy(() => {
      const axes = v.shape.slice(0, -1).map((_, i) => i);
      const scale = tf.maximum(tf.div(tf.max(tf.abs(v), axes, true), 127), 1e-12);
      return tf.mul(tf.clipByValue(tf.round(tf.div(v, scale)), -127, 127), scale);
    });
  const updateMasks = (sparsity: number) => {
    masks?.forEach((m) => m.dispose());
    masks = null;
    if (sparsity <= 0) return;
    const all = Float32Array.from(kernels.flatMap((v) => Array.from(v.dataSync(), Math.abs))).sort();
    const thr = all[Math.max(0, Math.floor(sparsity * all.length) - 1)]!;
    masks = kernels.map((v) => tf.tidy(() => tf.cast(tf.greater(tf.abs(v), thr), 'float32')));
    applyMasks();
  };
  // assign() keeps its own copy: free each temporary after assigning it.
  const assignFrom = (v: tf.Variable, f: () => tf.Tensor) => {
    const t = f();
    v.assign(t);
    t.dispose();
  };
  const applyMasks = () =>
    masks && kernels.forEach((v, i) => assignFrom(v, () => tf.tidy(() => tf.mul(v, masks![i]!))));
  try {
    for (let epoch = 1; epoch <= spec.epochs && status === 'finished'; epoch++) {
      const lr = learningRateAt(spec, epoch);
      setLearningRate(optimizer, lr);
      shuffleInPlace(order, rng);
      if (cb.sparsityAt) updateMasks(cb.sparsityAt(epoch));
      const epochStart = performance.now();
      let epochSamples = 0;
      let gradInfo: { global: number; layers: Record<string, number> } | undefined;
      for (let step = 0; step < steps; step++) {
        if (cb.isCancelled?.()) {
          status = 'cancelled';
          message = `Cancelled at epoch ${epoch}, step ${step + 1}.`;
          break;
        }
        globalStep++;
        const stepLr = cb.lrAtStep?.(globalStep);
        if (stepLr !== undefined) setLearningRate(optimizer, stepLr);
        const idx = order.subarray(step * batch, Math.min(n, (step + 1) * batch));
        const t0 = performance.now();
        const it = tf.tensor1d(Int32Array.from(idx), 'int32');
        const xb = tf.gather(Xt, it),
          yb = tf.gather(Yt, it),
          wb = Wt ? tf.gather(Wt, it) : null,
          sb = St ? tf.gather(St, it) : null;
        const saved = cb.fakeQuant ? kernels.map((v) => v.clone()) : null;
        if (saved) kernels.forEach((v) => assignFrom(v, () => fakeQuantize(v)));
        const { value, grads } = tf.variableGrads(() => lossFn(xb, yb, wb, sb), vars);
        if (saved) {
          kernels.forEach((v, i) => v.assign(saved[i]!));
          tf.dispose(saved);
        }
        const loss = (await value.data())[0]!;
        const last = step === steps - 1;
        if (!Number.isFinite(loss) || last) {
          const { names, sq } = layerSquares(grads, layerOf);
          const values = await sq.data();
          sq.dispose();
          const layers: Record<string, number> = {};
          names.forEach((name, i) => (layers[name] = Math.sqrt(values[i]!)));
          gradInfo = { global: Math.sqrt(Array.from(values).reduce((a, b) => a + b, 0)), layers };
          if (!Number.isFinite(loss) || !Number.isFinite(gradInfo.global)) {
            const badGrad = names.find((_, i) => !Number.isFinite(values[i]!));
            const badOut = await firstNonFiniteLayer(model, xb);
            const where = [
              badOut ? `activations first become non-finite in layer "${badOut}"` : null,
              badGrad ? `the first layer with non-finite gradients is "${badGrad}"` : null,
            ]
              .filter(Boolean)
              .join('; ');
            status = 'failed';
            message =
              `The loss became ${Number.isNaN(loss) ? 'NaN' : loss} at epoch ${epoch}, ` +
              `step ${step + 1} (global step ${globalStep})${where ? `; ${where}` : ''}. Lower the learning ` +
              `rate, add L2 or batch norm, or check the inputs.`;
          }
        }
        if (status !== 'failed') {
          optimizer.applyGradients(grads);
          applyMasks();
        }
        tf.dispose([value, it, xb, yb, ...(wb ? [wb] : []), ...(sb ? [sb] : []), ...Object.values(grads)]);
        if (status === 'failed') break;
        if (cb.onStep?.(globalStep, stepLr ?? lr, loss)) {
          stopEarly = true;
          break;
        }
        const dt = performance.now() - t0;
        trainMs += dt;
        trained += idx.length;
        epochSamples += idx.length;
        const now = performance.now();
        if (cb.onProgress && now - lastReport >= every) {
          lastReport = now;
          cb.onProgress({
            epoch,
            epochs: spec.epochs,
            step: step + 1,
            stepsPerEpoch: steps,
            samplesPerSecond: trained / (trainMs / 1000),
            batchLoss: loss,
            fraction: (epoch - 1 + (step + 1) / steps) / spec.epochs,
          });
        }
        await yieldToEventLoop();
      }
      if (status === 'failed' || stopEarly || (status === 'cancelled' && epochSamples < n)) break;
      const weightSq = tf.tidy(() => {
        const byName: Record<string, tf.Tensor> = {};
        for (const v of vars) byName[v.name] = v;
        return layerSquares(byName, layerOf);
      });
      const wv = await weightSq.sq.data();
      weightSq.sq.dispose();
      const layerWeightNorms: Record<string, number> = {};
      weightSq.names.forEach((name, i) => (layerWeightNorms[name] = Math.sqrt(wv[i]!)));
      const mem = tf.memory();
      const heap = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
      const record: EpochRecord = {
        epoch,
        train: await evaluateSet(model, pre, train, cb.trainEvalRows ?? 20000),
        validation: await evaluateSet(model, pre, validation),
        samplesPerSecond: epochSamples / ((performance.now() - epochStart) / 1000),
        elapsedMs: performance.now() - started,
        learningRate: lr,
        gradNorm: gradInfo?.global,
        layerGradNorms: gradInfo?.layers,
        layerWeightNorms,
        tensors: mem.numTensors,
        tensorBytes: mem.numBytes,
        jsHeapBytes: heap,
      };
      history.push(record);
      cb.onEpoch?.(record);
      if (Object.values(layerWeightNorms).some((v) => !Number.isFinite(v))) {
        const bad = Object.entries(layerWeightNorms).find(([, v]) => !Number.isFinite(v))![0];
        status = 'failed';
        message = `Weights of layer "${bad}" became non-finite in epoch ${epoch}. Lower the learning rate or add L2.`;
        break;
      }
      if (spec.earlyStoppingPatience > 0) {
        const vl = record.validation.loss;
        if (best === null || vl < best.loss) {
          best?.weights.forEach((w) => w.dispose());
          best = { loss: vl, epoch, weights: model.getWeights().map((w) => w.clone()) };
          sinceBest = 0;
        } else if (++sinceBest >= spec.earlyStoppingPatience) {
          message =
            `Early stopping: validation loss has not improved for ${sinceBest} epochs; kept the ` +
            `weights of epoch ${best.epoch}.`;
          break;
        }
      }
    }
    if (best && status !== 'failed' && best.epoch !== history.length) model.setWeights(best.weights);
  } catch (e) {
    disposeModel(model);
    optimizer.dispose();
    throw e;
  } finally {
    (masks as tf.Tensor[] | null)?.forEach((m) => m.dispose());
    best?.weights.forEach((w) => w.dispose());
    tf.dispose([Xt, Yt, ...(Wt ? [Wt] : []), ...(St ? [St] : [])]);
  }
  optimizer.dispose();
  return {
    model,
    history,
    status,
    message,
    bestEpoch: best?.epoch ?? history.length,
    samplesPerSecond: trainMs > 0 ? trained / (trainMs / 1000) : 0,
    durationMs: performance.now() - started,
  };
}
