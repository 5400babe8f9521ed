import type { TensorLike } from '@sparsekit/tensor';
import { neg } from '@sparsekit/tensor';
import { unbroadcast } from '../broadcast.js';
import type { GradRule } from './types.js';

/** d(a − b) = (dy, −dy), reduced over broadcast axes. */
export const subGrad: GradRule<[TensorLike, TensorLike]> = (dy, [a, b]) => [
  typeof a === 'number' ? null : unbroadcast(dy, a.shape),
  typeof b === 'number' ? null : unbroadcast(neg(dy), b.shape),
];
