import { ShapeError, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { mae, mse, psnr, r2 } from '../src/index.js';
import fixtures from './fixtures/sklearn.json';

describe('mse, mae, r2', () => {
  it('computes them by hand', () => {
    // errors 0, 0, −2; mean 2, Σ(y − ȳ)² = 2
    expect(mse([1, 2, 3], [1, 2, 5])).toBeCloseTo(4 / 3, 15);
    expect(mae([1, 2, 3], [1, 2, 5])).toBeCloseTo(2 / 3, 15);
    expect(r2([1, 2, 3], [1, 2, 5])).toBeCloseTo(-1, 15);
    expect(r2([1, 2, 3], [2, 2, 2])).toBe(0);
  });

  it('matches scikit-learn mean_squared_error, mean_absolute_error and r2_score', () => {
    for (const c of fixtures.regression) {
      expect(mse(c.yTrue, c.yPred), c.name).toBeCloseTo(c.mse, 13);
      expect(mae(c.yTrue, c.yPred), c.name).toBeCloseTo(c.mae, 13);
      expect(r2(c.yTrue, c.yPred), c.name).toBeCloseTo(c.r2, 13);
    }
  });

  it('gives R² = 1 for an exact fit and 0 for a wrong fit of a constant target, never NaN', () => {
    expect(r2([0.1, 0.1, 0.1], [0.1, 0.1, 0.1])).toBe(1);
    expect(r2([0.1, 0.1, 0.1], [0.1, 0.1, 0.2])).toBe(0);
    expect(r2([5], [4])).toBe(0);
  });

  it('rejects empty, unequal and non-finite inputs', () => {
    expect(() => mse([], [])).toThrow(ShapeError);
    expect(() => mae([1], [1, 2])).toThrow(
      new ShapeError('mae', 'yTrue and yPred must have the same length, got 1 and 2'),
    );
    expect(() => r2([1, 2], [1, Infinity])).toThrow('r2: yPred[1] must be a finite number, got number Infinity');
  });
});

describe('psnr', () => {
  it('is 10·log10(peak² / MSE) by hand', () => {
    // MSE = 0.25/2 = 0.125: 10·log10(8)
    expect(psnr([0, 1], [0, 0.5], 1)).toBeCloseTo(10 * Math.log10(8), 13);
    expect(psnr([0, 255], [0, 127.5], 255)).toBeCloseTo(10 * Math.log10(8), 13);
  });

  it('matches numpy on the fixture images for peaks 1 and 255', () => {
    for (const c of fixtures.psnr) expect(psnr(c.reference, c.estimate, c.peak)).toBeCloseTo(c.psnr, 11);
  });

  it('is Infinity for identical inputs', () => {
    expect(psnr([0.2, 0.4], [0.2, 0.4], 1)).toBe(Infinity);
  });

  it('requires a finite positive peak', () => {
    expect(() => psnr([1], [1], 0)).toThrow(
      new ValueError('psnr', 'peak must be a finite number > 0 (1 for [0, 1] images, 255 for 8-bit), got number 0'),
    );
    expect(() => psnr([1], [1], undefined as never)).toThrow(ValueError);
  });
});
