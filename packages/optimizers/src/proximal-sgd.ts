/**
 * Proximal SGD (the stochastic ISTA step; Combettes & Wajs, 2005, "Signal recovery by
 * proximal forward-backward splitting"; Beck & Teboulle, 2009) on f(θ) + R(θ):
 *
 *   d ← ∇f(θ)  (with optional momentum and coupled weight decay)
 *   θ ← prox_{lr·R}(θ − lr·d)
 *
 * With R = λ‖·‖₁ the prox is soft-thresholding, sign(u)·max(|u| − lr·λ, 0): coordinates whose
 * gradient pull stays below λ land on exactly zero. Any {@link Prox} plugs in.
 */

import type { OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { PENALTIES, type Penalty, type Prox, penaltyProx } from './prox.js';
import { addDecayedWeights, applyProx, chain, scaleByLearningRate, trace } from './transforms.js';
import type { HyperparameterCheck } from './validate.js';

/** Hyperparameters of {@link ProximalSGD}. */
export interface ProximalSGDOptions {
  /** Learning rate, or a schedule (default 0.01). */
  lr: number | Schedule;
  /** Strength λ ≥ 0 of the built-in penalty (default 0). */
  lambda: number;
  /** The built-in penalty: `'l1'` (default), `'l0'` or `'l1/2'`. */
  penalty: Penalty;
  /** Any proximal operator — a `@sparsekit/regularizers` penalty or projection, or any `{ prox(w, step, scale?) }`; replaces `penalty` and `lambda` when given. */
  prox: Prox | null;
  /** Momentum μ in [0, 1) on the smooth gradient (default 0). */
  momentum: number;
  /** Coupled L2 weight decay ≥ 0 (default 0). */
  weightDecay: number;
}

/** Checks the penalty options shared by the proximal optimizers. @internal */
export function validatePenalty(check: HyperparameterCheck): void {
  check.nonNegative('lambda');
  check.oneOf('penalty', PENALTIES);
  const prox = check.get('prox') as Prox | null;
  if (prox !== null && (typeof prox !== 'object' || typeof prox.prox !== 'function'))
    check.fail('prox', 'null or an object with a prox(w, step, scale?) method');
}

export const PROXIMAL_SGD_SPEC: OptimizerSpec<ProximalSGDOptions> = {
  name: 'ProximalSGD',
  defaults: { lr: 0.01, lambda: 0, penalty: 'l1', prox: null, momentum: 0, weightDecay: 0 },
  validate(check) {
    check.learningRate('lr');
    validatePenalty(check);
    check.rate('momentum');
    check.nonNegative('weightDecay');
  },
  transformation: (o) =>
    chain(
      addDecayedWeights(o.weightDecay),
      ...(o.momentum > 0 ? [trace({ momentum: o.momentum })] : []),
      scaleByLearningRate(o.lr),
      applyProx(o.prox ?? penaltyProx(o.penalty, o.lambda), o.lr),
    ),
};

/** Proximal SGD as a pure transformation (see {@link ProximalSGD}). */
export const proximalSgd = pureForm(PROXIMAL_SGD_SPEC, 'proximalSgd');

/** Proximal SGD: a gradient step, then the penalty's proximal operator. */
export class ProximalSGD extends Optimizer<ProximalSGDOptions> {
  constructor(params: OptimizerParams<ProximalSGDOptions>, options: OptimizerOptions<ProximalSGDOptions> = {}) {
    super(PROXIMAL_SGD_SPEC, params, options);
  }
}
