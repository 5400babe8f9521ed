import type { Tensor } from '@sparsekit/tensor';
import { mul, sub, sum } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d softmax(x) = s ⊙ (dy − Σ dy⊙s), with s the output (the Jacobian diag(s) − ssᵀ applied to dy). */
export const softmaxGrad: GradRule<[Tensor], { axis: number }> = (dy, _x, s, { axis }) => [
  mul(s, sub(dy, sum(mul(dy, s), { axis, keepDims: true }))),
];
