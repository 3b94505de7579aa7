import type { LessonDef, LessonParam, Params } from './types.ts';

const seedParam: LessonParam = { key: 'seed', label: 'Seed', kind: 'number', default: 1, min: 0, max: 1e9, step: 1 };

export const LESSONS: LessonDef[] = [
  {
    id: 'baselines',
    title: '1. Baselines first',
    explanation:
      'german-credit has 700 "good" and 300 "bad" loans. A model that always answers "good" is right 70% of ' +
      'the time without learning anything. Train a model and put it next to the zero-rule and the best ' +
      'one-feature rule that predicts both classes (a rule that says "good" on both sides would just be the ' +
      'zero-rule): accuracy alone cannot tell them apart well; macro F1 (which weighs both classes) can.',
    params: [
      { key: 'model', label: 'Model', kind: 'choice', default: 'mlp', choices: ['logistic', 'mlp', 'gbt', 'forest'] },
      { key: 'epochs', label: 'Epochs', kind: 'number', default: 30, min: 1, max: 300, step: 1 },
      seedParam,
    ],
  },
  {
    id: 'overfitting',
    title: '2. Overfitting and learning curves',
    explanation:
      'Train a small and a large network on growing shares of the digits data and compare the loss on the ' +
      'training rows with the loss on held-out rows. The large network memorizes small training sets (low ' +
      'training loss, high validation loss); the small one stops improving early — more data cannot help a ' +
      'model that is too simple.',
    params: [
      { key: 'small', label: 'Small network: hidden units', kind: 'number', default: 4, min: 1, max: 64, step: 1 },
      { key: 'large', label: 'Large network: hidden units', kind: 'number', default: 256, min: 16, max: 1024, step: 1 },
      { key: 'epochs', label: 'Epochs', kind: 'number', default: 40, min: 5, max: 300, step: 1 },
      seedParam,
    ],
  },
  {
    id: 'calibration',
    title: '3. Calibration',
    explanation:
      'A large network trained long on noisy data becomes over-confident: when it says 95%, it is right far ' +
      'less often. The reliability diagram shows it; temperature scaling divides the logits by one number ' +
      'fitted on validation rows — confidence drops, the ranking of classes (so accuracy) does not change.',
    params: [
      { key: 'hidden', label: 'Hidden units', kind: 'number', default: 256, min: 8, max: 1024, step: 1 },
      { key: 'epochs', label: 'Epochs', kind: 'number', default: 150, min: 10, max: 500, step: 1 },
      seedParam,
    ],
  },
  {
    id: 'compression',
    title: '4. Compression has a price',
    explanation:
      'Quantize a digits network to int8 and prune most of its weights: the model gets smaller (and often ' +
      'faster), accuracy falls a little overall — but not evenly. The class that loses most is where the ' +
      'cost of compression lands.',
    params: [
      {
        key: 'sparsity',
        label: 'Pruned share of weights',
        kind: 'number',
        default: 0.9,
        min: 0.1,
        max: 0.99,
        step: 0.01,
      },
      { key: 'epochs', label: 'Epochs', kind: 'number', default: 20, min: 5, max: 200, step: 1 },
      seedParam,
    ],
  },
  {
    id: 'shift',
    title: '5. Distribution shift',
    explanation:
      'A weather model trained on the first months of seattle-weather meets the following seasons. Month by ' +
      'month, the KS statistic and the PSI of the maximum temperature against the training data cross their ' +
      'thresholds, and accuracy moves with them. Then retrain: from scratch on recent data (stateless) or by ' +
      'fine-tuning (stateful).',
    params: [
      {
        key: 'trainShare',
        label: 'Training share (earliest rows)',
        kind: 'number',
        default: 0.25,
        min: 0.1,
        max: 0.6,
        step: 0.05,
      },
      { key: 'every', label: 'Retrain every N months', kind: 'number', default: 3, min: 1, max: 12, step: 1 },
      seedParam,
    ],
  },
  {
    id: 'ab-bandits',
    title: '6. Testing in production: A/B test versus bandits',
    explanation:
      'Two versions convert at different rates. An A/B test splits traffic 50/50 until its always-valid ' +
      'p-value says stop; a Thompson-sampling bandit shifts traffic to the better version as it learns. Same ' +
      'users, same outcomes: which decides sooner, and which loses fewer conversions on the way?',
    params: [
      { key: 'rateA', label: 'Conversion rate A', kind: 'number', default: 0.1, min: 0.01, max: 0.9, step: 0.01 },
      { key: 'rateB', label: 'Conversion rate B', kind: 'number', default: 0.13, min: 0.01, max: 0.9, step: 0.01 },
      { key: 'requests', label: 'Requests', kind: 'number', default: 8000, min: 500, max: 100000, step: 500 },
      seedParam,
    ],
  },
  {
    id: 'feedback',
    title: '7. Degenerate feedback loops',
    explanation:
      'A recommender learns click rates only from the clicks its own recommendations caused. Items it never ' +
      'shows never get clicks, so after the first round the catalogue it recommends collapses. Exploration ' +
      '(a random item in some slots) keeps learning about the rest; a positional feature stops punishing ' +
      'items for being shown low on the page.',
    params: [
      { key: 'items', label: 'Catalogue size', kind: 'number', default: 200, min: 20, max: 2000, step: 10 },
      { key: 'epsilon', label: 'Exploration ε', kind: 'number', default: 0.2, min: 0, max: 1, step: 0.05 },
      { key: 'rounds', label: 'Rounds', kind: 'number', default: 20, min: 2, max: 100, step: 1 },
      seedParam,
    ],
  },
  {
    id: 'data-parallel',
    title: '8. Data-parallel training',
    explanation:
      "Split each batch across several Web Workers. Synchronous SGD averages every worker's gradient each " +
      'step, so it waits for the slowest; asynchronous SGD applies each gradient as it arrives, on weights ' +
      'that may have moved since the worker read them (staleness). A 4× larger global batch needs a larger ' +
      'learning rate to make the same progress per step.',
    params: [
      { key: 'workers', label: 'Workers', kind: 'number', default: 4, min: 1, max: 8, step: 1 },
      { key: 'straggler', label: 'Slowest worker delay (ms)', kind: 'number', default: 8, min: 0, max: 200, step: 1 },
      { key: 'lr', label: 'Learning rate', kind: 'number', default: 0.5, min: 0.001, max: 5, step: 0.01 },
      { key: 'budget', label: 'Gradient computations', kind: 'number', default: 240, min: 16, max: 5000, step: 16 },
      seedParam,
    ],
  },
];

export function lessonDef(id: string): LessonDef | undefined {
  return LESSONS.find((l) => l.id === id);
}

export function defaultParams(def: LessonDef): Params {
  return Object.fromEntries(def.params.map((p) => [p.key, p.default]));
}
