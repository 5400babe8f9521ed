import { disposeBackend, ShapeError, setBackend, tensor, ValueError } from '@sparsekit/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topKAccuracy } from '../src/index.js';
import { finiteVector, hostMatrix } from '../src/input.js';

describe('input checks', () => {
  beforeAll(() => setBackend('cpu'));
  afterAll(() => disposeBackend());

  it('recognises tensors by the tensor package brand (any loaded copy), not by class', () => {
    const hint = /read a tensor first with \{ data: await t.data\(\), shape: t.shape \}/;
    expect(() => hostMatrix('op', 'm', tensor([1], [1]))).toThrow(hint);
    // A tensor of another copy of @sparsekit/tensor (its CJS build, say) carries the same brand.
    const foreign = { [Symbol.for('sparsekit.tensor')]: true, shape: [2], data: async () => new Float32Array(2) };
    expect(() => hostMatrix('op', 'm', foreign)).toThrow(hint);
    expect(() => hostMatrix('op', 'm', { shape: [1, 2], data: [1, 2] })).not.toThrow();
  });

  it('accepts every numeric array-like and names the first bad index', () => {
    for (const v of [[1, 2], new Float32Array(2), new Float64Array(2), new Int32Array(2), new Uint8Array(2)]) {
      expect(finiteVector('op', 'x', v)).toBe(v);
    }
    expect(() => finiteVector('op', 'x', [1, undefined])).toThrow(
      new ValueError('op', 'x[1] must be a finite number, got undefined'),
    );
    expect(() => finiteVector('op', 'x', { length: 1, 0: 5 })).not.toThrow();
    expect(() => finiteVector('op', 'x', 7)).toThrow(
      'op: x must be an array-like of numbers (number[], Float32Array, …), got number 7',
    );
  });

  it('reads matrices as { data, shape } or rows', () => {
    expect(hostMatrix('op', 'm', { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] })).toMatchObject({ rows: 2, cols: 3 });
    const rows = hostMatrix('op', 'm', [new Float32Array([1, 2]), [3, 4]]);
    expect(rows).toMatchObject({ rows: 2, cols: 2 });
    expect(Array.from(rows.data)).toEqual([1, 2, 3, 4]);
    expect(() => hostMatrix('op', 'm', { data: [1], shape: [1] })).toThrow(
      new ShapeError('op', 'm.shape must be [rows, cols] of non-negative integers, got array of length 1'),
    );
    expect(() => hostMatrix('op', 'm', [1, 2])).toThrow(
      'op: m must be { data, shape: [rows, cols] } or an array of rows, got rows of number 1',
    );
    expect(() => hostMatrix('op', 'm', [[1], [2, 3]])).toThrow('op: m rows must all have length 1, got 2 at row 1');
  });

  it('tells how to pass a tensor where a host matrix is needed', () => {
    expect(() => topKAccuracy([0], tensor([1, 2], [1, 2]) as never, 1)).toThrow(
      new ValueError(
        'topKAccuracy',
        'scores must be a host matrix; read a tensor first with { data: await t.data(), shape: t.shape }',
      ),
    );
  });
});
