/**
 * The contracts every feature shares: plain-data types only, importing nothing else from core
 * (tests/unit/architecture.test.ts keeps it a leaf).
 */
export type * from './attachments.ts';
export type * from './data.ts';
export type * from './evaluation.ts';
export type * from './fit.ts';
export type * from './model.ts';
export type * from './problem.ts';
export type * from './run-record.ts';
export type * from './train-config.ts';
