import type { ReduceOptions, Tensor } from '@sparsekit/tensor';
import { mul, sign } from '@sparsekit/tensor';
import { unreduce } from './reduce-util.js';
import type { GradRule } from './types.js';

/** d‖x‖₁ = dy·sign(x), with the subgradient 0 at x = 0. */
export const normL1Grad: GradRule<[Tensor], ReduceOptions> = (dy, [x], _out, { axis }) => [
  mul(sign(x), unreduce(dy, x.shape, axis)),
];
