import { neg } from '@sparsekit/tensor';
import type { GradRule } from './types.js';
import type { Tensor } from '@sparsekit/tensor';

/** d(−x) = −dy. */
export const negGrad: GradRule<[Tensor]> = (dy) => [neg(dy)];
