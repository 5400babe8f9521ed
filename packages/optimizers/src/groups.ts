import { type Tensor, ValueError, describeValue, isTensor, mul, reshape, sqrt, sum } from '@sparsekit/tensor';

/** How a parameter's coordinates form groups for group sparsity and top-k budgets. */
export type Grouping = 'rows' | 'columns' | 'tensor';
/** Every {@link Grouping}. */
export const GROUPINGS: readonly Grouping[] = ['rows', 'columns', 'tensor'];

/**
 * The sum of `x` over each group, shaped to broadcast against `x`: `'rows'` groups slices
 * along the first axis (a Linear weight's output neurons), `'columns'` slices along the last
 * axis (its input features), `'tensor'` the whole tensor. A 1-D tensor's rows are its elements.
 */
export function groupSum(x: Tensor, groups: Grouping): Tensor {
  if (!isTensor(x)) throw new ValueError('groupSum', `x must be a Tensor, got ${describeValue(x)}`);
  const n = x.size;
  if (groups === 'tensor' || x.rank === 0) return reshape(sum(x), x.shape.map(() => 1));
  if (groups === 'rows') {
    const d = x.shape[0];
    return reshape(sum(reshape(x, [d, n / d]), { axis: 1 }), [d, ...x.shape.slice(1).map(() => 1)]);
  }
  if (groups === 'columns') {
    const d = x.shape[x.rank - 1];
    return reshape(sum(reshape(x, [n / d, d]), { axis: 0 }), [...x.shape.slice(0, -1).map(() => 1), d]);
  }
  throw new ValueError('groupSum', `groups must be one of ${GROUPINGS.join(', ')}, got ${describeValue(groups)}`);
}

/** The L2 norm of each group, shaped to broadcast against `x`. */
export function groupNorm(x: Tensor, groups: Grouping): Tensor {
  return sqrt(groupSum(mul(x, x), groups));
}
