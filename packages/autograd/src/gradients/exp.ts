import type { Tensor } from '@sparsekit/tensor';
import { mul } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d eˣ = eˣ·dy, reusing the output. */
export const expGrad: GradRule<[Tensor]> = (dy, _x, out) => [mul(dy, out)];
