import type { Tensor } from '@sparsekit/tensor';
import { matmul, oneHot, reshape, transpose } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/**
 * d gather(x, idx, axis) scatters dy back, adding where an index repeats. Written with the
 * public ops as a product with the one-hot matrix of the indices: with the axis moved to the
 * front, dx = onehot(idx, n)ᵀ · dy.
 */
export const gatherGrad: GradRule<[Tensor, Tensor], { axis: number }> = (dy, [x, indices], _out, { axis }) => {
  const ax = axis < 0 ? axis + x.rank : axis;
  const n = x.shape[ax];
  const k = indices.size;
  const perm = [ax, ...x.shape.map((_, i) => i).filter((i) => i !== ax)];
  const front = ax === 0 ? dy : transpose(dy, perm);
  const rest = front.shape.slice(1);
  const flat = reshape(front, [k, front.size / Math.max(k, 1)]);
  const scattered = matmul(oneHot(indices, n), flat, { transposeA: true });
  const shaped = reshape(scattered, [n, ...rest]);
  if (ax === 0) return [shaped, null];
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return [transpose(shaped, inverse), null];
};
