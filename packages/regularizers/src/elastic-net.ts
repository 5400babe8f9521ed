import { add } from '@sparsekit/autograd';
import { checkOptions, describeValue, add as tadd, ValueError } from '@sparsekit/tensor';
import { l1 } from './l1.js';
import { l2 } from './l2.js';
import { checkLambda, checkProx, type Penalty } from './regularizer.js';

/** Options of {@link elasticNet}. */
export interface ElasticNetOptions {
  /** ρ in [0, 1], the L1 share of the strength (default 0.5; 1 is the lasso, 0 ridge). */
  l1Ratio?: number;
}

/**
 * The elastic net R(w) = λ·(ρ‖w‖₁ + (1 − ρ)/2·‖w‖₂²) (Zou & Hastie, 2005; scikit-learn's
 * `ElasticNet(alpha=λ, l1_ratio=ρ)` parametrisation).
 *
 * - subgradient: λρ·sign(w) + λ(1 − ρ)·w;
 * - prox: soft-threshold, then shrink, prox(w, t, s) = S_{tsλρ}(w) / (1 + t·s·λ(1 − ρ)); the
 *   prox of an L1 term plus a quadratic is the composition of the two proxes (Parikh & Boyd,
 *   2014, "Proximal Algorithms", §2.2), so this reuses {@link l1} and {@link l2}.
 */
export function elasticNet(lambda: number, options?: ElasticNetOptions): Penalty {
  checkLambda('elasticNet', lambda);
  checkOptions('elasticNet', options, ['l1Ratio']);
  const o = options ?? {};
  const ratio = o.l1Ratio ?? 0.5;
  if (!(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) {
    throw new ValueError('elasticNet', `l1Ratio must be a number in [0, 1], got ${describeValue(ratio)}`);
  }
  const lasso = l1(lambda * ratio);
  const ridge = l2(lambda * (1 - ratio));
  return {
    name: 'elasticNet',
    lambda,
    value: (w) => add(lasso.value(w), ridge.value(w)),
    subgradient: (w) => tadd(lasso.subgradient(w), ridge.subgradient(w)),
    prox(w, step, scale) {
      checkProx('elasticNet.prox', w, step, scale);
      return ridge.prox(lasso.prox(w, step, scale), step, scale);
    },
  };
}
