import type { Tensor } from '@sparsekit/tensor';
import { exp, mul, sub, sum } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d logSoftmax(x) = dy − softmax(x)·Σdy, softmax recovered as exp(output). */
export const logSoftmaxGrad: GradRule<[Tensor], { axis: number }> = (dy, _x, out, { axis }) => [
  sub(dy, mul(exp(out), sum(dy, { axis, keepDims: true }))),
];
