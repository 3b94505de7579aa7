import { BATCH_NORM_FIELD, DROPOUT_FIELD, HIDDEN_FIELD, L2_FIELD } from './fields.ts';
import { defineNetworkFamily } from './network-family.ts';

/** A small convolutional network for image-shaped inputs (a square number of pixels). */
export const cnn = defineNetworkFamily<{ filters: number[] }>({
  kind: 'cnn',
  label: 'Small CNN (image-shaped inputs)',
  description:
    'Blocks of 3×3 convolution, ReLU and 2×2 max-pooling, then one dense layer. Reads the inputs as a ' +
    'square grey image (digits-8x8: 64 = 8×8), so it shares weights across positions.',
  tasks: ['classification', 'regression'],
  fields: [
    {
      name: 'filters',
      label: 'Conv filters',
      architecture: true,
      help: 'Filters of each convolution block, comma-separated.',
      group: 'model',
      type: 'int-list',
      default: [8, 16],
      min: 1,
      max: 1024,
      minLength: 1,
    },
    { ...HIDDEN_FIELD, label: 'Dense units', help: 'Units of the dense layer after the convolutions.' },
    DROPOUT_FIELD,
    L2_FIELD,
    BATCH_NORM_FIELD,
  ],
  searchSpace: [
    { path: 'filters', kind: 'choice', values: ['8', '8,16', '16,32'] },
    { path: 'dropout', kind: 'float', lo: 0, hi: 0.5 },
  ],
  describe: (p) => `CNN ${p.filters.join('-')}`,
});
