/**
 * AdaBelief (Zhuang et al., 2020, "AdaBelief Optimizer: Adapting Stepsizes by the Belief in
 * Observed Gradients", NeurIPS): Adam with the second moment of the gradient's deviation from
 * its running mean instead of the raw second moment.
 *
 *   m ← β₁·m + (1 − β₁)·g
 *   s ← β₂·s + (1 − β₂)·(g − m)² + ε
 *   θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(s / (1 − β₂ᵗ)) + ε)
 *
 * Built only on the public API: a `GradientTransformation` chained with the package's own
 * `scaleByLearningRate`, wrapped in `Optimizer` for the torch-style surface.
 */
import {
  addDecayedWeights,
  chain,
  type GradientTransformation,
  type HyperparameterCheck,
  Optimizer,
  type OptimizerSpec,
  type ParameterLike,
  type ParamGroupInput,
  type Schedule,
  type StepOptions,
  scaleByLearningRate,
} from '@sparsekit/optimizers';
import { add, div, mul, sqrt, square, sub, type Tensor, zeros } from '@sparsekit/tensor';

export type BeliefState = { readonly count: number; readonly mu: Tensor[]; readonly belief: Tensor[] };

/** The AdaBelief preconditioner. */
export function scaleByBelief(b1: number, b2: number, eps: number): GradientTransformation<BeliefState> {
  return {
    name: 'scaleByBelief',
    init: (params) => ({ count: 0, mu: params.map((p) => zeros(p.shape)), belief: params.map((p) => zeros(p.shape)) }),
    update(grads, state) {
      const t = state.count + 1;
      const mu = grads.map((g, i) => add(mul(state.mu[i], b1), mul(g, 1 - b1)));
      const belief = grads.map((g, i) => add(add(mul(state.belief[i], b2), mul(square(sub(g, mu[i])), 1 - b2)), eps));
      const updates = mu.map((m, i) => div(div(m, 1 - b1 ** t), add(sqrt(div(belief[i], 1 - b2 ** t)), eps)));
      return { updates, state: { count: t, mu, belief } };
    },
  };
}

export interface AdaBeliefOptions {
  lr: number | Schedule;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const ADABELIEF_SPEC: OptimizerSpec<AdaBeliefOptions> = {
  name: 'AdaBelief',
  defaults: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-16, weightDecay: 0 },
  validate(check: HyperparameterCheck) {
    check.learningRate('lr');
    check.rate('beta1');
    check.rate('beta2');
    check.positive('eps');
    check.nonNegative('weightDecay');
  },
  transformation: (o) =>
    chain(scaleByBelief(o.beta1, o.beta2, o.eps), addDecayedWeights(o.weightDecay), scaleByLearningRate(o.lr)),
};

/** AdaBelief with decoupled weight decay. */
export class AdaBelief extends Optimizer<AdaBeliefOptions> {
  constructor(
    params: Iterable<ParameterLike> | ReadonlyArray<ParamGroupInput<AdaBeliefOptions>>,
    options: Partial<AdaBeliefOptions> & StepOptions = {},
  ) {
    super(ADABELIEF_SPEC, params, options);
  }
}
