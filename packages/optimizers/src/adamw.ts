/**
 * AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019, "Decoupled Weight
 * Decay Regularization"), as `torch.optim.AdamW`:
 *
 *   m, v, v̄ as in Adam (from the raw gradient)
 *   θ ← θ − lr · ( (m / (1 − β₁ᵗ)) / (√v̄ / √(1 − β₂ᵗ) + ε) + λ·θ )
 *
 * As a chain: `scaleByAdam(…)`, `addDecayedWeights(λ)`, `scaleByLearningRate(lr)`.
 */
import { ADAM_SPEC, type AdamOptions, scaleByAdam, validateAdam } from './adam.js';
import type { OptimizerSpec } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { addDecayedWeights, chain, scaleByLearningRate } from './transforms.js';

/** Hyperparameters of {@link AdamW}: Adam's, with `weightDecay` decoupled (default 0.01). */
export type AdamWOptions = AdamOptions;

export const ADAMW_SPEC: OptimizerSpec<AdamWOptions> = {
  name: 'AdamW',
  defaults: { ...ADAM_SPEC.defaults, weightDecay: 0.01 },
  validate: (check) => validateAdam(check),
  transformation: (o) =>
    chain(
      scaleByAdam({ b1: o.beta1, b2: o.beta2, eps: o.eps, amsgrad: o.amsgrad }),
      addDecayedWeights(o.weightDecay),
      scaleByLearningRate(o.lr),
    ),
};

/** AdamW as a pure transformation (see {@link AdamW}). */
export const adamw = pureForm(ADAMW_SPEC, 'adamw');

/** Adam with decoupled weight decay, as `torch.optim.AdamW`. */
export class AdamW extends Optimizer<AdamWOptions> {
  constructor(params: OptimizerParams<AdamWOptions>, options: OptimizerOptions<AdamWOptions> = {}) {
    super(ADAMW_SPEC, params, options);
  }
}
