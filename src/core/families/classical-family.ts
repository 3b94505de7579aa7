import type { Task } from '../contracts/data.ts';
import type { Problem } from '../contracts/problem.ts';
import type { EpochRecord } from '../contracts/run-record.ts';
import type { Params } from '../contracts/train-config.ts';
import { rawToOutputs } from '../model/raw-outputs.ts';
import { splitMetrics } from '../model/split-metrics.ts';
import type { SearchSpace } from '../tuning/param.ts';
import type {
  ClassicalData,
  FitCallbacks,
  FitContext,
  FitInput,
  FitOutcome,
  ModelFamily,
  ParamField,
  RoundPredict,
} from './family.ts';
export type { ClassicalData, RoundPredict } from './family.ts';

/**
 * Builds a classical family from its fit and predict over plain arrays: per-round validation scores
 * become the run's history (one record when the family has no rounds), progress is reported per
 * round and a cancel stops scoring early.
 */
export function defineClassicalFamily<P extends Params, S>(o: {
  kind: string;
  label: string;
  description: string;
  tasks: readonly Task[];
  fields: readonly ParamField[];
  searchSpace: SearchSpace;
  describe(params: P): string;
  validate?(params: P, ctx: FitContext): Problem | null;
  /** Rounds the fit reports (trees in a forest, boosting rounds); 1 when it has none. */
  rounds?(params: P): number;
  fitState(params: P, data: ClassicalData, onRound?: (round: number, predict: RoundPredict) => void, every?: number): S;
  predictState(state: S, X: Float32Array, n: number, d: number): Float64Array;
}): ModelFamily<P, S> {
  async function fit(params: P, input: FitInput, cb: FitCallbacks): Promise<FitOutcome> {
    const { pre, train, validation } = input;
    const d = pre.inputSize;
    const classes = pre.label.task === 'classification' ? pre.label.classes.length : 1;
    const started = performance.now();
    const history: EpochRecord[] = [];
    const evalRows = Math.min(train.y.length, cb.trainEvalRows ?? 20000);
    const rounds = Math.max(1, o.rounds?.(params) ?? 1);
    const score = (predict: RoundPredict, X: Float32Array, y: Int32Array | Float32Array, n: number) =>
      splitMetrics(pre, rawToOutputs(pre, predict(X, n), n), y);
    let stop = false;
    const data: ClassicalData = {
      X: train.X,
      y: train.y,
      n: train.y.length,
      d,
      task: input.task,
      classes,
      seed: input.seed,
    };
    const state = o.fitState(
      params,
      data,
      (round, predict) => {
        if (stop) return;
        const record: EpochRecord = {
          epoch: round,
          train: score(predict, train.X.subarray(0, evalRows * d), train.y.subarray(0, evalRows), evalRows),
          validation: score(predict, validation.X, validation.y, validation.y.length),
          samplesPerSecond: 0,
          elapsedMs: performance.now() - started,
        };
        history.push(record);
        cb.onEpoch?.(record);
        const p = { epoch: round, epochs: rounds, step: 1, stepsPerEpoch: 1, samplesPerSecond: 0 };
        cb.onProgress?.({ ...p, batchLoss: record.train.loss, fraction: round / rounds });
        if (cb.isCancelled?.()) stop = true;
      },
      Math.max(1, Math.ceil(rounds / 50)),
    );
    const durationMs = performance.now() - started;
    const samplesPerSecond = train.y.length / (durationMs / 1000);
    if (history.length === 0) {
      const predict: RoundPredict = (X, n) => o.predictState(state, X, n, d);
      const record: EpochRecord = {
        epoch: 1,
        train: score(predict, train.X, train.y, train.y.length),
        validation: score(predict, validation.X, validation.y, validation.y.length),
        samplesPerSecond,
        elapsedMs: durationMs,
      };
      history.push(record);
      cb.onEpoch?.(record);
    }
    return {
      model: { kind: 'classical', classical: { family: o.kind, state }, preprocessor: pre },
      history,
      status: 'finished',
      samplesPerSecond,
      durationMs,
    };
  }
  return Object.freeze({
    kind: o.kind,
    label: o.label,
    description: o.description,
    tasks: o.tasks,
    engine: 'classical' as const,
    fields: Object.freeze([...o.fields]),
    searchSpace: o.searchSpace,
    describe: o.describe,
    validate: o.validate,
    exports: { onnx: false, tfjs: false },
    fit,
    predictState: o.predictState,
    fitState: (params: P, data: ClassicalData) => o.fitState(params, data),
  });
}
