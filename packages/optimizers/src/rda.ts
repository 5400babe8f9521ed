/**
 * ℓ1-regularized dual averaging (Xiao, 2010, "Dual Averaging Methods for Regularized
 * Stochastic Learning and Online Optimization", JMLR 11), with h(θ) = ½‖θ‖² and β_t = γ√t:
 *
 *   ḡ ← ḡ + (g − ḡ)/t                   (the average of all gradients so far)
 *   λ_t = λ + ρ / (lr·√t)                (the "enhanced" ℓ1-RDA when ρ > 0)
 *   θ ← −lr·√t · sign(ḡ)·max(|ḡ| − λ_t, 0)
 *
 * where lr = 1/γ. A coordinate is exactly zero whenever its average gradient stays within
 * λ_t, which is far more often than with a truncated SGD step. The iterate does not depend on
 * the previous θ (only on ḡ), so training starts from the origin whatever the initial values.
 */
import { add, div, mul, softThreshold, sub, type Tensor, zeros } from '@sparsekit/tensor';
import type { GradientTransformation, OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { learningRateAt } from './transforms.js';

/** State of RDA: the average gradient. */
export type RdaState = {
  readonly count: number;
  readonly gradAvg: Tensor[];
};

/** Hyperparameters of {@link RDA}. */
export interface RDAOptions {
  /** 1/γ > 0, or a schedule (default 0.1). */
  lr: number | Schedule;
  /** ℓ1 strength λ ≥ 0 (default 0). */
  lambda: number;
  /** ρ ≥ 0 of the enhanced variant (default 0). */
  rho: number;
}

function rdaTransformation(o: RDAOptions): GradientTransformation<RdaState> {
  return {
    name: 'rda',
    init: (params) => ({ count: 0, gradAvg: params.map((p) => zeros(p.shape)) }),
    update(grads, state, params) {
      const lr = learningRateAt(o.lr, state.count, 'RDA');
      const t = state.count + 1;
      const gradAvg = grads.map((g, i) => add(state.gradAvg[i], div(sub(g, state.gradAvg[i]), t)));
      const lambdaT = o.lambda + o.rho / (lr * Math.sqrt(t));
      const updates = params.map((p, i) => sub(mul(softThreshold(gradAvg[i], lambdaT), -lr * Math.sqrt(t)), p));
      return { updates, state: { count: t, gradAvg } };
    },
  };
}

export const RDA_SPEC: OptimizerSpec<RDAOptions> = {
  name: 'RDA',
  defaults: { lr: 0.1, lambda: 0, rho: 0 },
  validate(check) {
    check.learningRate('lr');
    check.nonNegative('lambda');
    check.nonNegative('rho');
  },
  transformation: rdaTransformation,
};

/** ℓ1-RDA as a pure transformation (see {@link RDA}). */
export const rda = pureForm(RDA_SPEC, 'rda');

/** ℓ1-regularized dual averaging. */
export class RDA extends Optimizer<RDAOptions> {
  constructor(params: OptimizerParams<RDAOptions>, options: OptimizerOptions<RDAOptions> = {}) {
    super(RDA_SPEC, params, options);
  }
}
