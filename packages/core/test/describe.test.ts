import { describe, expect, it } from 'vitest';
import { describeValue } from '../src/index.js';

const TENSOR = Symbol.for('sparsekit.tensor');

// A tensor as every copy of @sparsekit/tensor makes it: the brand on its prototype.
function fakeTensor(shape: number[], isDisposed = false): object {
  return Object.create({ [TENSOR]: true }, { shape: { value: shape }, isDisposed: { value: isDisposed } });
}

describe('describeValue', () => {
  it('names the type and, where short, the value', () => {
    class Variable {
      grad = null;
      constructor(readonly value: object) {}
    }
    const table: Array<[unknown, string]> = [
      [null, 'null'],
      [undefined, 'undefined'],
      [5, 'number 5'],
      [NaN, 'number NaN'],
      [-Infinity, 'number -Infinity'],
      [-0, 'number -0'],
      [true, 'boolean true'],
      [3n, 'bigint 3n'],
      ['abc', 'string "abc"'],
      ['x'.repeat(40), `string "${'x'.repeat(32)}…"`],
      [Symbol('s'), 'symbol s'],
      [Symbol(), 'symbol'],
      [function named() {}, 'function named'],
      [() => 0, 'function'],
      [[1, 2], 'array of length 2'],
      [new Float32Array(3), 'Float32Array of length 3'],
      [new DataView(new ArrayBuffer(2)), 'DataView'],
      [fakeTensor([2, 3]), 'Tensor of shape [2, 3]'],
      [fakeTensor([1], true), 'Tensor of shape [1] (disposed)'],
      [new Variable(fakeTensor([1])), 'Variable — use .value'],
      [{ value: fakeTensor([1]), grad: null }, 'Variable — use .value'],
      [{}, 'object {}'],
      [Object.create(null), 'object {}'],
      [{ a: 1, b: 2 }, 'object {a, b}'],
      [{ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, 'object {a, b, c, d, e, …}'],
      [new Map(), 'Map'],
      [
        new (class CsrTensor {
          shape = [2, 2];
        })(),
        'CsrTensor of shape [2, 2]',
      ],
    ];
    for (const [x, want] of table) expect(describeValue(x), String(want)).toBe(want);
  });
});
