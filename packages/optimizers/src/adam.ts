/**
 * Adam (Kingma & Ba, 2015, "Adam: A Method for Stochastic Optimization"), with AMSGrad
 * (Reddi, Kale & Kumar, 2018, "On the Convergence of Adam and Beyond"), as `torch.optim.Adam`:
 *
 *   g ← ∇f(θ) + λ·θ                       (coupled L2 weight decay)
 *   m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
 *   v̄ ← max(v̄, v) with AMSGrad, else v̄ = v
 *   θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√v̄ / √(1 − β₂ᵗ) + ε)
 *
 * As a chain: `addDecayedWeights(λ)`, `scaleByAdam(…)`, `scaleByLearningRate(lr)`. A step
 * costs three fused kernels per parameter (new m, new v, new θ reading them); on the `wasm`
 * backend one: the step takes the tensor package's `adamStep` for a chain ending in
 * `scaleByAdam`, `scaleByLearningRate` (fused.ts), bitwise what the chain gives.
 */
import { adamStep, add, div, maximum, adamMoments as momentsOf, sqrt, type Tensor, zeros } from '@sparsekit/tensor';
import type { GradientTransformation, OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { APPLY_SCALED, type Fusable } from './fused.js';
import { Optimizer } from './optimizer.js';
import { addDecayedWeights, chain, scaleByLearningRate } from './transforms.js';
import { type HyperparameterCheck, transformOptions } from './validate.js';

/** State of {@link scaleByAdam}: the step count and the moments per parameter (`nuMax` empty without AMSGrad). */
export type AdamState = {
  readonly count: number;
  readonly mu: Tensor[];
  readonly nu: Tensor[];
  readonly nuMax: Tensor[];
};

/** Zero moments for every parameter (`nuMax` only with AMSGrad). @internal */
export function initAdamState(params: readonly Tensor[], amsgrad: boolean): AdamState {
  return {
    count: 0,
    mu: params.map((p) => zeros(p.shape)),
    nu: params.map((p) => zeros(p.shape)),
    nuMax: amsgrad ? params.map((p) => zeros(p.shape)) : [],
  };
}

/**
 * One moment update: the next state, and per parameter the bias-corrected denominator
 * √v̄ / √(1 − β₂ᵗ) + ε, the bias correction 1 − β₁ᵗ of m, and (without AMSGrad) Adam's
 * direction m̂ / (√v̂ + ε). The moments and the direction are the tensor package's
 * `adamMoments` op (one pass on the `wasm` backend). @internal
 */
export function adamMoments(
  grads: readonly Tensor[],
  state: AdamState,
  b1: number,
  b2: number,
  eps: number,
  amsgrad: boolean,
): { state: AdamState; denom: Tensor[]; bc1: number; direction: Tensor[] } {
  const t = state.count + 1;
  const bc2Sqrt = Math.sqrt(1 - b2 ** t);
  const moments = grads.map((g, i) => momentsOf(g, state.mu[i], state.nu[i], { beta1: b1, beta2: b2, eps, step: t }));
  const mu = moments.map((x) => x.m);
  const nu = moments.map((x) => x.v);
  const nuMax = amsgrad ? nu.map((v, i) => maximum(state.nuMax[i], v)) : [];
  const denom = (amsgrad ? nuMax : nu).map((v) => add(div(sqrt(v), bc2Sqrt), eps));
  const bc1 = 1 - b1 ** t;
  const direction = amsgrad ? mu.map((m, i) => div(div(m, denom[i]), bc1)) : moments.map((x) => x.update);
  return { state: { count: t, mu, nu, nuMax }, denom, bc1, direction };
}

/** The Adam preconditioner: updates m̂ / (√v̂ + ε) with bias-corrected moments (optax `scale_by_adam`). */
export function scaleByAdam(
  options: { b1?: number; b2?: number; eps?: number; amsgrad?: boolean } = {},
): GradientTransformation<AdamState> {
  const { b1, b2, eps, amsgrad } = transformOptions(
    'scaleByAdam',
    options,
    { b1: 0.9, b2: 0.999, eps: 1e-8, amsgrad: false },
    (c) => {
      c.rate('b1');
      c.rate('b2');
      c.positive('eps');
      c.boolean('amsgrad');
    },
  );
  const out: Fusable<AdamState> = {
    name: 'scaleByAdam',
    init: (params) => initAdamState(params, amsgrad),
    update(grads, state) {
      const { state: next, direction } = adamMoments(grads, state, b1, b2, eps, amsgrad);
      return { updates: direction, state: next };
    },
  };
  // followed by scaleByLearningRate (fused.ts): θ′ in the moments' pass, bitwise what
  // update + scaleByLearningRate + θ + u give (AMSGrad's running maximum keeps the chain). The
  // step consumes θ, m and v (a step's caller disposes them anyway), so where nothing else
  // reads them the backend may write the results over them (in place on `wasm`).
  if (!amsgrad) {
    out[APPLY_SCALED] = (grads, state, params, rate) => {
      const t = state.count + 1;
      const h = { beta1: b1, beta2: b2, eps, step: t, lr: rate, inPlace: true };
      const steps = grads.map((g, i) => adamStep(params[i], g, state.mu[i], state.nu[i], h));
      return {
        params: steps.map((s) => s.theta),
        state: { count: t, mu: steps.map((s) => s.m), nu: steps.map((s) => s.v), nuMax: [] },
      };
    };
  }
  return out;
}

/** Hyperparameters of {@link Adam}. */
export interface AdamOptions {
  /** Learning rate, or a schedule (default 1e-3). */
  lr: number | Schedule;
  /** β₁ in [0, 1) (default 0.9). */
  beta1: number;
  /** β₂ in [0, 1) (default 0.999). */
  beta2: number;
  /** ε > 0 (default 1e-8). */
  eps: number;
  /** Coupled L2 weight decay λ ≥ 0 (default 0; for decoupled decay use AdamW). */
  weightDecay: number;
  /** Use the running maximum of v (AMSGrad). */
  amsgrad: boolean;
}

/** Validation shared by the Adam family. @internal */
export function validateAdam(check: HyperparameterCheck): void {
  check.learningRate('lr');
  check.rate('beta1');
  check.rate('beta2');
  check.positive('eps');
  check.nonNegative('weightDecay');
  check.boolean('amsgrad');
}

export const ADAM_SPEC: OptimizerSpec<AdamOptions> = {
  name: 'Adam',
  defaults: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false },
  validate: (check) => validateAdam(check),
  transformation: (o) =>
    chain(
      addDecayedWeights(o.weightDecay),
      scaleByAdam({ b1: o.beta1, b2: o.beta2, eps: o.eps, amsgrad: o.amsgrad }),
      scaleByLearningRate(o.lr),
    ),
};

/** Adam as a pure transformation (see {@link Adam}). */
export const adam = pureForm(ADAM_SPEC, 'adam');

/** Adam / AMSGrad with coupled weight decay, as `torch.optim.Adam`. */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: OptimizerParams<AdamOptions>, options: OptimizerOptions<AdamOptions> = {}) {
    super(ADAM_SPEC, params, options);
  }
}
