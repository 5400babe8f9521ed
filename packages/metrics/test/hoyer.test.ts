import { ShapeError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { hoyer } from '../src/index.js';
import { allBut, observedCriteria } from './criteria.js';
import fixtures from './fixtures/sklearn.json';

describe('hoyer', () => {
  it('computes (√N − ‖x‖₁/‖x‖₂)/(√N − 1) by hand', () => {
    expect(hoyer([1, 0])).toBe(1);
    expect(hoyer([0, 0, -3, 0])).toBe(1);
    expect(hoyer([3, 4])).toBeCloseTo((Math.SQRT2 - 7 / 5) / (Math.SQRT2 - 1), 15);
    expect(hoyer([1, 0, 1, 0])).toBeCloseTo(2 - Math.SQRT2, 15);
  });

  it('is 0 on constant vectors, 1 on the all-zero vector, 0 for N = 1', () => {
    expect(hoyer([2.5, 2.5, 2.5])).toBe(0);
    expect(hoyer(new Float32Array(1000).fill(0.1))).toBe(0);
    expect(hoyer([0, 0, 0])).toBe(1);
    expect(hoyer([7])).toBe(0);
    expect(hoyer([0])).toBe(0);
  });

  it('matches numpy on the fixture vectors', () => {
    for (const m of fixtures.measures) expect(hoyer(m.x)).toBeCloseTo(m.hoyer, 12);
  });

  it('satisfies every Hurley–Rickard criterion but Cloning', () => {
    expect(observedCriteria((c) => hoyer(c), 31)).toEqual(allBut('cloning'));
  });

  it('fails Cloning: H(c‖c) ≠ H(c), because N stands outside the norm ratio', () => {
    // c = [1, 0]: ‖c‖₁/‖c‖₂ = 1, H = 1. c‖c = [1, 0, 1, 0]: ratio √2, H = (2 − √2)/(2 − 1).
    const c = [1, 0];
    const cc = [...c, ...c];
    expect(hoyer(c)).toBe(1);
    expect(hoyer(cc)).toBeCloseTo(0.5858, 4);
    // Cloning also moves a dense vector: [1, 2] → [1, 2, 1, 2].
    expect(Math.abs(hoyer([1, 2, 1, 2]) - hoyer([1, 2]))).toBeGreaterThan(0.05);
  });

  it('stays within [0, 1] for huge, tiny and near-constant magnitudes', () => {
    expect(hoyer([1e300, 1e300, 0])).toBeCloseTo(hoyer([1, 1, 0]), 14);
    expect(hoyer([1e-300, 2e-300])).toBeCloseTo(hoyer([1, 2]), 14);
    const nearlyConstant = Float64Array.from({ length: 999 }, (_, i) => 0.1 + (i % 2) * 1e-17);
    expect(hoyer(nearlyConstant)).toBeGreaterThanOrEqual(0);
  });

  it('rejects the empty vector and non-finite values, naming the index', () => {
    expect(() => hoyer([])).toThrow(new ShapeError('hoyer', 'x must have at least one element, got length 0'));
    expect(() => hoyer([1, 2, -Infinity])).toThrow('hoyer: x[2] must be a finite number, got number -Infinity');
    // Float arrays are checked inside the single pass over the data: same message.
    expect(() => hoyer(new Float64Array([1, NaN, Infinity]))).toThrow(
      'hoyer: x[1] must be a finite number, got number NaN',
    );
    expect(() => hoyer(new Float32Array([1, 2, Infinity]))).toThrow(
      'hoyer: x[2] must be a finite number, got number Infinity',
    );
    expect(() => hoyer(new Float32Array([NaN]))).toThrow('hoyer: x[0] must be a finite number, got number NaN');
    expect(hoyer(Float64Array.of(1e308, 1e308, 0))).toBeCloseTo(hoyer([1, 1, 0]), 14); // overflow is not an error
  });
});
