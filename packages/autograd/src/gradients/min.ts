import type { ReduceOptions, Tensor } from '@sparsekit/tensor';
import { maxGrad } from './max.js';
import type { GradRule } from './types.js';

/** d min(x) = dy at the minimal elements, ties sharing evenly: the same rule as max. */
export const minGrad: GradRule<[Tensor], ReduceOptions> = maxGrad;
