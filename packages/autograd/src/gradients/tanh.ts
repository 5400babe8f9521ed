import type { Tensor } from '@sparsekit/tensor';
import { mul, square, sub } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d tanh x = dy·(1 − tanh² x), from the output. */
export const tanhGrad: GradRule<[Tensor]> = (dy, _x, out) => [mul(dy, sub(1, square(out)))];
