import type { ReduceOptions, Tensor } from '@sparsekit/tensor';
import { div, greater, mul, where } from '@sparsekit/tensor';
import { unreduce } from './reduce-util.js';
import type { GradRule } from './types.js';

/** d‖x‖₂ = dy·x/‖x‖₂, and 0 (the minimal-norm subgradient) where ‖x‖₂ = 0. */
export const normL2Grad: GradRule<[Tensor], ReduceOptions> = (dy, [x], out, { axis }) => {
  const n = unreduce(out, x.shape, axis);
  return [where(greater(n, 0), mul(div(x, n), unreduce(dy, x.shape, axis)), 0)];
};
