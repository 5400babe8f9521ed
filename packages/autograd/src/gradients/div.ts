import type { TensorLike } from '@sparsekit/tensor';
import { div, mul, neg } from '@sparsekit/tensor';
import { unbroadcast } from '../broadcast.js';
import type { GradRule } from './types.js';

/** d(a/b) = (dy/b, −dy·a/b²) = (dy/b, −dy·out/b), reduced over broadcast axes. */
export const divGrad: GradRule<[TensorLike, TensorLike]> = (dy, [a, b], out) => [
  typeof a === 'number' ? null : unbroadcast(div(dy, b), a.shape),
  typeof b === 'number' ? null : unbroadcast(neg(div(mul(dy, out), b)), b.shape),
];
