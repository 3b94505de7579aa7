import { defineNetworkFamily } from './network-family.ts';
import { L2_FIELD } from './fields.ts';

/** Least-squares linear regression (ridge with an L2 penalty), trained by gradient descent. */
export const linear = defineNetworkFamily({
  kind: 'linear',
  label: 'Linear regression',
  description: 'A weighted sum of the inputs. The regression baseline; ridge-regularised by the L2 penalty.',
  tasks: ['regression'],
  fields: [L2_FIELD],
  describe: () => 'Linear',
});
