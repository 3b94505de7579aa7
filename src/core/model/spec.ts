/**
 * Where model types used to live; kept as a re-export of the contracts so older imports read the
 * same names. New code imports `src/core/contracts` (types) and `src/core/families` (families).
 */
export type * from '../contracts/model.ts';
export type * from '../contracts/run-record.ts';
export type * from '../contracts/train-config.ts';
export type { Activation, LrScheduleKind, NeuralKind, OptimizerKind } from './network-spec.ts';
import type { EnsembleMethod } from '../contracts/model.ts';

export const BACKENDS = Object.freeze(['webgpu', 'webgl', 'wasm', 'cpu'] as const);

export const ENSEMBLE_LABELS: Readonly<Record<EnsembleMethod, string>> = Object.freeze({
  'vote-hard': 'Majority vote',
  'vote-soft': 'Average (soft vote)',
  stack: 'Stacking (logistic-regression meta-learner)',
  bag: 'Bagging',
  adaboost: 'Boosting (AdaBoost.SAMME)',
});
