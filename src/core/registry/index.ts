export * from './registry.ts';
export * from './model-card.ts';
export * from './derived-version.ts';
