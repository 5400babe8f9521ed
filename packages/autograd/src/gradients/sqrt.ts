import type { Tensor } from '@sparsekit/tensor';
import { div, mul } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d√x = dy / (2√x), reusing the output. */
export const sqrtGrad: GradRule<[Tensor]> = (dy, _x, out) => [div(mul(dy, 0.5), out)];
