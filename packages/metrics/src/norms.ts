import { checkOptions, type ReadableTensor as Tensor } from '@sparsekit/core';
import { finiteVector, measureInput, nonEmptyVector, onHostOrTensor, tolerance } from './input.js';

/** Options of the counting measures. */
export interface ToleranceOptions {
  /** Magnitudes `|x| ≤ tol` count as zero. A finite number ≥ 0; default 0 (exact zeros only). */
  tol?: number;
}

/** Sums of magnitudes, computed so that neither overflows nor underflows. @internal */
export interface AbsSums {
  /** ‖x‖₁ (Infinity only when the true value exceeds the float64 range). */
  l1: number;
  /** ‖x‖₂ (likewise). */
  l2: number;
  /** ‖x‖∞. */
  max: number;
  /** min |xᵢ| (Infinity for the empty vector): equal to `max` exactly when |x| is constant. */
  min: number;
  /** ‖x‖₁ / ‖x‖₂, finite whenever x ≠ 0 (NaN-free: 0 for the zero vector). */
  ratio: number;
}

/**
 * One pass of plain float64 sums; a second, scaled by the largest magnitude, only when
 * they left the float64 range. Also the finiteness check of inputs that skipped it (see
 * `measureInput`): a NaN or ±Infinity anywhere makes the sum non-finite. @internal
 */
export function absSums(v: ArrayLike<number>, op: string, arg: string): AbsSums {
  let s1 = 0;
  let s2 = 0;
  let max = 0;
  let min = Infinity;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    s1 += a;
    s2 += a * a;
    if (a > max) max = a;
    if (a < min) min = a;
  }
  if (!(s1 < Infinity)) finiteVector(op, arg, v); // throws at a NaN/±Infinity, else s1 truly overflowed
  if (max === 0) return { l1: 0, l2: 0, max: 0, min, ratio: 0 };
  if (s1 < Infinity && s2 < Infinity && s2 >= 1e-280) {
    const l2 = Math.sqrt(s2);
    return { l1: s1, l2, max, min, ratio: s1 / l2 };
  }
  // Huge magnitudes overflowed s2, or tiny ones underflowed it: x/max lies in [0, 1] and
  // its largest entry is exactly 1, so both scaled sums are ≥ 1 and finite.
  let t1 = 0;
  let t2 = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]) / max;
    t1 += a;
    t2 += a * a;
  }
  const r2 = Math.sqrt(t2);
  return { l1: t1 * max, l2: r2 * max, max, min, ratio: t1 / r2 };
}

/** Number of entries with |x| > tol. @internal */
function countNonZeros(v: ArrayLike<number>, tol: number): number {
  let count = 0;
  for (let i = 0; i < v.length; i++) if (Math.abs(v[i]) > tol) count++;
  return count;
}

/**
 * The ℓ0 count: how many entries have `|x| > tol` (`tol` defaults to 0, exact zeros).
 *
 * Range: an integer in [0, N]. All-zero vector: 0. Constant vector c·1 with |c| > tol: N.
 * Empty vector: 0. Not a norm and not scale-invariant once `tol > 0`.
 * @throws ValueError on NaN/±Infinity (naming the index) or a bad `tol`.
 */
export function l0(x: ArrayLike<number>, options?: ToleranceOptions): number;
/** ℓ0 of a tensor's values (read with `await t.data()`). */
export function l0(x: Tensor, options?: ToleranceOptions): Promise<number>;
export function l0(x: ArrayLike<number> | Tensor, options: ToleranceOptions = {}): number | Promise<number> {
  checkOptions('l0', options, ['tol']);
  return onHostOrTensor(x, (v) => {
    const tol = tolerance('l0', options.tol);
    return countNonZeros(finiteVector('l0', 'x', v), tol);
  });
}

/**
 * Sparsity ratio: the fraction of entries with `|x| ≤ tol`, i.e. `1 − l0(x) / N`.
 *
 * Range: [0, 1], 1 meaning all zero. All-zero vector: 1. Constant vector c·1 with
 * |c| > tol: 0.
 * @throws ShapeError on the empty vector (the fraction is undefined); ValueError on
 * NaN/±Infinity (naming the index) or a bad `tol`.
 */
export function sparsityRatio(x: ArrayLike<number>, options?: ToleranceOptions): number;
/** Sparsity ratio of a tensor's values (read with `await t.data()`). */
export function sparsityRatio(x: Tensor, options?: ToleranceOptions): Promise<number>;
export function sparsityRatio(x: ArrayLike<number> | Tensor, options: ToleranceOptions = {}): number | Promise<number> {
  checkOptions('sparsityRatio', options, ['tol']);
  return onHostOrTensor(x, (v) => {
    const tol = tolerance('sparsityRatio', options.tol);
    const vec = nonEmptyVector('sparsityRatio', 'x', v);
    return 1 - countNonZeros(vec, tol) / vec.length;
  });
}

/**
 * ℓ1 norm Σ|xᵢ|, accumulated in float64.
 *
 * Range: [0, ∞). All-zero vector: 0. Constant vector c·1: N·|c|. Empty vector: 0.
 * @throws ValueError on NaN/±Infinity, naming the index.
 */
export function l1(x: ArrayLike<number>): number;
/** ℓ1 norm of a tensor's values (read with `await t.data()`). */
export function l1(x: Tensor): Promise<number>;
export function l1(x: ArrayLike<number> | Tensor): number | Promise<number> {
  return onHostOrTensor(x, (v) => absSums(measureInput('l1', 'x', v, true), 'l1', 'x').l1);
}

/**
 * ℓ2 (Euclidean) norm √Σxᵢ², accumulated in float64 and rescaled when the squares would
 * overflow or underflow.
 *
 * Range: [0, ∞). All-zero vector: 0. Constant vector c·1: √N·|c|. Empty vector: 0.
 * @throws ValueError on NaN/±Infinity, naming the index.
 */
export function l2(x: ArrayLike<number>): number;
/** ℓ2 norm of a tensor's values (read with `await t.data()`). */
export function l2(x: Tensor): Promise<number>;
export function l2(x: ArrayLike<number> | Tensor): number | Promise<number> {
  return onHostOrTensor(x, (v) => absSums(measureInput('l2', 'x', v, true), 'l2', 'x').l2);
}

/**
 * ℓ∞ norm max|xᵢ|.
 *
 * Range: [0, ∞). All-zero vector: 0. Constant vector c·1: |c|. Empty vector: 0.
 * @throws ValueError on NaN/±Infinity, naming the index.
 */
export function lInf(x: ArrayLike<number>): number;
/** ℓ∞ norm of a tensor's values (read with `await t.data()`). */
export function lInf(x: Tensor): Promise<number>;
export function lInf(x: ArrayLike<number> | Tensor): number | Promise<number> {
  return onHostOrTensor(x, (v) => {
    const vec = finiteVector('lInf', 'x', v);
    let max = 0;
    for (let i = 0; i < vec.length; i++) {
      const a = Math.abs(vec[i]);
      if (a > max) max = a;
    }
    return max;
  });
}
