import type { Tensor } from '@sparsekit/tensor';
import { div } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d ln x = dy / x. */
export const logGrad: GradRule<[Tensor]> = (dy, [x]) => [div(dy, x)];
