/** Schemas of what a model carries besides its weights (src/core/contracts/attachments.ts). */
import * as v from 'valibot';
import type { Calibrator, CompressionInfo, Expectation } from '../../contracts/attachments.ts';
import { conforms, count, metric, metrics, names, num, oneOf, record, text } from './primitives.ts';

export const CalibratorSchema = conforms<Calibrator>()(
  v.variant(
    'method',
    [
      record({ method: v.literal('temperature'), temperature: metric }),
      record({ method: v.literal('platt'), a: metric, b: metric }),
      record({
        method: v.literal('isotonic'),
        curves: v.array(record({ x: metrics(), y: metrics() }), 'a list of curves'),
      }),
      record({
        method: v.literal('histogram'),
        curves: v.array(record({ edges: metrics(), values: metrics() }), 'a list of curves'),
      }),
    ],
    'a calibrator method: "temperature", "platt", "isotonic" or "histogram"',
  ),
);

const COMPRESSION_METHODS = ['fp16', 'int8', 'int8-static', 'binary', 'prune', 'lowrank', 'distill'] as const;

export const QuantParamsSchema = record({
  bits: v.literal(8, 'the number 8'),
  symmetric: v.boolean('true or false'),
  perChannel: v.boolean('true or false'),
  scale: metrics(),
  zeroPoint: metrics(),
  signed: v.boolean('true or false'),
});

export const CompressionSpecSchema = record({
  method: oneOf(COMPRESSION_METHODS),
  perChannel: v.optional(v.boolean('true or false')),
  symmetric: v.optional(v.boolean('true or false')),
  sparsity: v.optional(num),
  scope: v.optional(oneOf(['global', 'layer'])),
  rangeMethod: v.optional(oneOf(['minmax', 'percentile', 'entropy'])),
  calibrationRows: v.optional(count),
  fineTune: v.optional(
    record({
      method: oneOf(['qat', 'prune']),
      epochs: count,
      learningRate: num,
      sparsity: v.optional(num),
      gradual: v.optional(v.boolean('true or false')),
    }),
  ),
  rank: v.optional(count),
  energy: v.optional(num),
});

export const CompressionInfoSchema = conforms<CompressionInfo>()(
  record(
    {
      method: oneOf(COMPRESSION_METHODS),
      spec: CompressionSpecSchema,
      parentBytes: metric,
      storedBytes: metric,
      gzipBytes: metric,
      params: metric,
      nonzero: metric,
      sparsity: metric,
      quant: v.optional(v.record(v.string(), QuantParamsSchema, 'an object of layers')),
      activations: v.optional(
        v.record(
          v.string(),
          record({ scale: metric, zeroPoint: metric, min: metric, max: metric }),
          'an object of layers',
        ),
      ),
      ranks: v.optional(v.record(v.string(), count, 'an object of layers')),
    },
    'compression info',
  ),
);

const col = { column: text() };
const mostly = { mostly: v.optional(num) };
export const ExpectationSchema = conforms<Expectation>()(
  v.variant(
    'kind',
    [
      record({
        kind: v.literal('column-exists'),
        ...col,
        type: v.optional(oneOf(['numeric', 'categorical', 'boolean', 'date', 'text'])),
      }),
      record({ kind: v.literal('not-null'), ...col, ...mostly }),
      record({ kind: v.literal('in-set'), ...col, values: names('a list of values'), ...mostly }),
      record({ kind: v.literal('between'), ...col, min: v.optional(num), max: v.optional(num), ...mostly }),
      record({ kind: v.literal('matches'), ...col, pattern: text(), ...mostly }),
      record({ kind: v.literal('unique'), ...col }),
      record({
        kind: v.literal('greater-than'),
        ...col,
        other: text(),
        orEqual: v.optional(v.boolean('true or false')),
        ...mostly,
      }),
      record({ kind: v.literal('mean-between'), ...col, min: num, max: num }),
      record({ kind: v.literal('quantile-between'), ...col, quantile: num, min: num, max: num }),
    ],
    'an expectation kind ("not-null", "in-set", "between", …)',
  ),
);
