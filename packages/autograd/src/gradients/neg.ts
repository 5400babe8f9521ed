import type { Tensor } from '@sparsekit/tensor';
import { neg } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d(−x) = −dy. */
export const negGrad: GradRule<[Tensor]> = (dy) => [neg(dy)];
