import type { ReduceOptions, Tensor } from '@sparsekit/tensor';
import { expandLike, unreduce } from './reduce-util.js';
import type { GradRule } from './types.js';

/** d Σx = dy broadcast back over the reduced axis. */
export const sumGrad: GradRule<[Tensor], ReduceOptions> = (dy, [x], _out, { axis }) => [
  expandLike(unreduce(dy, x.shape, axis), x),
];
