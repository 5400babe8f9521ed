import { reshape, type Tensor, where } from '@sparsekit/tensor';

/** The shape a reduction over `axis` (or all axes) keeps when `keepDims` is set. */
export function keptShape(shape: readonly number[], axis: number | undefined): number[] {
  if (axis === undefined) return shape.map(() => 1);
  const ax = axis < 0 ? axis + shape.length : axis;
  return shape.map((d, i) => (i === ax ? 1 : d));
}

/** A reduction's output (or its gradient) reshaped to broadcast against the input. */
export function unreduce(t: Tensor, inputShape: readonly number[], axis: number | undefined): Tensor {
  return reshape(t, keptShape(inputShape, axis));
}

/**
 * `t` broadcast to `like`'s shape, as one fused elementwise expression and no upload:
 * where(like, t, t) takes `t` in both branches, so `like`'s values never matter.
 */
export function expandLike(t: Tensor, like: Tensor): Tensor {
  return where(like, t, t);
}
