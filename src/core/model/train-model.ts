import * as tf from '@tensorflow/tfjs';
import type { Preprocessor } from '../data/preprocess.ts';
import { createRandom, shuffleInPlace } from '../util/random.ts';
import { yieldToEventLoop } from '../util/yield.ts';
import { disposeModel } from './artifacts.ts';
import { buildModel, outputUnits } from './build-model.ts';
import { predictOutputs } from './predict.ts';
import type { EncodedSet } from './prepare.ts';
import type { EpochRecord, RunStatus, SplitMetrics, TrainConfig, TrainProgress } from './spec.ts';
import { splitMetrics } from './split-metrics.ts';

export interface TrainCallbacks {
  /** Called at most every `progressEveryMs` while batches run. */
  onProgress?: (p: TrainProgress) => void;
  /** Called after each epoch with train and validation metrics. */
  onEpoch?: (e: EpochRecord) => void;
  /** Polled between batches; returning true stops training after the current batch. */
  isCancelled?: () => boolean;
  progressEveryMs?: number;
  /** Cap on rows used for the per-epoch training metrics (the full set is used when smaller). */
  trainEvalRows?: number;
}

export interface TrainOutcome {
  model: tf.LayersModel;
  history: EpochRecord[];
  status: Exclude<RunStatus, 'failed'>;
  samplesPerSecond: number;
  durationMs: number;
}

/** Metrics of a model on an encoded set. */
export async function evaluateSet(model: tf.LayersModel, pre: Preprocessor, set: EncodedSet, maxRows = Infinity): Promise<SplitMetrics> {
  const n = Math.min(set.y.length, maxRows);
  const outputs = await predictOutputs(model, pre, set.X.subarray(0, n * pre.inputSize), n);
  return splitMetrics(pre, outputs, set.y.subarray(0, n));
}

/**
 * Trains a model with mini-batch gradient descent, one `trainOnBatch` per batch over a seeded
 * shuffle of the training rows each epoch. The whole training matrix is uploaded once and batches
 * are gathered on the backend. Yields to the event loop between batches so a cancel request is seen
 * within one batch. Same seed, data and backend → same weights.
 * Cost: epochs × n forward+backward passes plus one evaluation pass per epoch.
 */
export async function trainModel(pre: Preprocessor, train: EncodedSet, validation: EncodedSet, config: TrainConfig, cb: TrainCallbacks = {}): Promise<TrainOutcome> {
  const started = performance.now();
  const task = pre.label.task;
  const k = pre.label.task === 'classification' ? pre.label.classes.length : 1;
  const units = outputUnits(task, k);
  const n = train.y.length;
  const d = pre.inputSize;
  const model = buildModel(config.model, d, task, k, config.seed, config.optimizer, config.learningRate);
  const rng = createRandom(config.seed ^ 0x5eed);
  const Xt = tf.tensor2d(train.X, [n, d]);
  const Yt = tf.tidy(() => {
    if (task === 'classification' && units > 1) return tf.oneHot(tf.tensor1d(train.y as Int32Array, 'int32'), k).toFloat();
    return tf.tensor2d(Float32Array.from(train.y), [n, 1]);
  });
  const history: EpochRecord[] = [];
  const order = new Uint32Array(n).map((_, i) => i);
  const batch = Math.max(1, Math.min(config.batchSize, n));
  const steps = Math.ceil(n / batch);
  const every = cb.progressEveryMs ?? 100;
  let status: 'completed' | 'cancelled' = 'completed';
  let trainMs = 0, trained = 0, lastReport = -Infinity;
  try {
    for (let epoch = 1; epoch <= config.epochs && status === 'completed'; epoch++) {
      shuffleInPlace(order, rng);
      const epochStart = performance.now();
      let epochSamples = 0;
      for (let step = 0; step < steps; step++) {
        if (cb.isCancelled?.()) {
          status = 'cancelled';
          break;
        }
        const idx = order.subarray(step * batch, Math.min(n, (step + 1) * batch));
        const t0 = performance.now();
        const [xb, yb] = tf.tidy(() => {
          const it = tf.tensor1d(Int32Array.from(idx), 'int32');
          return [tf.gather(Xt, it), tf.gather(Yt, it)];
        });
        const loss = (await model.trainOnBatch(xb, yb)) as number;
        xb.dispose();
        yb.dispose();
        const dt = performance.now() - t0;
        trainMs += dt;
        trained += idx.length;
        epochSamples += idx.length;
        const now = performance.now();
        if (cb.onProgress && now - lastReport >= every) {
          lastReport = now;
          cb.onProgress({ epoch, epochs: config.epochs, step: step + 1, stepsPerEpoch: steps, samplesPerSecond: trained / (trainMs / 1000), batchLoss: loss, fraction: (epoch - 1 + (step + 1) / steps) / config.epochs });
        }
        await yieldToEventLoop();
      }
      if (status === 'cancelled' && epochSamples < n) break;
      const record: EpochRecord = {
        epoch,
        train: await evaluateSet(model, pre, train, cb.trainEvalRows ?? 20000),
        validation: await evaluateSet(model, pre, validation),
        samplesPerSecond: epochSamples / ((performance.now() - epochStart) / 1000),
        elapsedMs: performance.now() - started,
      };
      history.push(record);
      cb.onEpoch?.(record);
    }
  } catch (e) {
    disposeModel(model);
    throw e;
  } finally {
    Xt.dispose();
    Yt.dispose();
  }
  return { model, history, status, samplesPerSecond: trainMs > 0 ? trained / (trainMs / 1000) : 0, durationMs: performance.now() - started };
}
