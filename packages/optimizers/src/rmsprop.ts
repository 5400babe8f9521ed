/**
 * RMSprop (Tieleman & Hinton, 2012, Coursera lecture 6.5), with the centered variant of
 * Graves (2013, "Generating Sequences With Recurrent Neural Networks"), as `torch.optim.RMSprop`:
 *
 *   g ← ∇f(θ) + λ·θ
 *   s ← α·s + (1 − α)·g²
 *   centered: ḡ ← α·ḡ + (1 − α)·g,  d = √(s − ḡ²) + ε;   else d = √s + ε
 *   b ← μ·b + g/d,  θ ← θ − lr·b    (μ > 0);     else θ ← θ − lr·g/d
 */
import { add, div, mul, sqrt, square, sub, type Tensor, zeros } from '@sparsekit/tensor';
import type { GradientTransformation, OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { addDecayedWeights, chain, scaleByLearningRate } from './transforms.js';
import { transformOptions } from './validate.js';

/** State of {@link scaleByRms}: `gradAvg` is empty unless centered, `momentum` empty unless μ > 0. */
export type RmsState = {
  readonly count: number;
  readonly squareAvg: Tensor[];
  readonly gradAvg: Tensor[];
  readonly momentum: Tensor[];
};

/** The RMSprop preconditioner g / d, with optional centering and momentum. */
export function scaleByRms(
  options: { alpha?: number; eps?: number; centered?: boolean; momentum?: number } = {},
): GradientTransformation<RmsState> {
  const { alpha, eps, centered, momentum } = transformOptions(
    'scaleByRms',
    options,
    { alpha: 0.99, eps: 1e-8, centered: false, momentum: 0 },
    (c) => {
      c.rate('alpha');
      c.positive('eps');
      c.boolean('centered');
      c.rate('momentum');
    },
  );
  return {
    name: 'scaleByRms',
    init: (params) => ({
      count: 0,
      squareAvg: params.map((p) => zeros(p.shape)),
      gradAvg: centered ? params.map((p) => zeros(p.shape)) : [],
      momentum: momentum > 0 ? params.map((p) => zeros(p.shape)) : [],
    }),
    update(grads, state) {
      const squareAvg = grads.map((g, i) => add(mul(state.squareAvg[i], alpha), mul(square(g), 1 - alpha)));
      const gradAvg = centered ? grads.map((g, i) => add(mul(state.gradAvg[i], alpha), mul(g, 1 - alpha))) : [];
      const denom = squareAvg.map((s, i) => add(sqrt(centered ? sub(s, square(gradAvg[i])) : s), eps));
      let updates = grads.map((g, i) => div(g, denom[i]));
      let buf: Tensor[] = [];
      if (momentum > 0) {
        buf = updates.map((u, i) => add(mul(state.momentum[i], momentum), u));
        updates = buf.slice();
      }
      return { updates, state: { count: state.count + 1, squareAvg, gradAvg, momentum: buf } };
    },
  };
}

/** Hyperparameters of {@link RMSprop}. */
export interface RMSpropOptions {
  /** Learning rate, or a schedule (default 0.01). */
  lr: number | Schedule;
  /** Smoothing constant α in [0, 1) (default 0.99). */
  alpha: number;
  /** ε > 0 (default 1e-8). */
  eps: number;
  /** Coupled L2 weight decay λ ≥ 0 (default 0). */
  weightDecay: number;
  /** Momentum μ in [0, 1) (default 0). */
  momentum: number;
  /** Normalise by the estimated variance instead of the second moment. */
  centered: boolean;
}

export const RMSPROP_SPEC: OptimizerSpec<RMSpropOptions> = {
  name: 'RMSprop',
  defaults: { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },
  validate(check) {
    check.learningRate('lr');
    check.rate('alpha');
    check.positive('eps');
    check.nonNegative('weightDecay');
    check.rate('momentum');
    check.boolean('centered');
  },
  transformation: (o) =>
    chain(
      addDecayedWeights(o.weightDecay),
      scaleByRms({ alpha: o.alpha, eps: o.eps, centered: o.centered, momentum: o.momentum }),
      scaleByLearningRate(o.lr),
    ),
};

/** RMSprop as a pure transformation (see {@link RMSprop}). */
export const rmsprop = pureForm(RMSPROP_SPEC, 'rmsprop');

/** RMSprop (optionally centered, with momentum), as `torch.optim.RMSprop`. */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: OptimizerParams<RMSpropOptions>, options: OptimizerOptions<RMSpropOptions> = {}) {
    super(RMSPROP_SPEC, params, options);
  }
}
