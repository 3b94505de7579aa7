export * from './normal.ts';
export * from './multiple-testing.ts';
export * from './welch.ts';
export * from './ab-test.ts';
