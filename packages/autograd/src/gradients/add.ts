import { unbroadcast } from '../broadcast.js';
import type { GradRule, TL } from './types.js';

/** d(a + b) = (dy, dy), each summed back over the axes it was broadcast along. */
export const addGrad: GradRule<[TL, TL]> = (dy, [a, b]) => [
  typeof a === 'number' ? null : unbroadcast(dy, a.shape),
  typeof b === 'number' ? null : unbroadcast(dy, b.shape),
];
