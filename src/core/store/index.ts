export * from './records.ts';
export * from './store.ts';
export * from './memory-store.ts';
export * from './bundle.ts';
export * from './import-ids.ts';
