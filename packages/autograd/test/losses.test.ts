import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import * as A from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});

describe('losses', () => {
  it('mseLoss averages or sums squared errors', () => {
    const p = T.tensor([1, 2, 3]);
    const t = T.tensor([1, 0, 0]);
    expect(A.mseLoss(p, t).value.itemSync()).toBeCloseTo(13 / 3, 6);
    expect(A.mseLoss(p, t, { reduction: 'sum' }).value.itemSync()).toBe(13);
    expect(A.mseLoss(p, t, { reduction: 'none' }).value.arraySync()).toEqual([0, 4, 9]);
    expect(() => A.mseLoss(p, T.tensor([1, 2]))).toThrow(
      /mseLoss: target must have the prediction's shape \[3\], got \[2\]/,
    );
  });

  it('softmaxCrossEntropy takes integer labels (array or tensor) or one-hot rows alike', () => {
    const z = T.tensor([
      [1, 2, 3],
      [1, 0, -1],
    ]);
    const ref =
      (-Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3))) -
        Math.log(Math.exp(0) / (Math.exp(1) + 1 + Math.exp(-1)))) /
      2;
    expect(A.softmaxCrossEntropy(z, [2, 1]).value.itemSync()).toBeCloseTo(ref, 5);
    expect(A.softmaxCrossEntropy(z, T.tensor([2, 1])).value.itemSync()).toBeCloseTo(ref, 5);
    expect(A.softmaxCrossEntropy(z, T.oneHot([2, 1], 3)).value.itemSync()).toBeCloseTo(ref, 5);
    expect(A.softmaxCrossEntropy(z, [2, 1], { reduction: 'sum' }).value.itemSync()).toBeCloseTo(2 * ref, 5);
    expect(() => A.softmaxCrossEntropy(z, [2, 3])).toThrow(/labels\[1\] must be an integer in \[0, 3\), got number 3/);
  });

  it('softmaxCrossEntropy is finite for huge logits, with gradient softmax − onehot', () => {
    const z = new A.Parameter(
      T.tensor([
        [1e4, -1e4, 0],
        [-3e4, 3e4, 3e4],
      ]),
    );
    const l = A.softmaxCrossEntropy(z, [1, 2], { reduction: 'sum' });
    expect(l.value.itemSync()).toBeCloseTo(2e4 + Math.log(2), 0);
    l.backward();
    const g = z.grad!.arraySync() as number[][];
    expect(g[0]).toEqual([1, -1, 0]);
    // lse = 3e4 + ln 2 carries float32's ulp at 3e4 (~2e-3), so softmax is good to ~1e-4 here.
    expect(g[1][1]).toBeCloseTo(0.5, 3);
    expect(g[1][2]).toBeCloseTo(-0.5, 3);
  });

  it('binaryCrossEntropyWithLogits is softplus(z) − z·y, finite for huge logits, gradient σ(z) − y', () => {
    const z = new A.Parameter(T.tensor([0, 2, -1e4, 1e4]));
    const y = T.tensor([1, 0, 1, 1]);
    const l = A.binaryCrossEntropyWithLogits(z, y, { reduction: 'none' });
    const v = l.value.dataSync();
    expect(v[0]).toBeCloseTo(Math.log(2), 6);
    expect(v[1]).toBeCloseTo(Math.log(1 + Math.exp(2)), 5);
    expect(v[2]).toBeCloseTo(1e4, 0);
    expect(v[3]).toBe(0);
    A.sum(l).backward();
    const g = z.grad!.dataSync();
    expect(g[0]).toBeCloseTo(-0.5, 6);
    expect(g[2]).toBeCloseTo(-1, 6);
    expect(g[3]).toBeCloseTo(0, 6);
  });

  // Issue 8, item 4: out-of-range labels given as a tensor used to give a finite loss.
  it('softmaxCrossEntropy rejects tensor labels outside [0, c), fractional or NaN, naming the first bad index', () => {
    const z = T.tensor([
      [1, 2, 3],
      [0, 0, 0],
      [3, 2, 1],
    ]);
    expect(() => A.softmaxCrossEntropy(z, T.tensor([0, 7, 1]))).toThrow(
      /softmaxCrossEntropy: labels\[1\] must be an integer class in \[0, 3\), got 7/,
    );
    expect(() => A.softmaxCrossEntropy(z, T.tensor([0, 1, 3]))).toThrow(/labels\[2\] .* got 3/);
    expect(() => A.softmaxCrossEntropy(z, T.tensor([-1, 1, 2]))).toThrow(/labels\[0\] .* got -1/);
    expect(() => A.softmaxCrossEntropy(z, T.tensor([0, 1.5, 2]))).toThrow(/labels\[1\] .* got 1.5/);
    expect(() => A.softmaxCrossEntropy(z, T.tensor([0, 1, NaN]))).toThrow(/labels\[2\] .* got NaN/);
    expect(() => A.softmaxCrossEntropy(z, T.tensor([0, 1, 2]))).not.toThrow();
    expect(() => A.softmaxCrossEntropy(z, [0, 7, 1])).toThrow(
      /labels\[1\] must be an integer in \[0, 3\), got number 7/,
    );
    expect(() => A.softmaxCrossEntropy(z, T.tensor([0, 1, 2]), { reduce: 'sum' } as never)).toThrow(
      /unknown option 'reduce'/,
    );
    expect(() => A.softmaxCrossEntropy(z, T.tensor([0, 1, 2]), { reduction: 'avg' } as never)).toThrow(
      /reduction must be 'mean', 'sum' or 'none', got 'avg'/,
    );
  });

  it('losses pass gradCheck', () => {
    const z = T.randn([4, 3], { seed: 1 });
    const t = T.rand([4, 3], { seed: 2 });
    expect(A.gradCheck((a) => A.softmaxCrossEntropy(a, [0, 2, 1, 1]), [z]).ok).toBe(true);
    expect(A.gradCheck((a, b) => A.binaryCrossEntropyWithLogits(a, b), [z, t]).ok).toBe(true);
    expect(A.gradCheck((a, b) => A.mseLoss(a, b, { reduction: 'sum' }), [z, t]).ok).toBe(true);
  });
});
