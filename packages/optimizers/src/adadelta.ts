/**
 * Adadelta (Zeiler, 2012, "ADADELTA: An Adaptive Learning Rate Method"), as
 * `torch.optim.Adadelta`:
 *
 *   g ← ∇f(θ) + λ·θ
 *   s ← ρ·s + (1 − ρ)·g²
 *   Δ ← √(a + ε) / √(s + ε) · g
 *   a ← ρ·a + (1 − ρ)·Δ²
 *   θ ← θ − lr·Δ
 */
import { add, div, mul, sqrt, square, type Tensor, zeros } from '@sparsekit/tensor';
import type { GradientTransformation, OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { addDecayedWeights, chain, scaleByLearningRate } from './transforms.js';
import { transformOptions } from './validate.js';

/** State of {@link scaleByAdadelta}. */
export type AdadeltaState = {
  readonly count: number;
  readonly squareAvg: Tensor[];
  readonly accDelta: Tensor[];
};

/** The Adadelta step Δ = √(a + ε) / √(s + ε) · g. */
export function scaleByAdadelta(options: { rho?: number; eps?: number } = {}): GradientTransformation<AdadeltaState> {
  const { rho, eps } = transformOptions('scaleByAdadelta', options, { rho: 0.9, eps: 1e-6 }, (c) => {
    c.rate('rho');
    c.positive('eps');
  });
  return {
    name: 'scaleByAdadelta',
    init: (params) => ({
      count: 0,
      squareAvg: params.map((p) => zeros(p.shape)),
      accDelta: params.map((p) => zeros(p.shape)),
    }),
    update(grads, state) {
      const squareAvg = grads.map((g, i) => add(mul(state.squareAvg[i], rho), mul(square(g), 1 - rho)));
      const delta = grads.map((g, i) => mul(div(sqrt(add(state.accDelta[i], eps)), sqrt(add(squareAvg[i], eps))), g));
      const accDelta = delta.map((d, i) => add(mul(state.accDelta[i], rho), mul(square(d), 1 - rho)));
      return { updates: delta, state: { count: state.count + 1, squareAvg, accDelta } };
    },
  };
}

/** Hyperparameters of {@link Adadelta}. */
export interface AdadeltaOptions {
  /** Learning rate (scales Δ), or a schedule (default 1). */
  lr: number | Schedule;
  /** Decay ρ in [0, 1) (default 0.9). */
  rho: number;
  /** ε > 0 (default 1e-6). */
  eps: number;
  /** Coupled L2 weight decay λ ≥ 0 (default 0). */
  weightDecay: number;
}

export const ADADELTA_SPEC: OptimizerSpec<AdadeltaOptions> = {
  name: 'Adadelta',
  defaults: { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0 },
  validate(check) {
    check.learningRate('lr');
    check.rate('rho');
    check.positive('eps');
    check.nonNegative('weightDecay');
  },
  transformation: (o) =>
    chain(addDecayedWeights(o.weightDecay), scaleByAdadelta({ rho: o.rho, eps: o.eps }), scaleByLearningRate(o.lr)),
};

/** Adadelta as a pure transformation (see {@link Adadelta}). */
export const adadelta = pureForm(ADADELTA_SPEC, 'adadelta');

/** Adadelta, as `torch.optim.Adadelta`. */
export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: OptimizerParams<AdadeltaOptions>, options: OptimizerOptions<AdadeltaOptions> = {}) {
    super(ADADELTA_SPEC, params, options);
  }
}
