import type { TensorLike } from '@sparsekit/tensor';
import { greater, log, mul, pow, sub, where } from '@sparsekit/tensor';
import { unbroadcast } from '../broadcast.js';
import type { GradRule } from './types.js';

/**
 * d(aᵇ) = (dy·b·aᵇ⁻¹, dy·aᵇ·ln a). The exponent's gradient is taken as 0 where a ≤ 0
 * (ln a is undefined there; PyTorch gives NaN or 0 case by case, we pick 0 always).
 */
export const powGrad: GradRule<[TensorLike, TensorLike]> = (dy, [a, b], out) => {
  let da = null;
  if (typeof a !== 'number') {
    const bm1 = typeof b === 'number' ? b - 1 : sub(b, 1);
    da = unbroadcast(mul(mul(dy, b), pow(a, bm1)), a.shape);
  }
  let db = null;
  if (typeof b !== 'number') {
    const positive = typeof a === 'number' ? a > 0 : null;
    if (positive === false) db = unbroadcast(mul(dy, 0), b.shape);
    else if (positive === true) db = unbroadcast(mul(mul(dy, out), Math.log(a as number)), b.shape);
    else {
      const at = a as Exclude<TensorLike, number>;
      const lnA = where(greater(at, 0), log(at), 0);
      db = unbroadcast(where(greater(at, 0), mul(mul(dy, out), lnA), 0), b.shape);
    }
  }
  return [da, db];
};
