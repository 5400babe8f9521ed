import type { Tensor } from '@sparsekit/tensor';
import { exp, mul, sub } from '@sparsekit/tensor';
import { unreduce } from './reduce-util.js';
import type { GradRule } from './types.js';

/** d logΣexp(x) = dy·softmax(x) = dy·exp(x − out). */
export const logSumExpGrad: GradRule<[Tensor], { axis: number }> = (dy, [x], out, { axis }) => [
  mul(exp(sub(x, unreduce(out, x.shape, axis))), unreduce(dy, x.shape, axis)),
];
