export * from './accuracy.ts';
export * from './log-loss.ts';
export * from './f1-score.ts';
export * from './regression-errors.ts';
export * from './argmax-rows.ts';
