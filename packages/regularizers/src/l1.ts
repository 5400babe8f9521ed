import { mul, normL1 } from '@sparsekit/autograd';
import { sign, softThreshold, mul as tmul } from '@sparsekit/tensor';
import { checkedInput, checkLambda, checkProx, type Penalty, stepScale, tensorOf } from './regularizer.js';

/**
 * The lasso penalty R(w) = λ‖w‖₁ (Tibshirani, 1996).
 *
 * - subgradient: λ·sign(w) (0 at 0, the minimum-norm element of λ·[−1, 1]);
 * - prox: soft-thresholding (Donoho, 1995; Combettes & Wajs, 2005),
 *   prox(w, t, s)ᵢ = sign(wᵢ)·max(|wᵢ| − t·sᵢ·λ, 0), which sets every coordinate within
 *   t·sᵢ·λ of zero to exactly zero.
 */
export function l1(lambda: number): Penalty {
  checkLambda('l1', lambda);
  return {
    name: 'l1',
    lambda,
    value: (w) => mul(normL1(checkedInput('l1.value', w)), lambda),
    subgradient: (w) => tmul(sign(tensorOf('l1.subgradient', 'w', w)), lambda),
    prox(w, step, scale) {
      const x = checkProx('l1.prox', w, step, scale);
      return softThreshold(x, stepScale(step, lambda, scale));
    },
  };
}
