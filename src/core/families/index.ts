/** Model families: the contract, the registry and what reads it (defaults, validation, names). */
export * from './family.ts';
export * from './registry.ts';
export * from './config.ts';
export * from './params.ts';
export { networkSpec } from './network-family.ts';
