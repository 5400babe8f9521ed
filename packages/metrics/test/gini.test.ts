import { Random, ShapeError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { gini } from '../src/index.js';
import { allBut, observedCriteria } from './criteria.js';
import fixtures from './fixtures/sklearn.json';

/** The formula as written, sorting with a comparator: the reference for the fast path. */
function giniReference(x: ArrayLike<number>): number {
  const c = Array.from(x, Math.abs).sort((a, b) => a - b);
  const n = c.length;
  const l1 = c.reduce((a, b) => a + b, 0);
  let s = 0;
  for (let k = 1; k <= n; k++) s += (c[k - 1] / l1) * ((n - k + 0.5) / n);
  return 1 - 2 * s;
}

describe('gini', () => {
  it('computes 1 − 2 Σ (c₍ₖ₎/‖c‖₁)(N − k + ½)/N by hand', () => {
    // sorted 1..4, ‖c‖₁ = 10: Σ c₍ₖ₎(N − k + ½) = 3.5 + 5 + 4.5 + 2 = 15, G = 1 − 30/40
    expect(gini([1, 2, 3, 4])).toBeCloseTo(0.25, 15);
    expect(gini([-4, 3, -2, 1])).toBeCloseTo(0.25, 15);
    // 0..3: Σ = 2.5 + 3 + 1.5 = 7, ‖c‖₁ = 6, G = 1 − 14/24
    expect(gini([3, 0, 2, 1])).toBeCloseTo(5 / 12, 15);
    expect(gini([1, 0, 0, 0])).toBe(0.75);
  });

  it('is 0 on constant vectors, 1 − 1/N on a spike and on the all-zero vector, 0 for N = 1', () => {
    expect(gini([3, 3, 3])).toBe(0);
    expect(gini([0, 0, 9, 0, 0])).toBeCloseTo(0.8, 15);
    expect(gini([0, 0, 0, 0, 0])).toBeCloseTo(0.8, 15);
    expect(gini([5])).toBe(0);
    expect(gini([0])).toBe(0);
  });

  it('matches the formula with a comparison sort on random inputs of every storage type', () => {
    const rng = new Random(41);
    for (const n of [2, 17, 1023, 1024, 5000]) {
      const x = Array.from({ length: n }, () => (rng.uniform() < 0.4 ? 0 : rng.normal() * 3));
      for (const v of [x, Float64Array.from(x), Float32Array.from(x)]) {
        expect(gini(v)).toBeCloseTo(giniReference(v), 12);
      }
    }
  });

  it('matches numpy on the fixture vectors', () => {
    for (const m of fixtures.measures) expect(gini(m.x)).toBeCloseTo(m.gini, 12);
  });

  it('satisfies all six Hurley–Rickard criteria', () => {
    expect(observedCriteria((c) => gini(c), 51)).toEqual(allBut());
  });

  it('is scale-free at the edges of the float64 range', () => {
    expect(gini([1e300, 2e300, 0, 4e300])).toBeCloseTo(gini([1, 2, 0, 4]), 14);
    expect(gini([1e-310, 2e-310])).toBeCloseTo(gini([1, 2]), 3); // subnormals keep few digits
  });

  it('rejects the empty vector and non-finite values, naming the index', () => {
    expect(() => gini([])).toThrow(new ShapeError('gini', 'x must have at least one element, got length 0'));
    expect(() => gini(new Float32Array([1, NaN]))).toThrow('gini: x[1] must be a finite number, got number NaN');
    expect(() => gini(new Float64Array([-Infinity]))).toThrow(
      'gini: x[0] must be a finite number, got number -Infinity',
    );
  });
});
