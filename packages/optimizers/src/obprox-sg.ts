/**
 * OBProx-SG (Chen, Ding, Zharkov & Yi, 2021, "Orthant Based Proximal Stochastic Gradient
 * Method for ℓ1-Regularized Optimization", ECML-PKDD 2020) on f(θ) + λ‖θ‖₁. Steps alternate
 * between `proxSteps` proximal-SGD steps and `orthantSteps` orthant steps:
 *
 *   Prox-SG:  θ ← sign(u)·max(|u| − lr·λ, 0),  u = θ − lr·∇f(θ)   (`@sparsekit/regularizers`' `l1` prox)
 *   Orthant:  on the orthant face of θ (zeros stay zero), ψ's gradient is ∇f(θ) + λ·sign(θ);
 *             θ̃ = θ − lr·(∇f(θ) + λ·sign(θ));  θ ← θ̃ where sign(θ̃) = sign(θ), else 0
 *
 * The orthant step keeps the sparsity the prox steps found and promotes more of it: any
 * coordinate that would cross zero is set to zero.
 */
import { l1 } from '@sparsekit/regularizers';
import { add, greater, mul, sign, sub, where } from '@sparsekit/tensor';
import type { GradientTransformation, OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { type CountState, learningRateAt } from './transforms.js';

/** Hyperparameters of {@link OBProxSG}. */
export interface OBProxSGOptions {
  /** Learning rate, or a schedule (default 0.01). */
  lr: number | Schedule;
  /** ℓ1 strength λ ≥ 0 (default 0). */
  lambda: number;
  /** Prox-SG steps per cycle, ≥ 0 (N_P, default 100). */
  proxSteps: number;
  /** Orthant steps per cycle, ≥ 1 or Infinity (N_O, default Infinity: switch once). */
  orthantSteps: number;
}

function obproxTransformation(o: OBProxSGOptions): GradientTransformation<CountState> {
  const penalty = l1(o.lambda);
  return {
    name: 'obproxSg',
    init: () => ({ count: 0 }),
    update(grads, state, params) {
      const lr = learningRateAt(o.lr, state.count, 'OBProxSG');
      const proxPhase = state.count % (o.proxSteps + o.orthantSteps) < o.proxSteps;
      const updates = params.map((p, i) => {
        const g = grads[i];
        if (proxPhase) return sub(penalty.prox(sub(p, mul(g, lr)), lr), p);
        const s = sign(p);
        const trial = sub(p, mul(add(g, mul(s, o.lambda)), lr));
        return sub(where(greater(mul(s, trial), 0), trial, 0), p);
      });
      return { updates, state: { count: state.count + 1 } };
    },
  };
}

export const OBPROX_SG_SPEC: OptimizerSpec<OBProxSGOptions> = {
  name: 'OBProxSG',
  defaults: { lr: 0.01, lambda: 0, proxSteps: 100, orthantSteps: Infinity },
  validate(check) {
    check.learningRate('lr');
    check.nonNegative('lambda');
    check.count('proxSteps', { min: 0 });
    check.count('orthantSteps', { min: 1, infinite: true });
  },
  transformation: obproxTransformation,
};

/** OBProx-SG as a pure transformation (see {@link OBProxSG}). */
export const obproxSg = pureForm(OBPROX_SG_SPEC, 'obproxSg');

/** OBProx-SG: proximal SGD steps, then orthant-face steps that keep and grow the sparsity. */
export class OBProxSG extends Optimizer<OBProxSGOptions> {
  constructor(params: OptimizerParams<OBProxSGOptions>, options: OptimizerOptions<OBProxSGOptions> = {}) {
    super(OBPROX_SG_SPEC, params, options);
  }
}
