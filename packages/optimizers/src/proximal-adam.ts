/**
 * Proximal Adam, the ProxGen family of Yun, Lozano & Yang (2021, "Adaptive Proximal Gradient
 * Methods for Structured Neural Networks", NeurIPS): an Adam step, then the penalty's proximal
 * operator preconditioned by Adam's own per-coordinate step size:
 *
 *   m ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²
 *   denom = √(v / (1 − β₂ᵗ)) + ε
 *   u = θ − lr · (m / (1 − β₁ᵗ)) / denom − lr·λ_wd·θ       (optional decoupled decay)
 *   θ ← prox(u, lr, 1/denom)
 *
 * For L1: θ = sign(u)·max(|u| − lr·λ/denom, 0); for L0: θ = u where |u| > √(2λ·lr/denom);
 * for L½: half-thresholding with τ = lr·λ/denom. Plain Adam with an L1 subgradient keeps
 * pushing small weights around (the step lr·m̂/(√v̂+ε) does not shrink with the weight), so
 * its models stay dense; the preconditioned prox sets them to exactly zero.
 */
import { div, mul, sub } from '@sparsekit/tensor';
import { type AdamState, adamMoments, initAdamState } from './adam.js';
import type { GradientTransformation, OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { type Penalty, type Prox, penaltyProx } from './prox.js';
import { validatePenalty } from './proximal-sgd.js';
import { learningRateAt } from './transforms.js';

/** Hyperparameters of {@link ProximalAdam}. */
export interface ProximalAdamOptions {
  /** Learning rate, or a schedule (default 1e-3). */
  lr: number | Schedule;
  /** β₁ in [0, 1) (default 0.9). */
  beta1: number;
  /** β₂ in [0, 1) (default 0.999). */
  beta2: number;
  /** ε > 0 (default 1e-8). */
  eps: number;
  /** Use the running maximum of v (AMSGrad) in denom. */
  amsgrad: boolean;
  /** Decoupled weight decay ≥ 0 (default 0). */
  weightDecay: number;
  /** Strength λ ≥ 0 of the built-in penalty (default 0). */
  lambda: number;
  /** The built-in penalty: `'l1'` (default), `'l0'` or `'l1/2'`. */
  penalty: Penalty;
  /** Any proximal operator — a `@sparsekit/regularizers` penalty or projection, or any `{ prox(w, step, scale?) }` (called as prox(u, lr, 1/denom)); replaces `penalty` and `lambda`. */
  prox: Prox | null;
}

/** Proximal Adam's transformation from its complete hyperparameters. */
function proximalAdamTransformation(o: ProximalAdamOptions): GradientTransformation<AdamState> {
  const { beta1: b1, beta2: b2, eps, amsgrad, weightDecay } = o;
  const prox = o.prox ?? penaltyProx(o.penalty, o.lambda);
  return {
    name: 'proximalAdam',
    init: (params) => initAdamState(params, amsgrad),
    update(grads, state, params) {
      const lr = learningRateAt(o.lr, state.count, 'ProximalAdam');
      const { state: next, denom, bc1 } = adamMoments(grads, state, b1, b2, eps, amsgrad);
      const updates = params.map((p, i) => {
        let u = sub(p, mul(div(next.mu[i], denom[i]), lr / bc1));
        if (weightDecay > 0) u = sub(u, mul(p, lr * weightDecay));
        return sub(prox.prox(u, lr, div(1, denom[i])), p);
      });
      return { updates, state: next };
    },
  };
}

export const PROXIMAL_ADAM_SPEC: OptimizerSpec<ProximalAdamOptions> = {
  name: 'ProximalAdam',
  defaults: {
    lr: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    amsgrad: false,
    weightDecay: 0,
    lambda: 0,
    penalty: 'l1',
    prox: null,
  },
  validate(check) {
    check.learningRate('lr');
    check.rate('beta1');
    check.rate('beta2');
    check.positive('eps');
    check.boolean('amsgrad');
    check.nonNegative('weightDecay');
    validatePenalty(check);
  },
  transformation: proximalAdamTransformation,
};

/** Proximal Adam as a pure transformation (see {@link ProximalAdam}). */
export const proximalAdam = pureForm(PROXIMAL_ADAM_SPEC, 'proximalAdam');

/** Proximal Adam (ProxGen): Adam, then a prox preconditioned by lr/denom, with L1, L0 or L½ built in. */
export class ProximalAdam extends Optimizer<ProximalAdamOptions> {
  constructor(params: OptimizerParams<ProximalAdamOptions>, options: OptimizerOptions<ProximalAdamOptions> = {}) {
    super(PROXIMAL_ADAM_SPEC, params, options);
  }
}
