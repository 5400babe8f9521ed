/**
 * Adagrad (Duchi, Hazan & Singer, 2011, "Adaptive Subgradient Methods for Online Learning
 * and Stochastic Optimization"), as `torch.optim.Adagrad`:
 *
 *   g ← ∇f(θ) + λ·θ
 *   s ← s + g²                         (s₀ = initialAccumulatorValue)
 *   θ ← θ − lr / (1 + (t − 1)·lrDecay) · g / (√s + ε)
 */
import { add, div, full, sqrt, square, type Tensor } from '@sparsekit/tensor';
import type { GradientTransformation, OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { addDecayedWeights, chain, scaleByLearningRate } from './transforms.js';
import { transformOptions } from './validate.js';

/** State of {@link scaleByAdagrad}. */
export type AdagradState = {
  readonly count: number;
  readonly sum: Tensor[];
};

/** The Adagrad preconditioner g / (√s + ε), damped by 1 / (1 + (t − 1)·lrDecay). */
export function scaleByAdagrad(
  options: { eps?: number; initialAccumulatorValue?: number; lrDecay?: number } = {},
): GradientTransformation<AdagradState> {
  const { eps, initialAccumulatorValue, lrDecay } = transformOptions(
    'scaleByAdagrad',
    options,
    { eps: 1e-10, initialAccumulatorValue: 0, lrDecay: 0 },
    (c) => {
      c.positive('eps');
      c.nonNegative('initialAccumulatorValue');
      c.nonNegative('lrDecay');
    },
  );
  return {
    name: 'scaleByAdagrad',
    init: (params) => ({ count: 0, sum: params.map((p) => full(p.shape, initialAccumulatorValue)) }),
    update(grads, state) {
      const total = grads.map((g, i) => add(state.sum[i], square(g)));
      const decay = 1 + state.count * lrDecay;
      const updates = grads.map((g, i) => {
        const u = div(g, add(sqrt(total[i]), eps));
        return lrDecay === 0 ? u : div(u, decay);
      });
      return { updates, state: { count: state.count + 1, sum: total } };
    },
  };
}

/** Hyperparameters of {@link Adagrad}. */
export interface AdagradOptions {
  /** Learning rate, or a schedule (default 0.01). */
  lr: number | Schedule;
  /** Learning-rate decay ≥ 0 (default 0). */
  lrDecay: number;
  /** Coupled L2 weight decay λ ≥ 0 (default 0). */
  weightDecay: number;
  /** Starting value of the accumulator, ≥ 0 (default 0). */
  initialAccumulatorValue: number;
  /** ε > 0 (default 1e-10). */
  eps: number;
}

export const ADAGRAD_SPEC: OptimizerSpec<AdagradOptions> = {
  name: 'Adagrad',
  defaults: { lr: 0.01, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 },
  validate(check) {
    check.learningRate('lr');
    check.nonNegative('lrDecay');
    check.nonNegative('weightDecay');
    check.nonNegative('initialAccumulatorValue');
    check.positive('eps');
  },
  transformation: (o) =>
    chain(
      addDecayedWeights(o.weightDecay),
      scaleByAdagrad({ eps: o.eps, initialAccumulatorValue: o.initialAccumulatorValue, lrDecay: o.lrDecay }),
      scaleByLearningRate(o.lr),
    ),
};

/** Adagrad as a pure transformation (see {@link Adagrad}). */
export const adagrad = pureForm(ADAGRAD_SPEC, 'adagrad');

/** Adagrad, as `torch.optim.Adagrad`. */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: OptimizerParams<AdagradOptions>, options: OptimizerOptions<AdagradOptions> = {}) {
    super(ADAGRAD_SPEC, params, options);
  }
}
