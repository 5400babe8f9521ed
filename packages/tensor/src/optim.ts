// Optimizer update rules that a backend can run as one kernel: the ops behind the optimizers
// package's updates where several outputs come from one pass over the same inputs.

import { current } from './backend.js';
import { add, div, mul, sqrt, square } from './elementwise.js';
import { checkOptions, describeValue, formatShape, ShapeError, sameShape, ValueError } from './errors.js';
import { assertTensor } from './internal.js';
import { defineKernel, runKernel, runVariant } from './kernels/registry.js';
import { reshape, sliceRows } from './manipulate.js';
import { canTakeOver, takeOver } from './memory.js';
import { type DeviceValue, Tensor, VALUE } from './tensor.js';

/** Hyperparameters of {@link adamMoments}. */
export interface AdamMomentsOptions {
  /** β₁ in [0, 1): the decay of the first moment. */
  beta1: number;
  /** β₂ in [0, 1): the decay of the second moment. */
  beta2: number;
  /** ε > 0, added to the bias-corrected √v. */
  eps: number;
  /** The 1-based step count t of the bias corrections 1 − βᵗ. */
  step: number;
}

/** The new moments and the bias-corrected update direction of {@link adamMoments}. */
export interface AdamMoments {
  /** m' = β₁·m + (1 − β₁)·g */
  m: Tensor;
  /** v' = β₂·v + (1 − β₂)·g² */
  v: Tensor;
  /** (m' / (1 − β₁ᵗ)) / (√v' / √(1 − β₂ᵗ) + ε), Adam's direction before the learning rate */
  update: Tensor;
}

/** Parameters of the packed `adamMoments` kernel (a backend variant only). @internal */
export interface AdamMomentsParams {
  readonly g: Tensor;
  readonly m: Tensor;
  readonly v: Tensor;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly step: number;
}

/** Parameters of the packed `adamStep` kernel (a backend variant only). @internal */
export interface AdamStepParams extends AdamMomentsParams {
  readonly theta: Tensor;
  readonly lr: number;
}

/** Hyperparameters of {@link adamStep}: those of {@link adamMoments} and the learning rate. */
export interface AdamStepOptions extends AdamMomentsOptions {
  /** The learning rate lr ≥ 0 (a schedule may reach 0). */
  lr: number;
  /**
   * Consume `theta`, `m` and `v` (default false): the call disposes them, and where the backend
   * can and nothing else reads them (on `wasm`: realised, no view of them, no lazy op waiting on
   * them) the step runs now, in place, and the results take over their memory. The values are
   * bitwise the same either way.
   */
  inPlace?: boolean;
}

/** The new parameters and moments of {@link adamStep}. */
export interface AdamStepResult {
  /** θ' = θ + update·(−lr) */
  theta: Tensor;
  /** m' = β₁·m + (1 − β₁)·g */
  m: Tensor;
  /** v' = β₂·v + (1 − β₂)·g² */
  v: Tensor;
}

/** Parameters of the `part` kernel: cells [offset, offset + size(shape)) of `x`, as `shape`. @internal */
export interface PartParams {
  readonly x: Tensor;
  readonly offset: number;
  readonly shape: readonly number[];
}

// Generic: one row of x viewed as [cells / size, size] (a copy); a backend with views aliases it.
const PART = defineKernel<PartParams>('part', ({ x, offset, shape }) => {
  const size = shape.reduce((p, d) => p * d, 1);
  const rows = reshape(x, [x.size / size, size]);
  return reshape(sliceRows(rows, offset / size, offset / size + 1), shape);
});

function checkRate(op: string, name: string, x: unknown): number {
  if (typeof x !== 'number' || !(x >= 0 && x < 1))
    throw new ValueError(op, `options.${name} must be a number in [0, 1), got ${describeValue(x)}`);
  return x;
}

/**
 * One Adam moment update (Kingma & Ba, 2015) for gradient `g` and moments `m`, `v` of its
 * shape, without the learning rate: the new moments and the bias-corrected direction
 * m̂ / (√v̂ + ε). The inputs are left alone (lazy outputs, like every op). On the `wasm` backend
 * the three come from one pass over g, m and v (a packed kernel split without copies); elsewhere
 * they are three fused elementwise chains. A step is then θ − lr·update.
 */
export function adamMoments(g: Tensor, m: Tensor, v: Tensor, options: AdamMomentsOptions): AdamMoments {
  const { beta1, beta2, eps, step } = checkMoments('adamMoments', g, m, v, options, []);
  const packed = g.size > 0 ? runVariant<AdamMomentsParams>('adamMoments', { g, m, v, beta1, beta2, eps, step }) : null;
  if (packed) {
    const [mu, nu, update] = unpack(packed, g.shape);
    return { m: mu, v: nu, update };
  }
  const mu = add(mul(m, beta1), mul(g, 1 - beta1));
  const nu = add(mul(v, beta2), mul(square(g), 1 - beta2));
  const denom = add(div(sqrt(nu), Math.sqrt(1 - beta2 ** step)), eps);
  return { m: mu, v: nu, update: div(div(mu, denom), 1 - beta1 ** step) };
}

/**
 * One whole Adam step without weight decay (Kingma & Ba, 2015): the new parameters
 * θ' = θ + {@link adamMoments}' update · (−lr) and the new moments, for parameters `theta`,
 * gradient `g` and moments `m`, `v` of one shape. The result is, on every backend, bitwise
 * what `adamMoments` followed by `add(theta, mul(update, -lr))` gives; on the `wasm` backend
 * it comes from one pass over θ, g, m and v (the update is never written out), elsewhere from
 * those ops. The inputs are left alone (lazy outputs, like every op).
 */
export function adamStep(theta: Tensor, g: Tensor, m: Tensor, v: Tensor, options: AdamStepOptions): AdamStepResult {
  const op = 'adamStep';
  assertTensor(op, 'theta', theta);
  const {
    beta1,
    beta2,
    eps,
    step,
    lr,
    inPlace = false,
  } = checkMoments(op, g, m, v, options, ['lr', 'inPlace']) as AdamStepOptions;
  if (!sameShape(theta.shape, g.shape))
    throw new ShapeError(op, `theta must have g's shape ${formatShape(g.shape)}, got ${formatShape(theta.shape)}`);
  if (typeof lr !== 'number' || !(lr >= 0) || lr === Infinity)
    throw new ValueError(op, `options.lr must be a finite number >= 0, got ${describeValue(lr)}`);
  if (typeof inPlace !== 'boolean')
    throw new ValueError(op, `options.inPlace must be a boolean, got ${describeValue(inPlace)}`);
  if (inPlace) {
    const done = stepInPlace(theta, g, m, v, { beta1, beta2, eps, step, lr });
    if (done) return done;
  }
  const out = stepOutOfPlace(theta, g, m, v, { beta1, beta2, eps, step, lr });
  if (inPlace) for (const x of [theta, m, v]) x.dispose();
  return out;
}

// θ', m', v' as lazy tensors: one packed pass on wasm, else adamMoments' chains and θ + u·(−lr)
function stepOutOfPlace(theta: Tensor, g: Tensor, m: Tensor, v: Tensor, h: AdamStepOptions): AdamStepResult {
  const { beta1, beta2, eps, step, lr } = h;
  const params = { theta, g, m, v, beta1, beta2, eps, step, lr };
  const packed = g.size > 0 ? runVariant<AdamStepParams>('adamStep', params) : null;
  if (packed) {
    const [mu, nu, next] = unpack(packed, g.shape);
    return { theta: next, m: mu, v: nu };
  }
  const r = adamMoments(g, m, v, { beta1, beta2, eps, step });
  const next = add(theta, mul(r.update, -lr));
  // the lazy θ' holds what it reads; the caller never sees the update
  r.update.dispose();
  return { theta: next, m: r.m, v: r.v };
}

// The step run now, over θ, m and v's own memory, where the backend has an in-place Adam and
// nothing else can read that memory (g realised on the device too); null, changing nothing, otherwise.
function stepInPlace(theta: Tensor, g: Tensor, m: Tensor, v: Tensor, h: AdamStepOptions): AdamStepResult | null {
  const backend = current();
  const adapter = backend.adapter;
  if (!adapter.adamInPlace || g.size === 0) return null;
  const gv = g[VALUE];
  if (!gv || gv instanceof Float32Array || new Set([theta, m, v, g]).size < 4) return null;
  if (![theta, m, v].every(canTakeOver)) return null;
  const [tv, mv, vv] = [theta, m, v].map((x) => x[VALUE] as DeviceValue);
  if (!adapter.adamInPlace(gv, mv, vv, tv, g.size, h)) return null;
  backend.stats.calls++;
  const make = (shape: readonly number[]): Tensor => Tensor.make(shape, null, null);
  return { theta: takeOver(theta, make), m: takeOver(m, make), v: takeOver(v, make) };
}

/** The three `n`-cell parts of a packed [3, …shape] result; the packed tensor is freed once they no longer need it. */
function unpack(packed: Tensor, shape: readonly number[]): [Tensor, Tensor, Tensor] {
  const size = shape.reduce((p, d) => p * d, 1);
  const part = (k: number): Tensor => runKernel(PART, { x: packed, offset: k * size, shape });
  const out: [Tensor, Tensor, Tensor] = [part(0), part(1), part(2)];
  // the caller never sees the packed tensor
  packed.dispose();
  return out;
}

/** adamMoments' and adamStep's checks of g, m, v and the moment hyperparameters (plus the `extra` option keys). */
function checkMoments(
  op: string,
  g: Tensor,
  m: Tensor,
  v: Tensor,
  options: AdamMomentsOptions,
  extra: readonly string[],
): AdamMomentsOptions {
  assertTensor(op, 'g', g);
  assertTensor(op, 'm', m);
  assertTensor(op, 'v', v);
  for (const [name, x] of [
    ['m', m],
    ['v', v],
  ] as const) {
    if (!sameShape(x.shape, g.shape))
      throw new ShapeError(op, `${name} must have g's shape ${formatShape(g.shape)}, got ${formatShape(x.shape)}`);
  }
  if (options === null || typeof options !== 'object')
    throw new ValueError(op, `options must be an object, got ${describeValue(options)}`);
  checkOptions(op, options, ['beta1', 'beta2', 'eps', 'step', ...extra]);
  const beta1 = checkRate(op, 'beta1', options.beta1);
  const beta2 = checkRate(op, 'beta2', options.beta2);
  const { eps, step } = options;
  if (typeof eps !== 'number' || !(eps > 0) || eps === Infinity)
    throw new ValueError(op, `options.eps must be a finite number > 0, got ${describeValue(eps)}`);
  if (!Number.isInteger(step) || step < 1)
    throw new ValueError(op, `options.step must be an integer >= 1, got ${describeValue(step)}`);
  return { ...options, beta1, beta2 };
}
