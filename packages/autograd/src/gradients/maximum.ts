import type { Tensor, TensorLike } from '@sparsekit/tensor';
import { equal, greater, mul, where } from '@sparsekit/tensor';
import { unbroadcast } from '../broadcast.js';
import type { GradRule } from './types.js';

/**
 * d max(a, b) (or min with `wins = less`): dy goes to the winning input; on ties it is split
 * evenly (0.5 each), as PyTorch does, which keeps the gradient of max(a, a) = a exact.
 */
export function pickGrad(wins: (x: TensorLike, y: TensorLike) => Tensor): GradRule<[TensorLike, TensorLike]> {
  return (dy, [a, b]) => {
    const share = (x: TensorLike, y: TensorLike) => {
      if (typeof x === 'number') return null;
      const w = where(wins(x, y), 1, where(equal(x, y), 0.5, 0));
      return unbroadcast(mul(dy, w), x.shape);
    };
    return [share(a, b), share(b, a)];
  };
}

/** d max(a, b): dy to the larger input, split evenly on ties. */
export const maximumGrad = pickGrad(greater);
