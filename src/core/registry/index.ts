export * from './registry.ts';
export * from './model-card.ts';
