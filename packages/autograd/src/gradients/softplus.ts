import type { Tensor } from '@sparsekit/tensor';
import { mul, sigmoid } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d ln(1 + eˣ) = dy·σ(x). */
export const softplusGrad: GradRule<[Tensor]> = (dy, [x]) => [mul(dy, sigmoid(x))];
