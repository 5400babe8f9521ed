import type { Tensor } from '@sparsekit/tensor';
import { mul } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d(x²) = 2x·dy. */
export const squareGrad: GradRule<[Tensor]> = (dy, [x]) => [mul(mul(dy, x), 2)];
