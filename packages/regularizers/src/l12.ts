import { abs, mul, sqrt, sum, where } from '@sparsekit/autograd';
import {
  add,
  div,
  equal,
  greater,
  pow,
  sign,
  sub,
  abs as tabs,
  mul as tmul,
  sqrt as tsqrt,
  where as twhere,
} from '@sparsekit/tensor';
import { checkedInput, checkLambda, checkProx, type Penalty, stepScale, tensorOf } from './regularizer.js';

/** Newton steps for the half-thresholding root; from √|w| the iteration descends monotonically to it. */
const HALF_NEWTON_STEPS = 6;

/**
 * The L½ penalty R(w) = λ Σᵢ |wᵢ|^½ (Xu, Chang, Xu & Zhang, 2012, "L1/2 regularization: a
 * thresholding representation theory and a fast solver", IEEE TNNLS 23(7)).
 *
 * - value: differentiable away from 0; at 0 its autograd gradient is 0 (any real is a
 *   subgradient of √|·| there);
 * - subgradient: λ·sign(w)/(2√|w|) away from 0, and 0 at 0;
 * - prox, half-thresholding: with τ = t·sᵢ·λ, the minimiser of ½(x − w)² + τ√|x| is 0 when
 *   |w| ≤ (3/2)·τ^(2/3) (Xu et al.'s threshold (∛54/4)·μ^(2/3) with their μ = 2τ), else
 *   sign(w)·y² with y the largest root of y³ − |w|·y + τ/2 = 0. Xu et al. write that root
 *   as (2/3)|w|(1 + cos(2π/3 − (2/3)·arccos((τ/4)(|w|/3)^(−3/2)))); the tensor kernels have
 *   no trigonometry, so Newton's method from y = √|w| reaches the same root (above the
 *   threshold it is a simple root and the iteration converges monotonically).
 */
export function l12(lambda: number): Penalty {
  checkLambda('l12', lambda);
  return {
    name: 'l12',
    lambda,
    value(w) {
      const x = checkedInput('l12.value', w);
      const zero = equal(tensorOf('l12.value', 'w', w), 0);
      // √ of 1 where w = 0 keeps the gradient finite there; the mask then removes it.
      return mul(sum(where(zero, 0, sqrt(where(zero, 1, abs(x))))), lambda);
    },
    subgradient(w) {
      const x = tensorOf('l12.subgradient', 'w', w);
      const a = tabs(x);
      return twhere(greater(a, 0), div(tmul(sign(x), lambda / 2), tsqrt(twhere(greater(a, 0), a, 1))), 0);
    },
    prox(w, step, scale) {
      const x = checkProx('l12.prox', w, step, scale);
      const tau = stepScale(step, lambda, scale);
      const a = tabs(x);
      let y = tsqrt(a);
      for (let k = 0; k < HALF_NEWTON_STEPS; k++) {
        // y ← y − (y³ − a·y + τ/2) / (3y² − a)
        const f = add(sub(tmul(tmul(y, y), y), tmul(a, y)), typeof tau === 'number' ? tau * 0.5 : tmul(tau, 0.5));
        const df = sub(tmul(tmul(y, y), 3), a);
        y = sub(y, div(f, df));
      }
      const cut = typeof tau === 'number' ? 1.5 * Math.cbrt(tau * tau) : tmul(pow(tau, 2 / 3), 1.5);
      return twhere(greater(a, cut), tmul(sign(x), tmul(y, y)), 0);
    },
  };
}
