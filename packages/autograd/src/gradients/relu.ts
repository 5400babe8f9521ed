import type { Tensor } from '@sparsekit/tensor';
import { greater, mul } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d relu(x) = dy where x > 0, else 0 (relu′(0) = 0, as in PyTorch). */
export const reluGrad: GradRule<[Tensor]> = (dy, [x]) => [mul(dy, greater(x, 0))];
