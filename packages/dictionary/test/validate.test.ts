import { ShapeError, tensor, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { checkOptions, readCoding, toMatrix, toMatrixView, toVector } from '../src/validate.js';

describe('toMatrix', () => {
  it('reads rows, { data, shape } and 2-D tensors into the same row-major float64 matrix', () => {
    const want = { data: Float64Array.from([1, 2, 3, 4, 5, 6]), rows: 2, cols: 3 };
    expect(
      toMatrix('f', 'X', [
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toEqual(want);
    expect(toMatrix('f', 'X', { data: [1, 2, 3, 4, 5, 6], shape: [2, 3] })).toEqual(want);
    expect(toMatrix('f', 'X', { data: Float32Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] })).toEqual(want);
    expect(
      toMatrix(
        'f',
        'X',
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    ).toEqual(want);
  });

  it('copies by default, and passes typed data through only when asked', () => {
    const f64 = Float64Array.from([1, 2, 3, 4]);
    const f32 = Float32Array.from([1, 2, 3, 4]);
    expect(toMatrix('f', 'X', { data: f64, shape: [2, 2] }).data).not.toBe(f64);
    expect(toMatrix('f', 'X', { data: f64, shape: [2, 2] }, false).data).toBe(f64);
    expect(toMatrix('f', 'X', { data: f32, shape: [2, 2] }, false).data).toBeInstanceOf(Float64Array);
    expect(toMatrixView('f', 'X', { data: f32, shape: [2, 2] }).data).toBe(f32);
  });

  it('names the first non-finite entry by row and column, for every input form', () => {
    expect(() =>
      toMatrix('fn', 'X', [
        [1, 2],
        [3, Number.NaN],
      ]),
    ).toThrow('fn: X[1][1] must be a finite number, got number NaN');
    expect(() =>
      toMatrix('fn', 'X', [
        [1, '2'],
        [3, 4],
      ]),
    ).toThrow('fn: X[0][1] must be a finite number, got string "2"');
    expect(() =>
      toMatrix('fn', 'X', { data: Float32Array.from([1, 2, Number.POSITIVE_INFINITY, 4]), shape: [2, 2] }),
    ).toThrow('fn: X[1][0] must be a finite number, got number Infinity');
    expect(() => toMatrixView('fn', 'X', { data: [1, 2, 3, Number.NEGATIVE_INFINITY], shape: [2, 2] })).toThrow(
      'X[1][1]',
    );
    expect(() => toMatrix('fn', 'X', tensor([[0, Number.NaN]]))).toThrow('X[0][1]');
  });

  it('rejects shapes that are not matrices with a ShapeError', () => {
    expect(() => toMatrix('f', 'X', [[1, 2], [3]])).toThrow(ShapeError);
    expect(() => toMatrix('f', 'X', { data: [1, 2, 3], shape: [2, 2] })).toThrow(
      'X.data must hold 2×2 = 4 values for shape [2, 2], got 3',
    );
    expect(() => toMatrix('f', 'X', { data: [1, 2], shape: [2] })).toThrow(ShapeError);
    expect(() => toMatrix('f', 'X', tensor([1, 2, 3]))).toThrow('X must be a 2-D tensor, got shape [3]');
    expect(() => toMatrix('f', 'X', { data: [], shape: [0, 3] })).toThrow('at least one row and one column');
  });

  it('rejects values that are not matrices with a ValueError', () => {
    for (const bad of [
      null,
      undefined,
      3,
      'X',
      [],
      [1, 2, 3],
      Float32Array.from([1, 2]),
      { data: 'abc', shape: [1, 3] },
    ]) {
      expect(() => toMatrix('f', 'X', bad), String(bad)).toThrow(ValueError);
    }
  });
});

describe('toVector', () => {
  it('reads arrays, typed arrays and 1-D tensors, and rejects the rest', () => {
    expect(toVector('f', 'y', [1, 2])).toEqual(Float64Array.from([1, 2]));
    expect(toVector('f', 'y', tensor([1, 2]))).toEqual(Float64Array.from([1, 2]));
    expect(() => toVector('f', 'y', tensor([[1, 2]]))).toThrow(ShapeError);
    expect(() => toVector('f', 'y', [1, Number.NaN])).toThrow('y[1] must be a finite number, got number NaN');
    expect(() => toVector('f', 'y', 5)).toThrow(ValueError);
  });
});

describe('checkOptions and readCoding', () => {
  it('rejects unknown keys and non-objects, naming the key and the known ones', () => {
    expect(() => checkOptions('f', { a: 1, extra: 2 }, ['a'])).toThrow(
      "f: unknown option 'extra' in options; allowed: a",
    );
    expect(() => checkOptions('f', [1], ['a'])).toThrow(ValueError);
    expect(() => checkOptions('f', null, ['a'])).toThrow(ValueError);
    expect(() => checkOptions('f', undefined, ['a'])).not.toThrow();
  });

  it('requires D to be as wide as X', () => {
    expect(() => readCoding('f', [[1, 2, 3]], [[1, 2]])).toThrow(ShapeError);
    expect(
      readCoding(
        'f',
        [[1, 2]],
        [
          [1, 0],
          [0, 1],
        ],
      ).D.rows,
    ).toBe(2);
  });
});
