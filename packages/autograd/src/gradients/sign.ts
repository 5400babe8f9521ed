import type { Tensor } from '@sparsekit/tensor';
import { mul } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** sign is piecewise constant: its gradient is 0 everywhere (including 0, by convention). */
export const signGrad: GradRule<[Tensor]> = (dy) => [mul(dy, 0)];
