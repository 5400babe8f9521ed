/**
 * HSPG, the half-space stochastic projected gradient method (Chen, Ding, Zharkov & Yi, 2021,
 * "A Half-Space Stochastic Projected Gradient Method for Group Sparsity Regularization") on
 * f(θ) + λ Σ_g ‖θ_g‖₂, with groups of rows, columns or whole tensors:
 *
 *   first `proxSteps` steps (Prox-SG):  u = θ − lr·∇f(θ);  θ_g ← u_g · max(0, 1 − lr·λ/‖u_g‖)
 *                                       (`@sparsekit/regularizers`' `groupLasso` prox)
 *   then half-space steps, per non-zero group:
 *     θ̃_g = θ_g − lr·(∇f(θ)_g + λ·θ_g/‖θ_g‖)
 *     θ_g ← 0 if θ̃_gᵀθ_g < ε·‖θ_g‖², else θ̃_g          (zero groups stay zero)
 *
 * The half-space test removes whole groups that the prox steps only shrank, which is what
 * gives structured (neuron- or feature-level) sparsity.
 */
import { GROUPINGS, type Grouping, groupLasso, groupNorm, groupSum } from '@sparsekit/regularizers';
import { add, div, greater, greaterEqual, mul, sub, where } from '@sparsekit/tensor';
import type { GradientTransformation, OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { type CountState, learningRateAt } from './transforms.js';

/** Hyperparameters of {@link HSPG}. */
export interface HSPGOptions {
  /** Learning rate, or a schedule (default 0.01). */
  lr: number | Schedule;
  /** Group-lasso strength λ ≥ 0 (default 0). */
  lambda: number;
  /** Prox-SG steps before the half-space steps start, ≥ 0 (N_P, default 100). */
  proxSteps: number;
  /** ε in [0, 1) of the half-space test (default 0). */
  epsilon: number;
  /** The groups: `'rows'` (default), `'columns'` or `'tensor'`. */
  groups: Grouping;
}

function hspgTransformation(o: HSPGOptions): GradientTransformation<CountState> {
  const penalty = groupLasso(o.lambda, { groups: o.groups });
  return {
    name: 'hspg',
    init: () => ({ count: 0 }),
    update(grads, state, params) {
      const lr = learningRateAt(o.lr, state.count, 'HSPG');
      const proxPhase = state.count < o.proxSteps;
      const updates = params.map((p, i) => {
        const g = grads[i];
        if (proxPhase) return sub(penalty.prox(sub(p, mul(g, lr)), lr), p);
        const norm = groupNorm(p, o.groups);
        const alive = greater(norm, 0);
        const trial = sub(p, mul(add(g, mul(div(p, norm), o.lambda)), lr));
        const keepGroup = greaterEqual(groupSum(mul(trial, p), o.groups), mul(mul(norm, norm), o.epsilon));
        return sub(where(mul(alive, keepGroup), trial, 0), p);
      });
      return { updates, state: { count: state.count + 1 } };
    },
  };
}

export const HSPG_SPEC: OptimizerSpec<HSPGOptions> = {
  name: 'HSPG',
  defaults: { lr: 0.01, lambda: 0, proxSteps: 100, epsilon: 0, groups: 'rows' },
  validate(check) {
    check.learningRate('lr');
    check.nonNegative('lambda');
    check.count('proxSteps', { min: 0 });
    check.rate('epsilon');
    check.oneOf('groups', GROUPINGS);
  },
  transformation: hspgTransformation,
};

/** HSPG as a pure transformation (see {@link HSPG}). */
export const hspg = pureForm(HSPG_SPEC, 'hspg');

/** HSPG: group-lasso Prox-SG, then half-space projections that zero whole groups. */
export class HSPG extends Optimizer<HSPGOptions> {
  constructor(params: OptimizerParams<HSPGOptions>, options: OptimizerOptions<HSPGOptions> = {}) {
    super(HSPG_SPEC, params, options);
  }
}
