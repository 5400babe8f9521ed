import { less, min, relu, zeros } from '@sparsekit/tensor';
import { checkProx, indicatorValue, type Regularizer, tensorOf } from './regularizer.js';

/**
 * The non-negativity constraint, R = the indicator of {w : w ≥ 0} (0 inside, +∞ outside;
 * non-negative least squares, non-negative sparse coding).
 *
 * - value: 0 when every wᵢ ≥ 0, else +∞ (a constraint, meant for the prox, not a loss term);
 * - subgradient: 0 (the normal cone holds 0 at every feasible point);
 * - prox: the projection max(w, 0), whatever the step or the (positive) preconditioner,
 *   since the set is a product of half-lines.
 */
export function nonNegative(): Regularizer {
  return {
    name: 'nonNegative',
    value(w) {
      const x = tensorOf('nonNegative.value', 'w', w);
      return indicatorValue(less(min(x), 0));
    },
    subgradient: (w) => zeros(tensorOf('nonNegative.subgradient', 'w', w).shape),
    prox(w, step, scale) {
      return relu(checkProx('nonNegative.prox', w, step, scale));
    },
  };
}
