import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import * as A from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});

describe('gradCheck', () => {
  it('passes a correct gradient and reports the worst error per input', () => {
    const r = A.gradCheck((x, y) => A.mul(A.tanh(x), y), [T.tensor([0.3, -0.7]), T.tensor([1.5, 2])]);
    expect(r.ok).toBe(true);
    expect(r.inputs).toHaveLength(2);
    expect(r.maxError).toBeLessThan(1e-2);
  });

  it('catches a wrong gradient rule', () => {
    // A "square" whose recorded rule forgets the factor 2.
    const bad = (x: A.Variable) => {
      const v = A.square(x);
      (v as unknown as { gradFn: (dy: T.Tensor) => T.Tensor[] }).gradFn = (dy) => [T.mul(dy, x.value)];
      return v;
    };
    const r = A.gradCheck(bad, [T.tensor([0.5, 1.5])]);
    expect(r.ok).toBe(false);
    expect(r.inputs[0].maxError).toBeGreaterThan(0.4);
  });

  it('validates its options', () => {
    expect(() => A.gradCheck((x) => x, [T.tensor([1])], { eps: 0 })).toThrow(
      /gradCheck: options.eps must be a finite number > 0, got number 0/,
    );
  });

  // Issue 8, item 15: gradCheck(5, …) used to fail with 'f is not a function'.
  it('rejects a non-function f, non-tensor inputs, a non-Variable result and unknown options with a ValueError', () => {
    expect(() => A.gradCheck(5 as never, [T.tensor([1])])).toThrow(/gradCheck: f must be a function .*got number 5/);
    expect(() => A.gradCheck((x) => x, [[1, 2]] as never)).toThrow(
      /gradCheck: inputs\[0\] must be a Tensor, got array of length 2/,
    );
    expect(() => A.gradCheck((x) => x, T.tensor([1]) as never)).toThrow(
      /gradCheck: inputs must be an array of Tensors/,
    );
    expect(() => A.gradCheck(() => 3 as never, [T.tensor([1])])).toThrow(
      /gradCheck: f must return a Variable, got number 3/,
    );
    expect(() => A.gradCheck((x) => x, [T.tensor([1])], { epsilon: 1e-3 } as never)).toThrow(
      /gradCheck: unknown option 'epsilon'/,
    );
    expect(() => A.gradCheck((x) => x, [T.tensor([1])], { tol: NaN })).toThrow(T.ValueError);
  });
});
