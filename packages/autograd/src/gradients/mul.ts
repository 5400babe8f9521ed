import type { TensorLike } from '@sparsekit/tensor';
import { mul } from '@sparsekit/tensor';
import { unbroadcast } from '../broadcast.js';
import type { GradRule } from './types.js';

/** d(a·b) = (dy·b, dy·a), reduced over broadcast axes. */
export const mulGrad: GradRule<[TensorLike, TensorLike]> = (dy, [a, b]) => [
  typeof a === 'number' ? null : unbroadcast(mul(dy, b), a.shape),
  typeof b === 'number' ? null : unbroadcast(mul(dy, a), b.shape),
];
