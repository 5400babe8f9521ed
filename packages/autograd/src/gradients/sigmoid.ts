import type { Tensor } from '@sparsekit/tensor';
import { mul, sub } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d σ(x) = dy·σ(x)·(1 − σ(x)), from the output. */
export const sigmoidGrad: GradRule<[Tensor]> = (dy, _x, out) => [mul(dy, mul(out, sub(1, out)))];
