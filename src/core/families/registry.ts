import { cnn } from './cnn.ts';
import type { ModelFamily } from './family.ts';
import { forest } from './forest.ts';
import { gbt } from './gbt.ts';
import { knn } from './knn.ts';
import { linear } from './linear.ts';
import { linearSvm } from './linear-svm.ts';
import { logistic } from './logistic.ts';
import { mlp } from './mlp.ts';
import { naiveBayes } from './naive-bayes.ts';
import { tree } from './tree.ts';

/**
 * Every model family Benchtop trains, in the order the form lists them. Adding a family is a module
 * and one line here: the train form, the command line, validation, tuning and run names read it.
 */
export const FAMILIES = Object.freeze({
  logistic,
  linear,
  mlp,
  cnn,
  tree,
  forest,
  gbt,
  knn,
  'naive-bayes': naiveBayes,
  'linear-svm': linearSvm,
});

export type FamilyKind = keyof typeof FAMILIES;
export const FAMILY_KINDS = Object.freeze(Object.keys(FAMILIES) as FamilyKind[]);

/** The family of a kind, or undefined for a kind this version does not train ('onnx', a typo). */
export function familyOf(kind: string): ModelFamily | undefined {
  return Object.hasOwn(FAMILIES, kind) ? (FAMILIES[kind as FamilyKind] as unknown as ModelFamily) : undefined;
}
