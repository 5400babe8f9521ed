import type { Tensor } from '@sparsekit/tensor';
import { greater, mul, where } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d leakyRelu(x) = dy where x > 0, alpha·dy otherwise (the left slope at 0, like relu′(0) = 0). */
export const leakyReluGrad: GradRule<[Tensor], { alpha: number }> = (dy, [x], _out, { alpha }) => [
  mul(dy, where(greater(x, 0), 1, alpha)),
];
