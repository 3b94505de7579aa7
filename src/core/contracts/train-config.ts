/** Training contracts: what to train (a family and its parameters), and where it runs. */

/** One parameter value: a number, a choice, a switch, or a list of whole numbers (layer widths). */
export type ParamValue = number | string | boolean | number[];

/** A family's parameters by name, as its fields declare them (src/core/families). */
export type Params = Record<string, ParamValue>;

/**
 * What to train: a model family (a key of the families registry) with that family's parameters, and
 * the seed for everything stochastic (initial weights, batch order, bootstrap rows). The family
 * declares, defaults and validates its parameters, so forms, the command line and tuning read them
 * from one place.
 * @example { kind: 'tree', params: { maxDepth: 6, minSamplesLeaf: 1 }, seed: 42 }
 */
export interface TrainConfig {
  kind: string;
  params: Params;
  seed: number;
}

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
