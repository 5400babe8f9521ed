import type { Tensor } from '@sparsekit/tensor';
import { greaterEqual, lessEqual, mul } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d clip(x, lo, hi) = dy where lo ≤ x ≤ hi (bounds included, as PyTorch's clamp), else 0. */
export const clipGrad: GradRule<[Tensor], { min: number; max: number }> = (dy, [x], _out, { min, max }) => [
  mul(mul(dy, greaterEqual(x, min)), lessEqual(x, max)),
];
