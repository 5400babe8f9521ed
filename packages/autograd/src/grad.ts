import { describeValue, formatShape, isTensor, ShapeError, type Tensor, ValueError, zeros } from '@sparsekit/tensor';
import { tidy, type Variable, variable } from './variable.js';

/** A function of variables returning a one-element variable (a loss). */
export type ScalarFunction = (...xs: Variable[]) => Variable;

/**
 * `valueAndGrad(f)(...xs)` evaluates `f` at tensors `xs` and returns its value and the
 * gradient with respect to each argument (zeros where an argument does not reach the output).
 * Everything else `f` created is disposed.
 */
export function valueAndGrad(f: ScalarFunction): (...xs: Tensor[]) => { value: Tensor; grads: Tensor[] } {
  if (typeof f !== 'function') throw new ValueError('valueAndGrad', `f must be a function, got ${describeValue(f)}`);
  return (...xs: Tensor[]) =>
    tidy(() => {
      xs.forEach((x, i) => {
        if (!isTensor(x))
          throw new ValueError('valueAndGrad', `argument ${i} must be a Tensor, got ${describeValue(x)}`);
      });
      const vars = xs.map((x) => variable(x));
      const out = f(...vars);
      if (out === null || typeof out !== 'object' || !('backward' in out)) {
        throw new ValueError('valueAndGrad', `f must return a Variable, got ${describeValue(out)}`);
      }
      if (out.size !== 1)
        throw new ShapeError(
          'valueAndGrad',
          `f must return a one-element Variable, got shape ${formatShape(out.shape)}`,
        );
      if (out.requiresGrad) out.backward();
      const grads = vars.map((v) => v.grad ?? zeros(v.shape));
      return { value: out.value, grads };
    });
}

/** `grad(f)(...xs)`: the gradients of a scalar function with respect to each argument. */
export function grad(f: ScalarFunction): (...xs: Tensor[]) => Tensor[] {
  if (typeof f !== 'function') throw new ValueError('grad', `f must be a function, got ${describeValue(f)}`);
  const vg = valueAndGrad(f);
  return (...xs: Tensor[]) => {
    const { value, grads } = vg(...xs);
    value.dispose();
    return grads;
  };
}
