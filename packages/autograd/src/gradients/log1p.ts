import type { Tensor } from '@sparsekit/tensor';
import { add, div } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d ln(1 + x) = dy / (1 + x). */
export const log1pGrad: GradRule<[Tensor]> = (dy, [x]) => [div(dy, add(x, 1))];
