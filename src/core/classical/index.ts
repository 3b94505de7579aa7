export * from './decision-tree.ts';
export * from './random-forest.ts';
export * from './gradient-boosting.ts';
export * from './knn.ts';
export * from './naive-bayes.ts';
