import { ShapeError, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { l0, l1, l2, lInf, sparsityRatio } from '../src/index.js';
import { observedCriteria, satisfying } from './criteria.js';

describe('l0', () => {
  it('counts entries with |x| > tol', () => {
    expect(l0([0, 1, -2, 0, 3e-7])).toBe(3);
    expect(l0([0, 1, -2, 0, 3e-7], { tol: 1e-6 })).toBe(2);
    expect(l0(new Float32Array([0, -0, 0.5]))).toBe(1);
    expect(l0([2, -2], { tol: 2 })).toBe(0);
  });

  it('is 0 on the all-zero and the empty vector and N on a constant one', () => {
    expect(l0([0, 0, 0])).toBe(0);
    expect(l0([])).toBe(0);
    expect(l0([5, 5, 5, 5])).toBe(4);
  });

  it("as #zeros = N − l0 (the paper's orientation) satisfies Scaling and Babies only", () => {
    const zeros = (c: Float64Array): number => c.length - l0(c);
    // Not Robin Hood (moving wealth between two non-zeros leaves the count as it is), not
    // Rising Tide (no change when c has no zeros), not Cloning (it doubles the zeros), not
    // Bill Gates (blind to magnitudes).
    expect(observedCriteria(zeros, 11)).toEqual(satisfying('scaling', 'babies'));
  });

  it('rejects a bad tol, NaN and Infinity, naming the index', () => {
    expect(() => l0([1], { tol: -1 })).toThrow(
      new ValueError('l0', 'options.tol must be a finite number >= 0, got number -1'),
    );
    expect(() => l0([1, 2, NaN])).toThrow(new ValueError('l0', 'x[2] must be a finite number, got number NaN'));
    expect(() => l0(new Float32Array([Infinity]))).toThrow('l0: x[0] must be a finite number, got number Infinity');
    expect(() => l0('abc' as never)).toThrow(ValueError);
    expect(() => l0([1, '2'] as never)).toThrow('l0: x[1] must be a finite number, got string "2"');
  });
});

describe('sparsityRatio', () => {
  it('is the fraction of entries with |x| <= tol', () => {
    expect(sparsityRatio([0, 1, -2, 0])).toBe(0.5);
    expect(sparsityRatio([0.001, 1, -2, 0], { tol: 0.01 })).toBe(0.5);
    expect(sparsityRatio(new Float64Array(10).fill(3))).toBe(0);
  });

  it('is 1 on the all-zero vector and a ShapeError on the empty one', () => {
    expect(sparsityRatio([0, 0])).toBe(1);
    expect(() => sparsityRatio([])).toThrow(
      new ShapeError('sparsityRatio', 'x must have at least one element, got length 0'),
    );
  });

  it('satisfies Scaling, Cloning and Babies (normalising by N buys Cloning)', () => {
    expect(observedCriteria((c) => sparsityRatio(c), 12)).toEqual(satisfying('scaling', 'cloning', 'babies'));
  });
});

describe('l1, l2, lInf', () => {
  it('computes the norms by hand', () => {
    expect(l1([3, -4])).toBe(7);
    expect(l2([3, -4])).toBe(5);
    expect(lInf([3, -4])).toBe(4);
    expect(l1(new Int8Array([1, -2, 3]))).toBe(6);
  });

  it('is 0 on the all-zero and the empty vector; N|c|, √N|c|, |c| on a constant one', () => {
    for (const f of [l1, l2, lInf]) {
      expect(f([0, 0, 0])).toBe(0);
      expect(f([])).toBe(0);
    }
    expect(l1([-2, -2, -2, -2])).toBe(8);
    expect(l2([-2, -2, -2, -2])).toBe(4);
    expect(lInf([-2, -2, -2, -2])).toBe(2);
  });

  it('neither overflows nor underflows where float64 squares would', () => {
    expect(l2([3e200, 4e200]) / 5e200).toBeCloseTo(1, 14);
    expect(l2([3e-200, 4e-200]) / 5e-200).toBeCloseTo(1, 14);
    expect(l1([1e308, 1e308])).toBe(Infinity); // the true value exceeds float64
  });

  it('as −‖c‖ (growing with sparsity) satisfy only Rising Tide, and −ℓ∞ also Cloning', () => {
    expect(observedCriteria((c) => -l1(c), 13)).toEqual(satisfying('risingTide'));
    expect(observedCriteria((c) => -l2(c), 14)).toEqual(satisfying('risingTide'));
    expect(observedCriteria((c) => -lInf(c), 15)).toEqual(satisfying('risingTide', 'cloning'));
  });

  it('names the function in errors', () => {
    expect(() => l2([Infinity])).toThrow('l2: x[0] must be a finite number, got number Infinity');
    expect(() => lInf(null as never)).toThrow(
      'lInf: x must be an array-like of numbers (number[], Float32Array, …), got null',
    );
  });
});
