import { describeValue, ValueError } from '@sparsekit/core';
import { pairedVectors } from './input.js';

/**
 * Mean squared error (1/n) Σ (yᵢ − ŷᵢ)², as scikit-learn's `mean_squared_error`.
 * Range [0, ∞).
 * @throws ShapeError on empty or unequal-length inputs; ValueError on NaN/±Infinity.
 */
export function mse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = pairedVectors('mse', ['yTrue', yTrue], ['yPred', yPred]);
  return sumSquaredError(t, p) / t.length;
}

/**
 * Mean absolute error (1/n) Σ |yᵢ − ŷᵢ|, as scikit-learn's `mean_absolute_error`.
 * Range [0, ∞).
 * @throws ShapeError on empty or unequal-length inputs; ValueError on NaN/±Infinity.
 */
export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = pairedVectors('mae', ['yTrue', yTrue], ['yPred', yPred]);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += Math.abs(t[i] - p[i]);
  return s / t.length;
}

/**
 * Coefficient of determination R² = 1 − Σ(yᵢ − ŷᵢ)² / Σ(yᵢ − ȳ)², as scikit-learn's
 * `r2_score` (with its default `force_finite=True`). Range (−∞, 1].
 *
 * Constant `yTrue` (zero denominator): 1 if the predictions are exact, else 0 — never
 * NaN or −∞. Constancy is tested exactly (all values equal), so rounding in the mean
 * cannot turn it into a huge negative score.
 * @throws ShapeError on empty or unequal-length inputs; ValueError on NaN/±Infinity.
 */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const [t, p] = pairedVectors('r2', ['yTrue', yTrue], ['yPred', yPred]);
  const ssRes = sumSquaredError(t, p);
  if (ssRes === 0) return 1;
  let constant = true;
  let mean = 0;
  for (let i = 0; i < t.length; i++) {
    mean += t[i];
    if (t[i] !== t[0]) constant = false;
  }
  if (constant) return 0;
  mean /= t.length;
  let ssTot = 0;
  for (let i = 0; i < t.length; i++) ssTot += (t[i] - mean) ** 2;
  return 1 - ssRes / ssTot;
}

/**
 * Peak signal-to-noise ratio in dB, 10·log10(peak² / MSE), of an estimate against a
 * reference (images as flat arrays). `peak` is the largest possible value: 1 for images
 * in [0, 1], 255 for 8-bit images. Identical inputs (MSE = 0): `Infinity`.
 * @throws ShapeError on empty or unequal-length inputs; ValueError on NaN/±Infinity or a
 * `peak` that is not a finite number > 0.
 */
export function psnr(reference: ArrayLike<number>, estimate: ArrayLike<number>, peak: number): number {
  if (typeof peak !== 'number' || !(peak > 0) || !Number.isFinite(peak)) {
    throw new ValueError(
      'psnr',
      `peak must be a finite number > 0 (1 for [0, 1] images, 255 for 8-bit), got ${describeValue(peak)}`,
    );
  }
  const [t, p] = pairedVectors('psnr', ['reference', reference], ['estimate', estimate]);
  const err = sumSquaredError(t, p) / t.length;
  if (err === 0) return Infinity;
  return 20 * Math.log10(peak) - 10 * Math.log10(err);
}

function sumSquaredError(t: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < t.length; i++) s += (t[i] - p[i]) ** 2;
  return s;
}
