import type { Tensor, TensorLike } from '@sparsekit/tensor';
import { where } from '@sparsekit/tensor';
import { unbroadcast } from '../broadcast.js';
import type { GradRule } from './types.js';

/** d where(c, a, b) = (none, dy where c, dy where not c), reduced over broadcast axes. */
export const whereGrad: GradRule<[Tensor, TensorLike, TensorLike]> = (dy, [cond, a, b]) => [
  null,
  typeof a === 'number' ? null : unbroadcast(where(cond, dy, 0), a.shape),
  typeof b === 'number' ? null : unbroadcast(where(cond, 0, dy), b.shape),
];
