import type { ReduceOptions, Tensor } from '@sparsekit/tensor';
import { div } from '@sparsekit/tensor';
import { expandLike, unreduce } from './reduce-util.js';
import type { GradRule } from './types.js';

/** d mean(x) = dy / n broadcast back, n the number of reduced elements. */
export const meanGrad: GradRule<[Tensor], ReduceOptions> = (dy, [x], _out, { axis }) => {
  const n = axis === undefined ? x.size : x.shape[axis < 0 ? axis + x.rank : axis];
  return [div(expandLike(unreduce(dy, x.shape, axis), x), n)];
};
