/**
 * Adamax, Adam's infinity-norm variant (Kingma & Ba, 2015, §7.1), as `torch.optim.Adamax`:
 *
 *   g ← ∇f(θ) + λ·θ
 *   m ← β₁·m + (1 − β₁)·g,   u ← max(β₂·u, |g| + ε)
 *   θ ← θ − (lr / (1 − β₁ᵗ)) · m / u
 */
import { abs, add, div, maximum, mul, type Tensor, zeros } from '@sparsekit/tensor';
import type { GradientTransformation, OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { addDecayedWeights, chain, scaleByLearningRate } from './transforms.js';
import { transformOptions } from './validate.js';

/** State of {@link scaleByAdamax}. */
export type AdamaxState = {
  readonly count: number;
  readonly mu: Tensor[];
  readonly infNorm: Tensor[];
};

/** The Adamax preconditioner: (m / (1 − β₁ᵗ)) / u. */
export function scaleByAdamax(
  options: { b1?: number; b2?: number; eps?: number } = {},
): GradientTransformation<AdamaxState> {
  const { b1, b2, eps } = transformOptions('scaleByAdamax', options, { b1: 0.9, b2: 0.999, eps: 1e-8 }, (c) => {
    c.rate('b1');
    c.rate('b2');
    c.positive('eps');
  });
  return {
    name: 'scaleByAdamax',
    init: (params) => ({ count: 0, mu: params.map((p) => zeros(p.shape)), infNorm: params.map((p) => zeros(p.shape)) }),
    update(grads, state) {
      const t = state.count + 1;
      const mu = grads.map((g, i) => add(mul(state.mu[i], b1), mul(g, 1 - b1)));
      const infNorm = grads.map((g, i) => maximum(mul(state.infNorm[i], b2), add(abs(g), eps)));
      const updates = mu.map((m, i) => div(div(m, infNorm[i]), 1 - b1 ** t));
      return { updates, state: { count: t, mu, infNorm } };
    },
  };
}

/** Hyperparameters of {@link Adamax}. */
export interface AdamaxOptions {
  /** Learning rate, or a schedule (default 2e-3). */
  lr: number | Schedule;
  /** β₁ in [0, 1) (default 0.9). */
  beta1: number;
  /** β₂ in [0, 1) (default 0.999). */
  beta2: number;
  /** ε > 0 (default 1e-8). */
  eps: number;
  /** Coupled L2 weight decay λ ≥ 0 (default 0). */
  weightDecay: number;
}

export const ADAMAX_SPEC: OptimizerSpec<AdamaxOptions> = {
  name: 'Adamax',
  defaults: { lr: 2e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
  validate(check) {
    check.learningRate('lr');
    check.rate('beta1');
    check.rate('beta2');
    check.positive('eps');
    check.nonNegative('weightDecay');
  },
  transformation: (o) =>
    chain(
      addDecayedWeights(o.weightDecay),
      scaleByAdamax({ b1: o.beta1, b2: o.beta2, eps: o.eps }),
      scaleByLearningRate(o.lr),
    ),
};

/** Adamax as a pure transformation (see {@link Adamax}). */
export const adamax = pureForm(ADAMAX_SPEC, 'adamax');

/** Adamax, as `torch.optim.Adamax`. */
export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: OptimizerParams<AdamaxOptions>, options: OptimizerOptions<AdamaxOptions> = {}) {
    super(ADAMAX_SPEC, params, options);
  }
}
