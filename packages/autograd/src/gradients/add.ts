import type { TensorLike } from '@sparsekit/tensor';
import { unbroadcast } from '../broadcast.js';
import type { GradRule } from './types.js';

/** d(a + b) = (dy, dy), each summed back over the axes it was broadcast along. */
export const addGrad: GradRule<[TensorLike, TensorLike]> = (dy, [a, b]) => [
  typeof a === 'number' ? null : unbroadcast(dy, a.shape),
  typeof b === 'number' ? null : unbroadcast(dy, b.shape),
];
