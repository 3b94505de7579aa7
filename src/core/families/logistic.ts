import { defineNetworkFamily } from './network-family.ts';
import { L2_FIELD } from './fields.ts';

/** Multinomial logistic regression (softmax; a sigmoid for two classes), trained by gradient descent. */
export const logistic = defineNetworkFamily({
  kind: 'logistic',
  label: 'Logistic / softmax regression',
  description:
    'A linear model of the class log-odds. The baseline every richer model must beat; fast, ' +
    'exportable to ONNX, and its weights read as feature effects.',
  tasks: ['classification'],
  fields: [L2_FIELD],
  describe: () => 'Logistic',
});
