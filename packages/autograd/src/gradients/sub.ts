import { neg } from '@sparsekit/tensor';
import { unbroadcast } from '../broadcast.js';
import type { GradRule, TL } from './types.js';

/** d(a − b) = (dy, −dy), reduced over broadcast axes. */
export const subGrad: GradRule<[TL, TL]> = (dy, [a, b]) => [
  typeof a === 'number' ? null : unbroadcast(dy, a.shape),
  typeof b === 'number' ? null : unbroadcast(neg(dy), b.shape),
];
