import type { Tensor } from '@sparsekit/tensor';
import type { ReduceOptions } from '@sparsekit/tensor';
import type { GradRule } from './types.js';
import { expandLike, unreduce } from './reduce-util.js';

/** d Σx = dy broadcast back over the reduced axis. */
export const sumGrad: GradRule<[Tensor], ReduceOptions> = (dy, [x], _out, { axis }) => [expandLike(unreduce(dy, x.shape, axis), x)];
