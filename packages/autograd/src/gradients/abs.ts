import type { Tensor } from '@sparsekit/tensor';
import { mul, sign } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d|x| = dy·sign(x), with the subgradient 0 at x = 0 (sign(0) = 0). */
export const absGrad: GradRule<[Tensor]> = (dy, [x]) => [mul(dy, sign(x))];
