import type { Tensor } from '@sparsekit/tensor';
import { reshape } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d reshape(x) = dy reshaped back to x's shape. */
export const reshapeGrad: GradRule<[Tensor]> = (dy, [x]) => [reshape(dy, x.shape)];
