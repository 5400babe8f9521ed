import type { Tensor, TensorLike } from '@sparsekit/tensor';
import { abs, greater, mul } from '@sparsekit/tensor';
import { unbroadcast } from '../broadcast.js';
import type { GradRule } from './types.js';

/**
 * hardThreshold(x, t) = x where |x| > t: d/dx = 1 there, 0 elsewhere; the threshold gets
 * no gradient (the jump at |x| = t has none almost everywhere).
 */
export const hardThresholdGrad: GradRule<[Tensor, TensorLike]> = (dy, [x, t]) => [
  unbroadcast(mul(dy, greater(abs(x), t)), x.shape),
  null,
];
