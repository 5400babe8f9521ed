import type { ReduceOptions, Tensor } from '@sparsekit/tensor';
import { div, equal, mul, sum } from '@sparsekit/tensor';
import { unreduce } from './reduce-util.js';
import type { GradRule } from './types.js';

/**
 * d max(x) = dy at the maximal elements; tied maxima share it evenly (as PyTorch's amax),
 * so the rule is exact for the symmetric subgradient. Also used for min.
 */
export const maxGrad: GradRule<[Tensor], ReduceOptions> = (dy, [x], out, { axis }) => {
  const hit = equal(x, unreduce(out, x.shape, axis));
  const count = sum(hit, { axis, keepDims: true });
  return [mul(hit, div(unreduce(dy, x.shape, axis), count))];
};
