/**
 * The one shape every regularizer has, and the checks they share. A regularizer R is a
 * value, a subgradient and a proximal operator:
 *
 *   prox(w, step, scale) = argminₓ R(x) + Σᵢ (xᵢ − wᵢ)² / (2 · step · scaleᵢ)
 *
 * `scale` is a per-coordinate preconditioner (a tensor broadcasting against w; omitted: 1),
 * so proximal Adam can take the prox in its own metric with scale = 1/denom (Yun, Lozano &
 * Yang, 2021, "Adaptive Proximal Gradient Methods for Structured Neural Networks").
 */

import { Variable } from '@sparsekit/autograd';
import { describeValue, mul, reshape, Tensor, tensor, ValueError, where } from '@sparsekit/tensor';

/**
 * A proximal operator: prox(w, step, scale) = argminₓ R(x) + Σᵢ (xᵢ − wᵢ)² / (2·step·scaleᵢ).
 * The structural interface proximal optimizers take (`{ prox }` in `@sparsekit/optimizers`).
 * Returns a lazy tensor; `w` is not modified.
 */
export interface Prox {
  prox(w: Tensor, step: number, scale?: Tensor): Tensor;
}

/** A penalty or constraint: its value, a subgradient and its proximal operator. */
export interface Regularizer extends Prox {
  /** Its name, for messages and tables (`'l1'`, `'groupLasso'`, …). */
  readonly name: string;
  /** R(w) as a one-element variable; differentiable through autograd where R is. */
  value(w: Variable | Tensor): Variable;
  /** One element of the subdifferential ∂R(w) (the minimum-norm one where that is cheap), as a tensor. */
  subgradient(w: Variable | Tensor): Tensor;
}

/**
 * A constraint set C as a regularizer: the indicator of C (value 0 inside, +∞ outside;
 * subgradient 0), whose prox is the projection onto C in the prox's metric, so projected
 * gradient methods are proximal methods with this as their `prox` (Parikh & Boyd, 2014, §1.2).
 */
export interface Projection extends Regularizer {
  /** The Euclidean projection argmin_{x ∈ C} ‖x − w‖₂ (a lazy tensor; w is not modified). */
  project(w: Tensor): Tensor;
}

/** A regularizer with a strength λ ≥ 0. */
export interface Penalty extends Regularizer {
  readonly lambda: number;
}

/** The tensor of a variable or tensor argument; throws a ValueError naming `arg` otherwise. @internal */
export function tensorOf(op: string, arg: string, w: unknown): Tensor {
  if (w instanceof Tensor) return w;
  if (w instanceof Variable) return w.value;
  throw new ValueError(op, `${arg} must be a Tensor or Variable, got ${describeValue(w)}`);
}

/** The argument itself once checked to be a Tensor or Variable, so autograd sees the caller's variable. @internal */
export function checkedInput(op: string, w: Variable | Tensor): Variable | Tensor {
  tensorOf(op, 'w', w);
  return w;
}

/** Checks a strength λ: a finite number ≥ 0. @internal */
export function checkLambda(op: string, lambda: unknown, name = 'lambda'): number {
  if (!(typeof lambda === 'number' && Number.isFinite(lambda) && lambda >= 0)) {
    throw new ValueError(op, `${name} must be a finite number >= 0, got ${describeValue(lambda)}`);
  }
  return lambda;
}

/** Checks a radius: a finite number > 0. @internal */
export function checkRadius(op: string, radius: unknown, name = 'radius'): number {
  if (!(typeof radius === 'number' && Number.isFinite(radius) && radius > 0)) {
    throw new ValueError(op, `${name} must be a finite number > 0, got ${describeValue(radius)}`);
  }
  return radius;
}

/** Checks the arguments of a prox call and returns w as a tensor. @internal */
export function checkProx(op: string, w: unknown, step: unknown, scale: unknown): Tensor {
  const t = tensorOf(op, 'w', w);
  if (!(typeof step === 'number' && Number.isFinite(step) && step >= 0)) {
    throw new ValueError(op, `step must be a finite number >= 0, got ${describeValue(step)}`);
  }
  if (scale !== undefined && !(scale instanceof Tensor))
    throw new ValueError(op, `scale must be a Tensor or undefined, got ${describeValue(scale)}`);
  return t;
}

/** step·λ, times the preconditioner where there is one: the per-coordinate threshold τ. @internal */
export function stepScale(step: number, lambda: number, scale: Tensor | undefined): Tensor | number {
  return scale ? mul(scale, step * lambda) : step * lambda;
}

/**
 * A constraint's value as a scalar variable: +∞ where `outside` (a one-element 0/1 tensor)
 * is 1, else 0. Carries no gradient. @internal
 */
export function indicatorValue(outside: Tensor): Variable {
  // Kernel literals clamp ±∞ to the float32 range, so the +∞ travels as a tensor.
  return new Variable(reshape(where(reshape(outside, [1]), tensor([Infinity], [1]), 0), []));
}
