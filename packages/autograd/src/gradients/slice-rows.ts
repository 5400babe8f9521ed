import type { Tensor } from '@sparsekit/tensor';
import { concat, zeros } from '@sparsekit/tensor';
import type { GradRule } from './types.js';

/** d sliceRows(x, s, e) = dy placed at rows s..e of zeros shaped like x. */
export const sliceRowsGrad: GradRule<[Tensor], { start: number; end: number }> = (dy, [x], _out, { start, end }) => {
  const rest = x.shape.slice(1);
  const parts: Tensor[] = [];
  if (start > 0) parts.push(zeros([start, ...rest]));
  parts.push(dy);
  if (end < x.shape[0]) parts.push(zeros([x.shape[0] - end, ...rest]));
  return [parts.length === 1 ? dy : concat(parts, 0)];
};
