import { ShapeError, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { hoyer, pqMean } from '../src/index.js';
import { allBut, observedCriteria } from './criteria.js';

describe('pqMean', () => {
  it('is −M_p / M_q by hand', () => {
    // M_1 = 2, M_2 = √(14/3)
    expect(pqMean([1, 2, 3], 1, 2)).toBeCloseTo(-2 / Math.sqrt(14 / 3), 15);
    // p = ½: M_½ = ((√1 + √2 + √3)/3)²; q = ∞: M_∞ = max = 3
    expect(pqMean([1, 2, 3], 0.5, Infinity)).toBeCloseTo(-(((1 + Math.SQRT2 + Math.sqrt(3)) / 3) ** 2) / 3, 15);
    expect(pqMean([-1, 2, -3], 1, 2)).toBe(pqMean([1, 2, 3], 1, 2));
  });

  it('is −1 on a constant vector and −N^(1/q − 1/p) on a spike, the all-zero vector and N = 1', () => {
    expect(pqMean([4, 4, 4], 1, 2)).toBeCloseTo(-1, 15);
    expect(pqMean([0, 0, 0, 5], 1, 2)).toBeCloseTo(-0.5, 15); // −4^(1/2 − 1)
    expect(pqMean([0, 0, 0, 0], 1, 2)).toBeCloseTo(-0.5, 15);
    expect(pqMean([0, 0, 0, 0], 0.5, Infinity)).toBeCloseTo(-(4 ** -2), 15);
    expect(pqMean([7], 1, 2)).toBe(-1);
    expect(pqMean([0], 1, 2)).toBe(-1);
  });

  it('is S_{1,2} = −(‖x‖₁/‖x‖₂)/√N, of which Hoyer is an N-dependent rescaling', () => {
    const x = [0.3, 0, 2, -1, 0, 0.7];
    const s = pqMean(x, 1, 2);
    const n = Math.sqrt(x.length);
    expect(hoyer(x)).toBeCloseTo((n * (1 + s)) / (n - 1), 14);
  });

  it('stays in [−1, −N^(1/q − 1/p)] for huge and tiny magnitudes', () => {
    expect(pqMean([1e300, 1e300, 0], 1, 2)).toBeCloseTo(pqMean([1, 1, 0], 1, 2), 14);
    expect(pqMean([1e-300, 3e-300], 0.5, 3)).toBeCloseTo(pqMean([1, 3], 0.5, 3), 14);
  });

  for (const [p, q] of [
    [1, 2],
    [0.5, 2],
    [1, 4],
  ] as const) {
    it(`with p = ${p} ≤ 1 < q = ${q} satisfies all six Hurley–Rickard criteria`, () => {
      expect(observedCriteria((c) => pqMean(c, p, q), 20 + p * 10 + q)).toEqual(allBut());
    });
  }

  it('rejects p ≤ 0, q ≤ p, the empty vector and NaN', () => {
    expect(() => pqMean([1], 0, 2)).toThrow(new ValueError('pqMean', 'p must be a finite number > 0, got number 0'));
    expect(() => pqMean([1], 2, 1)).toThrow(
      new ValueError('pqMean', 'q must be a number greater than p (2), got number 1'),
    );
    expect(() => pqMean([1], 1, NaN)).toThrow(ValueError);
    expect(() => pqMean([], 1, 2)).toThrow(ShapeError);
    expect(() => pqMean([1, NaN], 1, 2)).toThrow('pqMean: x[1] must be a finite number, got number NaN');
  });
});
