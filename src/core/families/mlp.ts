import { ACTIVATION_FIELD, BATCH_NORM_FIELD, DROPOUT_FIELD, HIDDEN_FIELD, L2_FIELD } from './fields.ts';
import { defineNetworkFamily } from './network-family.ts';

/** A fully connected network (multi-layer perceptron). */
export const mlp = defineNetworkFamily<{ hidden: number[]; batchNorm: boolean }>({
  kind: 'mlp',
  label: 'MLP (neural network)',
  description:
    'Dense layers with a non-linearity between them: learns interactions a linear model cannot, ' +
    'needs more data and tuning, and overfits small tables without dropout or L2.',
  tasks: ['classification', 'regression'],
  fields: [HIDDEN_FIELD, ACTIVATION_FIELD, DROPOUT_FIELD, L2_FIELD, BATCH_NORM_FIELD],
  searchSpace: [
    { path: 'hidden', kind: 'choice', values: ['32', '64', '128', '64,32', '128,64'] },
    { path: 'dropout', kind: 'float', lo: 0, hi: 0.5 },
    { path: 'activation', kind: 'choice', values: ['relu', 'tanh', 'elu'] },
  ],
  describe: (p) => `MLP ${p.hidden.join('-')}${p.batchNorm ? ' +BN' : ''}`,
});
