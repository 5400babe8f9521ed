import type { Tensor } from '@sparsekit/tensor';
import { sliceRows, transpose } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d concat(xs, axis) = the slices of dy along axis, one per input. */
export const concatGrad: GradRule<Tensor[], { axis: number }> = (dy, xs, _out, { axis }) => {
  const ax = axis < 0 ? axis + dy.rank : axis;
  const perm = [ax, ...dy.shape.map((_, i) => i).filter((i) => i !== ax)];
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  const front = ax === 0 ? dy : transpose(dy, perm);
  let offset = 0;
  return xs.map((x) => {
    const len = x.shape[ax];
    const part = sliceRows(front, offset, offset + len);
    offset += len;
    return ax === 0 ? part : transpose(part, inverse);
  });
};
