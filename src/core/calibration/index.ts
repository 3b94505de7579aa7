export * from './reliability.ts';
export * from './calibrators.ts';
