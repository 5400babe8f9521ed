import { less } from '@sparsekit/tensor';
import { pickGrad } from './maximum.js';

/** d min(a, b): dy to the smaller input, split evenly on ties. */
export const minimumGrad = pickGrad(less);
