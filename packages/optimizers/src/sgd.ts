/**
 * Stochastic gradient descent with momentum, Nesterov momentum, dampening and (coupled)
 * weight decay, exactly as `torch.optim.SGD`:
 *
 *   g ← ∇f(θ) + λ·θ
 *   b ← μ·b + (1 − τ)·g          (b = g on the first step)
 *   d ← g + μ·b  (Nesterov)   or   d ← b
 *   θ ← θ − lr·d
 *
 * Robbins & Monro (1951), "A stochastic approximation method"; Nesterov momentum as in
 * Sutskever, Martens, Dahl & Hinton (2013), "On the importance of initialization and momentum
 * in deep learning".
 */

import type { OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { addDecayedWeights, chain, scaleByLearningRate, trace } from './transforms.js';

/** Hyperparameters of {@link SGD}. */
export interface SGDOptions {
  /** Learning rate, or a schedule (default 0.01). */
  lr: number | Schedule;
  /** Momentum μ in [0, 1) (default 0: none). */
  momentum: number;
  /** Dampening τ of the momentum in [0, 1) (default 0). */
  dampening: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Coupled L2 weight decay λ ≥ 0 (default 0). */
  weightDecay: number;
}

export const SGD_SPEC: OptimizerSpec<SGDOptions> = {
  name: 'SGD',
  defaults: { lr: 0.01, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
  validate(check, o) {
    check.learningRate('lr');
    check.rate('momentum');
    check.rate('dampening');
    check.boolean('nesterov');
    check.nonNegative('weightDecay');
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0))
      check.fail('nesterov', 'false unless momentum > 0 and dampening = 0');
  },
  transformation: (o) =>
    chain(
      addDecayedWeights(o.weightDecay),
      ...(o.momentum > 0 ? [trace({ momentum: o.momentum, dampening: o.dampening, nesterov: o.nesterov })] : []),
      scaleByLearningRate(o.lr),
    ),
};

/** SGD as a pure transformation (see {@link SGD}). */
export const sgd = pureForm(SGD_SPEC, 'sgd');

/** SGD with momentum / Nesterov / dampening / weight decay, as `torch.optim.SGD`. */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: OptimizerParams<SGDOptions>, options: OptimizerOptions<SGDOptions> = {}) {
    super(SGD_SPEC, params, options);
  }
}
