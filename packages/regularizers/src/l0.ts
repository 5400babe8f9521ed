import { Variable } from '@sparsekit/autograd';
import { hardThreshold, mul, notEqual, sqrt, sum, zeros } from '@sparsekit/tensor';
import { checkLambda, checkProx, type Penalty, stepScale, tensorOf } from './regularizer.js';

/**
 * The L0 penalty R(w) = λ‖w‖₀, the count of non-zeros. It is piecewise constant, so its
 * value carries no gradient (a constant variable) and its subgradient is 0.
 *
 * - prox: hard-thresholding, prox(w, t, s)ᵢ = wᵢ where |wᵢ| > √(2·t·sᵢ·λ), else 0: keeping
 *   wᵢ costs λ, dropping it costs wᵢ²/(2·t·sᵢ) (Blumensath & Davies, 2008, "Iterative
 *   thresholding for sparse approximations"; the ProxGen L0 step of Yun, Lozano & Yang, 2021).
 *   At a tie |wᵢ| = √(2tsλ) both are minimisers; 0 is returned.
 */
export function l0(lambda: number): Penalty {
  checkLambda('l0', lambda);
  return {
    name: 'l0',
    lambda,
    value: (w) => new Variable(mul(sum(notEqual(tensorOf('l0.value', 'w', w), 0)), lambda)),
    subgradient: (w) => zeros(tensorOf('l0.subgradient', 'w', w).shape),
    prox(w, step, scale) {
      const x = checkProx('l0.prox', w, step, scale);
      const tau = stepScale(step, 2 * lambda, scale);
      return hardThreshold(x, typeof tau === 'number' ? Math.sqrt(tau) : sqrt(tau));
    },
  };
}
