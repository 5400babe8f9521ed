import type { ReadableTensor as Tensor } from '@sparsekit/core';
import { finiteVector, measureInput, onHostOrTensor } from './input.js';
import { sortNonNegative } from './radix-sort.js';

/**
 * The Gini index as a sparsity measure (Hurley & Rickard, "Comparing Measures of
 * Sparsity", IEEE Trans. Inf. Theory 55(10), 2009): with c₍₁₎ ≤ … ≤ c₍N₎ the magnitudes
 * |x| sorted ascending,
 *
 *   G(x) = 1 − 2 Σₖ (c₍ₖ₎ / ‖c‖₁) · (N − k + ½) / N
 *
 * It satisfies all six of the paper's criteria (Robin Hood, Scaling, Rising Tide,
 * Cloning, Bill Gates, Babies).
 *
 * Range: [0, 1 − 1/N]; exactly 0 when all |xᵢ| are equal and non-zero, 1 − 1/N for exactly one
 * non-zero. All-zero vector: 1 − 1/N (treated as maximally sparse, the value of a single
 * spike, so pruning the last non-zero does not change it). N = 1: 0.
 *
 * Cost: O(N) to scan plus a sort of the non-zero magnitudes only (zeros take the lowest
 * ranks and add nothing to the sum) — an O(N) radix sort on the float bits, so 1e7
 * entries take a fraction of a second. Float32 input is sorted as float32 (exact: |x|
 * of a float32 is a float32); anything else as float64.
 *
 * @throws ShapeError on the empty vector; ValueError on NaN/±Infinity, naming the index.
 */
export function gini(x: ArrayLike<number>): number;
/** Gini index of a tensor's values (read with `await t.data()`). */
export function gini(x: Tensor): Promise<number>;
export function gini(x: ArrayLike<number> | Tensor): number | Promise<number> {
  return onHostOrTensor(x, (v) => giniOf(measureInput('gini', 'x', v), 'gini', 'x'));
}

/** Gini index of a non-empty vector that passed `measureInput`. @internal */
export function giniOf(v: ArrayLike<number>, op: string, arg: string): number {
  const n = v.length;
  // One pass: check, count, and gather the non-zero magnitudes (zeros need no sorting).
  const gathered = v instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  let nnz = 0;
  let max = 0;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[i]);
    if (!(a <= Number.MAX_VALUE)) finiteVector(op, arg, v); // NaN or ±Infinity: throws naming the index
    if (a !== 0) gathered[nnz++] = a;
    if (a > max) max = a;
    if (a < min) min = a;
  }
  if (nnz === 0) return 1 - 1 / n;
  if (min === max) return 0; // exactly, where rounding in the weighted sum would leave ~1e-16
  const sorted = gathered.subarray(0, nnz);
  sortNonNegative(sorted);
  // The j-th non-zero (0-based) has rank k = (N − nnz) + j + 1, so N − k + ½ = nnz − j − ½.
  // weighted ≤ N²·max: scale huge magnitudes down (by an exact 1 otherwise) so it stays finite.
  const scale = max > 1e200 ? 1 / max : 1;
  let l1 = 0;
  let weighted = 0;
  for (let j = 0; j < nnz; j++) {
    const c = sorted[j] * scale;
    l1 += c;
    weighted += c * (nnz - j - 0.5);
  }
  return Math.min(1 - 1 / n, Math.max(0, 1 - (2 * weighted) / (l1 * n)));
}
