import { reshape, sameShape, sum, type Tensor } from '@sparsekit/tensor';

export { sameShape };

/**
 * Reduces a gradient computed at a broadcast shape back to an input's shape: sums over the
 * leading axes the input lacked and over the axes where it had length 1, then reshapes.
 * This is the adjoint of NumPy broadcasting.
 */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  let out = g;
  for (let ax = 0; ax < g.rank; ax++) {
    const target = ax < lead ? 1 : shape[ax - lead];
    if (target === 1 && g.shape[ax] !== 1) out = sum(out, { axis: ax, keepDims: true });
  }
  return reshape(out, shape);
}
