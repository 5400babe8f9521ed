import type { Tensor } from '@sparsekit/tensor';
import { transpose } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d transpose(x, perm) = transpose(dy, perm⁻¹). */
export const transposeGrad: GradRule<[Tensor], { perm: number[] }> = (dy, _x, _out, { perm }) => {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return [transpose(dy, inverse)];
};
