import { describeValue, type ReadableTensor as Tensor, ValueError } from '@sparsekit/core';
import { nonEmptyVector, onHostOrTensor } from './input.js';

/**
 * The pq-mean sparsity measure of Hurley & Rickard, "Comparing Measures of Sparsity",
 * IEEE Trans. Inf. Theory 55(10), 2009, one of the measures compared there:
 *
 *   S_pq(x) = −M_p(|x|) / M_q(|x|),  with the power mean M_r(c) = ((1/N) Σⱼ cⱼʳ)^(1/r)
 *
 * and 0 < p < q (q may be `Infinity`, where M_∞ = max). By the power-mean inequality
 * M_p ≤ M_q, so S_pq ≥ −1, and larger (closer to 0) is sparser. For p ≤ 1 < q < ∞ it
 * satisfies all six of the paper's criteria (Robin Hood, Scaling, Rising Tide, Cloning,
 * Bill Gates, Babies); the journal version's abstract names it, with the Gini index, as
 * the only measures compared there that do. (With p = 1 and q = ∞, Robin Hood holds only
 * weakly: a transfer that leaves the maximum alone changes neither mean.) Cloning holds because both means are normalised by N —
 * which is exactly what Hoyer's measure, an N-dependent rescaling of S_{1,2}, lacks.
 *
 * Range: [−1, −N^(1/q − 1/p)]. All |xᵢ| equal and non-zero: exactly −1 (least sparse).
 * All-zero vector: −N^(1/q − 1/p), the value of a single spike (the sparsest non-zero
 * vector): pruning the last non-zero leaves the measure where it was. N = 1: −1.
 * Computed on x / max|x|, so no power overflows.
 *
 * @throws ShapeError on the empty vector; ValueError on NaN/±Infinity (naming the index)
 * or on p, q outside 0 < p < q.
 */
export function pqMean(x: ArrayLike<number>, p: number, q: number): number;
/** pq-mean of a tensor's values (read with `await t.data()`). */
export function pqMean(x: Tensor, p: number, q: number): Promise<number>;
export function pqMean(x: ArrayLike<number> | Tensor, p: number, q: number): number | Promise<number> {
  return onHostOrTensor(x, (v) => {
    if (typeof p !== 'number' || !(p > 0) || !Number.isFinite(p)) {
      throw new ValueError('pqMean', `p must be a finite number > 0, got ${describeValue(p)}`);
    }
    if (typeof q !== 'number' || !(q > p)) {
      throw new ValueError('pqMean', `q must be a number greater than p (${p}), got ${describeValue(q)}`);
    }
    return pqMeanOf(nonEmptyVector('pqMean', 'x', v), p, q);
  });
}

function pqMeanOf(v: ArrayLike<number>, p: number, q: number): number {
  const n = v.length;
  const invQ = q === Infinity ? 0 : 1 / q;
  const sparsest = -(n ** (invQ - 1 / p));
  let max = 0;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[i]);
    if (a > max) max = a;
    if (a < min) min = a;
  }
  if (max === 0) return sparsest;
  if (min === max) return -1; // exactly, where rounding in the means would leave ~1e-16
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[i]) / max;
    sp += a ** p;
    if (invQ !== 0) sq += a ** q;
  }
  const mp = (sp / n) ** (1 / p);
  const mq = invQ === 0 ? 1 : (sq / n) ** invQ;
  // Rounding may step just outside the proven range; clamp so the range is a promise.
  return Math.min(sparsest, Math.max(-1, -mp / mq));
}
