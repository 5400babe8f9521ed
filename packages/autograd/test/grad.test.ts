import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import * as A from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});

describe('grad and valueAndGrad', () => {
  it('returns the value and the gradient for each argument', () => {
    const f = A.valueAndGrad((x, y) => A.sum(A.mul(A.square(x), y)));
    const { value, grads } = f(T.tensor([1, 2]), T.tensor([3, 4]));
    expect(value.itemSync()).toBe(19);
    expect(grads[0].arraySync()).toEqual([6, 16]);
    expect(grads[1].arraySync()).toEqual([1, 4]);
  });

  it('gives zeros for an argument that does not reach the output', () => {
    const [gx, gy] = A.grad((x, _y) => A.sum(x))(T.tensor([1, 2]), T.tensor([5]));
    expect(gx.arraySync()).toEqual([1, 1]);
    expect(gy.arraySync()).toEqual([0]);
  });

  it('rejects a non-scalar result', () => {
    expect(() => A.grad((x) => A.mul(x, 2))(T.tensor([1, 2]))).toThrow(/one-element Variable, got shape \[2\]/);
  });
});
