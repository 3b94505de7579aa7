import type { ModelSpec } from './spec.ts';

/**
 * A short name for a model configuration, for run names and tables.
 * @example describeModel({ ...DEFAULT_MODEL_SPEC, kind: 'mlp', hidden: [128, 64] }) // 'MLP 128-64'
 */
export function describeModel(m: ModelSpec): string {
  switch (m.kind) {
    case 'logistic':
      return 'Logistic';
    case 'linear':
      return 'Linear';
    case 'mlp':
      return `MLP ${m.hidden.join('-')}${m.batchNorm ? ' +BN' : ''}`;
    case 'cnn':
      return `CNN ${m.filters.join('-')}`;
    case 'tree':
      return `Tree d${m.maxDepth}`;
    case 'forest':
      return `Forest ${m.nEstimators}×d${m.maxDepth}`;
    case 'gbt':
      return `GBT ${m.nEstimators}×d${m.maxDepth}`;
    case 'knn':
      return `kNN k=${m.k}`;
    case 'naive-bayes':
      return 'Naive Bayes';
    case 'onnx':
      return 'ONNX';
  }
}
