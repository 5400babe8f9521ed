import type { ReadableTensor as Tensor } from '@sparsekit/core';
import { measureInput, onHostOrTensor } from './input.js';
import { absSums } from './norms.js';

/**
 * Hoyer's sparseness (Hoyer, "Non-negative Matrix Factorization with Sparseness
 * Constraints", JMLR 5, 2004):
 *
 *   H(x) = (√N − ‖x‖₁ / ‖x‖₂) / (√N − 1)
 *
 * Range: [0, 1]; 1 for exactly one non-zero, exactly 0 when all |xᵢ| are equal and non-zero.
 * All-zero vector: 1 (treated as maximally sparse, the value of a single spike, so
 * pruning the last non-zero does not change it). N = 1: 0 (the formula is 0/0; a single
 * entry has no spread, as the Gini index says too). O(N), one pass (two if the squares
 * leave the float64 range). Results are clamped to [0, 1] to absorb rounding.
 *
 * Of the six criteria of Hurley & Rickard (2009) it satisfies all but Cloning (D4):
 * H(x‖x) ≠ H(x) in general, because N appears outside the norm ratio; e.g.
 * H([1, 0]) = 1 but H([1, 0, 1, 0]) = 2 − √2 ≈ 0.586.
 *
 * @throws ShapeError on the empty vector; ValueError on NaN/±Infinity, naming the index.
 */
export function hoyer(x: ArrayLike<number>): number;
/** Hoyer's sparseness of a tensor's values (read with `await t.data()`). */
export function hoyer(x: Tensor): Promise<number>;
export function hoyer(x: ArrayLike<number> | Tensor): number | Promise<number> {
  return onHostOrTensor(x, (v) => hoyerOf(measureInput('hoyer', 'x', v), 'hoyer', 'x'));
}

/** Hoyer's sparseness of a non-empty vector that passed `measureInput`. @internal */
export function hoyerOf(v: ArrayLike<number>, op: string, arg: string): number {
  const n = v.length;
  const { max, min, ratio } = absSums(v, op, arg);
  if (n === 1) return 0;
  if (max === 0) return 1;
  if (min === max) return 0; // exactly, where rounding in the ratio would leave ~1e-15
  const r = Math.sqrt(n);
  return Math.min(1, Math.max(0, (r - ratio) / (r - 1)));
}
