/**
 * Subgradient SGD on f(θ) + λ‖θ‖₁: the baseline that shows why L1 needs a proximal step.
 *
 *   d ← ∇f(θ) + λ·sign(θ)   (the subgradient with ∂|0| ∋ 0)
 *   θ ← θ − lr·d            (with optional momentum and weight decay, as {@link SGD})
 *
 * Coordinates oscillate around zero with amplitude ≈ lr·λ instead of landing on it, so the
 * result is small but dense (Shor, 1985, "Minimization Methods for Non-Differentiable
 * Functions"; see proximal SGD for the route that gives exact zeros).
 */
import { add, describeValue, mul, sign, ValueError } from '@sparsekit/tensor';
import type { GradientTransformation, OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { addDecayedWeights, chain, scaleByLearningRate, trace } from './transforms.js';

/** Adds the L1 subgradient λ·sign(θ) to the updates. */
export function addL1Subgradient(lambda: number): GradientTransformation<null> {
  if (typeof lambda !== 'number' || !(Number.isFinite(lambda) && lambda >= 0))
    throw new ValueError('addL1Subgradient', `lambda must be a finite number >= 0, got ${describeValue(lambda)}`);
  return {
    name: 'addL1Subgradient',
    init: () => null,
    update: (grads, state, params) => ({
      updates: lambda === 0 ? grads.slice() : grads.map((g, i) => add(g, mul(sign(params[i]), lambda))),
      state,
    }),
  };
}

/** Hyperparameters of {@link SubgradientSGD}. */
export interface SubgradientSGDOptions {
  /** Learning rate, or a schedule (default 0.01). */
  lr: number | Schedule;
  /** L1 strength λ ≥ 0 (default 0). */
  lambda: number;
  /** Momentum μ in [0, 1) (default 0). */
  momentum: number;
  /** Coupled L2 weight decay ≥ 0 (default 0). */
  weightDecay: number;
}

export const SUBGRADIENT_SGD_SPEC: OptimizerSpec<SubgradientSGDOptions> = {
  name: 'SubgradientSGD',
  defaults: { lr: 0.01, lambda: 0, momentum: 0, weightDecay: 0 },
  validate(check) {
    check.learningRate('lr');
    check.nonNegative('lambda');
    check.rate('momentum');
    check.nonNegative('weightDecay');
  },
  transformation: (o) =>
    chain(
      addL1Subgradient(o.lambda),
      addDecayedWeights(o.weightDecay),
      ...(o.momentum > 0 ? [trace({ momentum: o.momentum })] : []),
      scaleByLearningRate(o.lr),
    ),
};

/** Subgradient SGD with L1 as a pure transformation (see {@link SubgradientSGD}). */
export const subgradientSgd = pureForm(SUBGRADIENT_SGD_SPEC, 'subgradientSgd');

/** SGD on the L1 subgradient: the dense baseline of the sparse optimizers. */
export class SubgradientSGD extends Optimizer<SubgradientSGDOptions> {
  constructor(params: OptimizerParams<SubgradientSGDOptions>, options: OptimizerOptions<SubgradientSGDOptions> = {}) {
    super(SUBGRADIENT_SGD_SPEC, params, options);
  }
}
