export * from './search-space.ts';
export * from './samplers.ts';
export * from './median-stopping.ts';
export * from './tune.ts';
export * from './trial-runner.ts';
