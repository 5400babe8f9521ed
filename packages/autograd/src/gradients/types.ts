import type { Tensor, TensorLike } from '@sparsekit/tensor';

/**
 * A gradient rule: from the output gradient `dy`, the op's inputs and its output value, the
 * gradient for each input (`null` for a number or a non-differentiable input). Rules are
 * pure tensor arithmetic; the graph machinery runs them inside a tidy scope.
 */
export type GradRule<I extends ReadonlyArray<TensorLike> = ReadonlyArray<TensorLike>, A = undefined> = (
  dy: Tensor,
  inputs: I,
  out: Tensor,
  attrs: A,
) => Array<Tensor | null>;
