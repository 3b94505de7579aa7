import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  binaryBody,
  checkValues,
  decodeTensor,
  encodeTensor,
  fromHalf,
  NUMERIC_DATATYPES,
  splitBinary,
  toHalf,
} from './binary-tensor.ts';
import { kserveRequest, kserveResponse, planInputs, type ModelMetadata } from './protocols.ts';

const ref = JSON.parse(
  readFileSync(new URL('../../../tests/fixtures/fp16-reference.json', import.meta.url), 'utf8'),
) as { float32: number[]; bits: number[]; back: (number | null)[] };

describe('binary tensor data', () => {
  it('float16 rounding matches numpy bit for bit (normals, subnormals, ties, overflow)', () => {
    ref.float32.forEach((v, i) => expect(toHalf(Math.fround(v)), `${v}`).toBe(ref.bits[i]));
    ref.bits.forEach((b, i) => expect(fromHalf(b)).toBe(ref.back[i] ?? (ref.float32[i]! > 0 ? Infinity : -Infinity)));
  });
  it('every numeric datatype round-trips through its little-endian bytes', () => {
    const ints = [0, 1, 7, 100];
    for (const t of NUMERIC_DATATYPES) {
      const vals = t.startsWith('FP')
        ? [0, 1.5, -2.25, 1000]
        : t === 'BOOL'
          ? [0, 1, 1, 0]
          : t.startsWith('INT')
            ? [0, -1, 7, 100]
            : ints;
      const bytes = encodeTensor(vals, t);
      expect(Array.from(decodeTensor(bytes, t, 'x')), t).toEqual(vals);
    }
    // FP32 bytes are the platform's Float32Array bytes (little-endian).
    expect(Array.from(encodeTensor([1.5, -3], 'FP32'))).toEqual(
      Array.from(new Uint8Array(Float32Array.of(1.5, -3).buffer)),
    );
  });
  it('splits a body among its tensors and refuses sizes that do not add up', () => {
    const a = encodeTensor([1, 2], 'FP32'),
      b = encodeTensor([3], 'FP64');
    const { body, headerLength } = binaryBody(
      {
        outputs: [
          { name: 'a', parameters: { binary_data_size: 8 } },
          { name: 'j', data: [1] },
          { name: 'b', parameters: { binary_data_size: 8 } },
        ],
      },
      [a, b],
    );
    const header = JSON.parse(new TextDecoder().decode(body.subarray(0, headerLength)));
    const parts = splitBinary(header.outputs, body.subarray(headerLength), 'r');
    expect(Array.from(decodeTensor(parts.get('a')!, 'FP32', 'a'))).toEqual([1, 2]);
    expect(Array.from(decodeTensor(parts.get('b')!, 'FP64', 'b'))).toEqual([3]);
    expect(() => splitBinary([{ name: 'a', parameters: { binary_data_size: 12 } }], new Uint8Array(8), 'r')).toThrow(
      /needs 12 bytes at offset 0, but only 8 follow/,
    );
    expect(() => splitBinary([{ name: 'a', parameters: { binary_data_size: 4 } }], new Uint8Array(8), 'r')).toThrow(
      /4 bytes after the header belong to no tensor/,
    );
    expect(() => decodeTensor(new Uint8Array(6), 'FP32', 'out')).toThrow(
      /6 bytes are not a whole number of FP32 values/,
    );
  });
  it('integer inputs get whole numbers in range, or a message naming the feature and row', () => {
    expect(() => checkValues([1, 2.5], 'INT64', 'age', (i) => `feature "f${i}"`)).toThrow(
      /Input "age" is INT64, but feature "f1" is 2.5, not a whole number/,
    );
    expect(() => checkValues([300], 'UINT8', 'x', () => 'v')).toThrow(/out of range/);
    expect(() => checkValues([0, 1, 1], 'BOOL', 'x', () => 'v')).not.toThrow();
  });
});

describe('mapping features to server inputs', () => {
  const one: ModelMetadata = {
    name: 'm',
    inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3] }],
    outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }],
  };
  const per: ModelMetadata = {
    name: 'm',
    inputs: [
      { name: 'b', datatype: 'FP32', shape: [-1, 1] },
      { name: 'A', datatype: 'INT64', shape: [-1] },
    ],
    outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }],
  };
  const X = Float32Array.of(1, 2, 3, 4, 5, 6); // 2 rows × 3 features a, b, c
  const features = ['a', 'b', 'c'];
  it('one input takes every feature; several are matched by name (case-insensitively)', () => {
    expect(planInputs(one, 3, features).inputs[0]!.columns).toBeNull();
    const p = planInputs(per, 3, features);
    expect(p.inputs.map((i) => i.columns)).toEqual([[1], [0]]);
    expect(kserveRequest(per, X, 2, 3, '1', p).json).toEqual({
      id: '1',
      inputs: [
        { name: 'b', shape: [2, 1], datatype: 'FP32', data: [2, 5] },
        { name: 'A', shape: [2], datatype: 'INT64', data: [1, 4] },
      ],
      outputs: [{ name: 'y' }],
    });
  });
  it('an explicit map wins; unmapped inputs and unknown features are named', () => {
    const p = planInputs(per, 3, features, { b: ['c'], A: ['a'] });
    expect(p.inputs.map((i) => i.columns)).toEqual([[2], [0]]);
    expect(() => planInputs(per, 3, features, { b: ['c'] })).toThrow(
      /Input "A" of model "m" is not mapped to any feature/,
    );
    expect(() => planInputs(per, 3, features, { b: ['zz'], A: ['a'] })).toThrow(
      /mapped to feature "zz", which this model version does not have \(it has a, b, c\)/,
    );
    expect(() =>
      planInputs({ ...per, inputs: [{ name: 'q', datatype: 'FP32', shape: [-1, 1] }, per.inputs[1]!] }, 3, features),
    ).toThrow(/"q" matches no feature by name. Map the features to the inputs/);
    expect(() => planInputs(per, 3, features, { b: ['a', 'c'], A: ['a'] })).toThrow(
      /expects 1 features per row .* 2 are mapped to it/,
    );
    expect(() =>
      planInputs({ ...one, inputs: [{ name: 'x', datatype: 'BYTES', shape: [-1, 3] }] }, 3, features),
    ).toThrow(/datatype BYTES/);
  });
  it('a non-integer feature sent to an INT64 input names the feature and row', () => {
    const p = planInputs(per, 3, features, { b: ['a'], A: ['c'] });
    expect(() => kserveRequest(per, Float32Array.of(1, 2, 3.5, 4, 5, 6), 2, 3, '1', p, false, features)).toThrow(
      /Input "A" is INT64, but feature "c" in row 1 of the request is 3.5/,
    );
  });
  it('binary requests carry sizes in the header and bytes after it; binary responses decode', () => {
    const r = kserveRequest(one, X, 2, 3, '9', planInputs(one, 3, features), true);
    expect(r.json).toEqual({
      id: '9',
      inputs: [{ name: 'x', shape: [2, 3], datatype: 'FP32', parameters: { binary_data_size: 24 } }],
      outputs: [{ name: 'y', parameters: { binary_data: true } }],
    });
    expect(Array.from(decodeTensor(r.tensors[0]!, 'FP32', 'x'))).toEqual(Array.from(X));
    const out = encodeTensor([0.25, 0.75, 0.5, 0.5], 'FP32');
    const p = kserveResponse(
      {
        model_name: 'm',
        id: '9',
        outputs: [{ name: 'y', shape: [2, 2], datatype: 'FP32', parameters: { binary_data_size: 16 } }],
      },
      2,
      '9',
      'y',
      'infer',
      out,
    );
    expect(Array.from(p.values)).toEqual([0.25, 0.75, 0.5, 0.5]);
    expect(() =>
      kserveResponse(
        { outputs: [{ name: 'y', shape: [2, 2], datatype: 'FP32', parameters: { binary_data_size: 16 } }] },
        2,
        '9',
        'y',
        'infer',
      ),
    ).toThrow(/no Inference-Header-Content-Length header/);
  });
});
