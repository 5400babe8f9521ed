import { mul, square, sum } from '@sparsekit/autograd';
import { add, div, mul as tmul } from '@sparsekit/tensor';
import { checkedInput, checkLambda, checkProx, type Penalty, stepScale, tensorOf } from './regularizer.js';

/**
 * The ridge penalty R(w) = (λ/2)‖w‖₂² (Hoerl & Kennard, 1970), coupled: it enters the loss
 * or the prox, so its gradient λw is the same as the optimizers' coupled `weightDecay: λ`.
 * (Decoupled decay, AdamW's, stays an optimizer option: it is not the gradient of a penalty
 * once the step is preconditioned; Loshchilov & Hutter, 2019.)
 *
 * - subgradient (the gradient): λ·w;
 * - prox: prox(w, t, s)ᵢ = wᵢ / (1 + t·sᵢ·λ), from setting λx + (x − w)/(t·s) = 0.
 */
export function l2(lambda: number): Penalty {
  checkLambda('l2', lambda);
  return {
    name: 'l2',
    lambda,
    value: (w) => mul(sum(square(checkedInput('l2.value', w))), lambda / 2),
    subgradient: (w) => tmul(tensorOf('l2.subgradient', 'w', w), lambda),
    prox(w, step, scale) {
      const x = checkProx('l2.prox', w, step, scale);
      const tau = stepScale(step, lambda, scale);
      return typeof tau === 'number' ? div(x, 1 + tau) : div(x, add(tau, 1));
    },
  };
}
