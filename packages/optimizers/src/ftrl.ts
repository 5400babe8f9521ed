/**
 * FTRL-Proximal (McMahan et al., 2013, "Ad Click Prediction: a View from the Trenches"),
 * with Keras' `Ftrl` semantics (l1, l2, l2-shrinkage, β, learning-rate power p = −0.5 by default):
 *
 *   g̃ = g + 2·λ_shrink·θ
 *   n' = n + g²
 *   z ← z + g̃ − (n'^(−p) − n^(−p)) / lr · θ
 *   q = n'^(−p) / lr + 2·(λ₂ + β / (2·lr))
 *   θ ← (clip(z, −λ₁, λ₁) − z) / q          (= 0 whenever |z| ≤ λ₁)
 *   n ← n'
 *
 * The accumulator starts at `initialAccumulatorValue` (0.1), z at 0. Coordinates whose
 * accumulated pull |z| stays below λ₁ are exactly zero.
 */
import { add, clip, div, full, mul, pow, sqrt, square, sub, type Tensor, zeros } from '@sparsekit/tensor';
import type { GradientTransformation, OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { learningRateAt } from './transforms.js';

/** State of FTRL: the squared-gradient accumulator n and the linear term z. */
export type FtrlState = {
  readonly count: number;
  readonly accumulator: Tensor[];
  readonly linear: Tensor[];
};

/** Hyperparameters of {@link FTRL} (Keras names in parentheses). */
export interface FTRLOptions {
  /** Learning rate α (`learning_rate`), or a schedule (default 1e-3). */
  lr: number | Schedule;
  /** Learning-rate power p ≤ 0 (`learning_rate_power`, default −0.5). */
  lrPower: number;
  /** Starting value of n, ≥ 0 (`initial_accumulator_value`, default 0.1). */
  initialAccumulatorValue: number;
  /** λ₁ ≥ 0 (`l1_regularization_strength`, default 0). */
  l1: number;
  /** λ₂ ≥ 0 (`l2_regularization_strength`, default 0). */
  l2: number;
  /** λ_shrink ≥ 0 (`l2_shrinkage_regularization_strength`, default 0). */
  l2Shrinkage: number;
  /** β ≥ 0 (`beta`, default 0). */
  beta: number;
}

const powOf = (x: Tensor, e: number): Tensor => (e === 0.5 ? sqrt(x) : pow(x, e));

function ftrlTransformation(o: FTRLOptions): GradientTransformation<FtrlState> {
  const e = -o.lrPower;
  return {
    name: 'ftrl',
    init: (params) => ({
      count: 0,
      accumulator: params.map((p) => full(p.shape, o.initialAccumulatorValue)),
      linear: params.map((p) => zeros(p.shape)),
    }),
    update(grads, state, params) {
      const lr = learningRateAt(o.lr, state.count, 'FTRL');
      const l2 = o.l2 + o.beta / (2 * lr);
      const accumulator = grads.map((g, i) => add(state.accumulator[i], square(g)));
      const linear = grads.map((g, i) => {
        const shrunk = o.l2Shrinkage > 0 ? add(g, mul(params[i], 2 * o.l2Shrinkage)) : g;
        const sigma = div(sub(powOf(accumulator[i], e), powOf(state.accumulator[i], e)), lr);
        return add(state.linear[i], sub(shrunk, mul(sigma, params[i])));
      });
      const updates = params.map((p, i) => {
        const quadratic = add(div(powOf(accumulator[i], e), lr), 2 * l2);
        const z = linear[i];
        return sub(div(sub(clip(z, -o.l1, o.l1), z), quadratic), p);
      });
      return { updates, state: { count: state.count + 1, accumulator, linear } };
    },
  };
}

export const FTRL_SPEC: OptimizerSpec<FTRLOptions> = {
  name: 'FTRL',
  defaults: { lr: 1e-3, lrPower: -0.5, initialAccumulatorValue: 0.1, l1: 0, l2: 0, l2Shrinkage: 0, beta: 0 },
  validate(check) {
    check.learningRate('lr');
    const p = check.get('lrPower');
    if (typeof p !== 'number' || !Number.isFinite(p) || p > 0) check.fail('lrPower', 'a finite number <= 0');
    check.nonNegative('initialAccumulatorValue');
    check.nonNegative('l1');
    check.nonNegative('l2');
    check.nonNegative('l2Shrinkage');
    check.nonNegative('beta');
  },
  transformation: ftrlTransformation,
};

/** FTRL-Proximal as a pure transformation (see {@link FTRL}). */
export const ftrl = pureForm(FTRL_SPEC, 'ftrl');

/** FTRL-Proximal with Keras' `Ftrl` semantics. */
export class FTRL extends Optimizer<FTRLOptions> {
  constructor(params: OptimizerParams<FTRLOptions>, options: OptimizerOptions<FTRLOptions> = {}) {
    super(FTRL_SPEC, params, options);
  }
}
