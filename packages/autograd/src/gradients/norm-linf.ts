import type { ReduceOptions, Tensor } from '@sparsekit/tensor';
import { abs, div, equal, mul, sign, sum } from '@sparsekit/tensor';
import { unreduce } from './reduce-util.js';
import type { GradRule } from './types.js';

/** d‖x‖∞ = dy·sign(x) at the elements of largest magnitude, shared evenly between ties. */
export const normLInfGrad: GradRule<[Tensor], ReduceOptions> = (dy, [x], out, { axis }) => {
  const hit = mul(equal(abs(x), unreduce(out, x.shape, axis)), sign(x));
  const count = sum(abs(hit), { axis, keepDims: true });
  return [mul(hit, div(unreduce(dy, x.shape, axis), count))];
};
