import type { ParamField } from './family.ts';


/**
 * Fields several families share, written once: the optimiser settings of every network, the
 * regularisers of dense layers, and the size limits of tree models.
 */
const training: ParamField[] = [
  { name: 'epochs', label: 'Epochs', help: 'Passes over the training rows.', group: 'training', type: 'int', default: 20, min: 1, max: 10000 },
  { name: 'batchSize', label: 'Batch size', help: 'Rows per gradient step.', group: 'training', type: 'int', default: 32, min: 1, max: 65536, flag: 'batch-size' },
  { name: 'learningRate', label: 'Learning rate', help: 'Step size of the optimiser.', group: 'training', type: 'float', default: 0.001, min: 1e-7, max: 10, flag: 'lr' },
  { name: 'optimizer', label: 'Optimizer', help: 'Adam adapts per weight; SGD and momentum take plain steps.', group: 'training', type: 'choice', default: 'adam', choices: ['adam', 'sgd', 'momentum'], choiceLabels: { adam: 'Adam', sgd: 'SGD', momentum: 'SGD + momentum' } },
  { name: 'schedule', label: 'LR schedule', help: 'How the learning rate changes over epochs.', group: 'training', type: 'choice', default: 'constant', choices: ['constant', 'step', 'exponential', 'cosine'], choiceLabels: { constant: 'constant', step: 'step decay', exponential: 'exponential', cosine: 'cosine' } },
  { name: 'scheduleEvery', label: 'Decay every (epochs)', help: 'Step schedule: epochs between reductions.', group: 'training', when: { field: 'schedule', in: ['step'] }, type: 'int', default: 10, min: 1, max: 10000, flag: 'schedule-every' },
  { name: 'scheduleGamma', label: 'Decay factor', help: 'Step and exponential schedules: the multiplier.', group: 'training', when: { field: 'schedule', in: ['step', 'exponential'] }, type: 'float', default: 0.5, min: 1e-4, max: 1, flag: 'schedule-gamma' },
  { name: 'earlyStoppingPatience', label: 'Early-stopping patience', help: 'Stop after this many epochs without a better validation loss and keep the best weights (0 = off).', group: 'training', type: 'int', default: 0, min: 0, max: 1000, flag: 'patience' },
  { name: 'classWeights', label: 'Class weights', help: "'balanced' weighs each class's loss by n / (k · n_c), as scikit-learn.", group: 'training', task: 'classification', type: 'choice', default: 'none', choices: ['none', 'balanced'], flag: 'class-weights' },
];
export const TRAINING_FIELDS: readonly ParamField[] = Object.freeze(training);

export const L2_FIELD: ParamField = Object.freeze({ name: 'l2', label: 'L2 penalty', help: 'Penalty on the squared kernel weights.', group: 'model', type: 'float', default: 0, min: 0, max: 10 });
export const DROPOUT_FIELD: ParamField = Object.freeze({ name: 'dropout', label: 'Dropout', help: 'Share of hidden units dropped at each training step.', group: 'model', type: 'float', default: 0, min: 0, max: 0.95 });
export const BATCH_NORM_FIELD: ParamField = Object.freeze({ name: 'batchNorm', architecture: true, label: 'Batch norm', help: 'Normalise each hidden layer over the batch.', group: 'model', type: 'bool', default: false, flag: 'batch-norm' });
export const HIDDEN_FIELD: ParamField = Object.freeze({ name: 'hidden', architecture: true, label: 'Hidden layers', help: 'Widths of the hidden layers, comma-separated.', group: 'model', type: 'int-list', default: [128, 64], min: 1, max: 65536, minLength: 1 });
export const ACTIVATION_FIELD: ParamField = Object.freeze({ name: 'activation', architecture: true, label: 'Activation', help: 'Non-linearity after each hidden layer.', group: 'model', type: 'choice', default: 'relu', choices: ['relu', 'tanh', 'elu', 'sigmoid'], choiceLabels: { relu: 'ReLU', tanh: 'tanh', elu: 'ELU', sigmoid: 'sigmoid' } });

export const MAX_DEPTH_FIELD: ParamField = Object.freeze({ name: 'maxDepth', architecture: true, label: 'Max depth', help: 'Deepest split a tree may make.', group: 'model', type: 'int', default: 6, min: 1, max: 64, flag: 'max-depth' });
export const MIN_LEAF_FIELD: ParamField = Object.freeze({ name: 'minSamplesLeaf', label: 'Min rows per leaf', help: 'Fewest training rows a leaf may hold.', group: 'model', type: 'int', default: 1, min: 1, max: 1e6, flag: 'min-leaf' });
export const TREES_FIELD: ParamField = Object.freeze({ name: 'nEstimators', label: 'Trees', help: 'Trees in the forest, or boosting rounds.', group: 'model', type: 'int', default: 50, min: 1, max: 5000, flag: 'trees' });
