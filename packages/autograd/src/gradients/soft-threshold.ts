import type { Tensor, TensorLike } from '@sparsekit/tensor';
import { abs, greater, mul, neg, sign } from '@sparsekit/tensor';
import { unbroadcast } from '../broadcast.js';
import type { GradRule } from './types.js';

/**
 * softThreshold(x, t) = sign(x)·max(|x| − t, 0): d/dx = 1 where |x| > t, else 0 (also at
 * |x| = t); d/dt = −sign(x) where |x| > t.
 */
export const softThresholdGrad: GradRule<[Tensor, TensorLike]> = (dy, [x, t]) => {
  const active = greater(abs(x), t);
  return [
    unbroadcast(mul(dy, active), x.shape),
    typeof t === 'number' ? null : unbroadcast(neg(mul(mul(dy, active), sign(x))), t.shape),
  ];
};
