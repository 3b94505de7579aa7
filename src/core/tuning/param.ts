/** Search-space types: one hyperparameter's range or choices, keyed by the family field it sets. */

/** One hyperparameter of a search space; `path` is a family field name ("learningRate", "maxDepth"). */
export type Param =
  | { path: string; kind: 'float'; lo: number; hi: number; log?: boolean }
  | { path: string; kind: 'int'; lo: number; hi: number; log?: boolean }
  | { path: string; kind: 'choice'; values: readonly (string | number | boolean)[] };

export type SearchSpace = readonly Param[];
export type ParamValues = Record<string, string | number | boolean>;
