import { checkOptions, describeValue, isTensor, Random, type Tensor, tensor, ValueError } from '@sparsekit/tensor';
import { noGrad, tidy, type Variable, variable } from './variable.js';

/** Options of {@link gradCheck}. */
export interface GradCheckOptions {
  /** Finite-difference step h (default 1e-2; see {@link gradCheck} for why not smaller). */
  eps?: number;
  /** Largest acceptable error per element (default 1e-2). */
  tol?: number;
  /**
   * Magnitude below which errors count as absolute rather than relative (default 1e-2):
   * error = |analytic − numeric| / max(|analytic|, |numeric|, floor).
   */
  floor?: number;
  /** Seed of the random projection of a non-scalar output (default 0). */
  seed?: number;
}

/** The worst element of one input. */
export interface GradCheckEntry {
  /** Worst error over the input's elements (0 for an empty input). */
  maxError: number;
  /** Flat index of that element. */
  index: number;
  analytic: number;
  numeric: number;
}

/** The result of {@link gradCheck}. */
export interface GradCheckResult {
  /** Whether every input's worst error is within `tol`. */
  ok: boolean;
  /** One entry per input. */
  inputs: GradCheckEntry[];
  /** The worst error over all inputs. */
  maxError: number;
}

/**
 * Compares the analytic gradient of `f` with central finite differences,
 * ∇L ≈ (L(θ + h) − L(θ − h)) / 2h, element by element, and reports the worst relative
 * error per input.
 *
 * `f` may return any shape: it is reduced to the scalar L = Σ wᵢ·f(x)ᵢ with fixed random
 * weights w (seeded), so every output element is checked at once. The ops run in float32
 * (the only dtype the tensor package has), but everything around them runs in float64 on
 * the host: L is summed in float64 from the read-back outputs, and the step uses the
 * perturbations actually representable in float32 (x ± h rounded), not the nominal 2h.
 * Float32 rounding of f(x) (~6e-8 relative) divided by 2h sets the noise floor, and the
 * truncation error grows as h²·f‴/6: h = 1e-2 balances the two (noise ~1e-5, truncation
 * ~1e-5·f‴), hence the defaults eps = 1e-2, tol = 1e-2. Keep inputs at least 2h away from
 * kinks (relu, abs at 0; ties of max) where no finite difference matches a subgradient.
 * Needs a backend with synchronous readback (cpu, webasm, headlessgl).
 */
export function gradCheck(
  f: (...xs: Variable[]) => Variable,
  inputs: readonly Tensor[],
  options: GradCheckOptions = {},
): GradCheckResult {
  if (typeof f !== 'function')
    throw new ValueError(
      'gradCheck',
      `f must be a function of Variables returning a Variable, got ${describeValue(f)}`,
    );
  if (!Array.isArray(inputs))
    throw new ValueError('gradCheck', `inputs must be an array of Tensors, got ${describeValue(inputs)}`);
  inputs.forEach((x, i) => {
    if (!isTensor(x)) throw new ValueError('gradCheck', `inputs[${i}] must be a Tensor, got ${describeValue(x)}`);
  });
  checkOptions('gradCheck', options, ['eps', 'tol', 'floor', 'seed']);
  if (options.seed !== undefined && !Number.isInteger(options.seed))
    throw new ValueError('gradCheck', `options.seed must be an integer, got ${describeValue(options.seed)}`);
  const eps = options.eps ?? 1e-2;
  const tol = options.tol ?? 1e-2;
  const floor = options.floor ?? 1e-2;
  for (const [name, v] of [
    ['eps', eps],
    ['tol', tol],
    ['floor', floor],
  ] as const) {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
      throw new ValueError('gradCheck', `options.${name} must be a finite number > 0, got ${describeValue(v)}`);
  }
  const hostInputs = inputs.map((x) => Float64Array.from(x.dataSync()));

  // Analytic: backward seeded with the projection weights.
  let weights: Float32Array | null = null;
  const analytic = tidy(() => {
    const vars = inputs.map((x) => variable(x));
    const out = f(...vars);
    if (out === null || typeof out !== 'object' || !isTensor((out as Variable).value)) {
      throw new ValueError('gradCheck', `f must return a Variable, got ${describeValue(out)}`);
    }
    const rng = new Random(options.seed ?? 0);
    weights = new Float32Array(out.size);
    for (let i = 0; i < weights.length; i++) weights[i] = rng.uniform() * 2 - 1;
    if (out.requiresGrad) out.backward(tensor(weights, out.shape));
    return vars.map((v) => {
      const g = v.grad ? Float64Array.from(v.grad.dataSync()) : new Float64Array(v.size);
      v.grad?.dispose();
      return g;
    });
  });
  const w = weights as unknown as Float32Array;

  const loss = (xs: Float64Array[]): number =>
    tidy(() =>
      noGrad(() => {
        const ts = xs.map((x, i) => tensor(Float32Array.from(x), inputs[i].shape));
        const y = f(...ts.map((t) => variable(t, { requiresGrad: false }))).value.dataSync();
        let s = 0;
        for (let i = 0; i < y.length; i++) s += w[i] * y[i];
        return s;
      }),
    );

  const entries = hostInputs.map((x, k): GradCheckEntry => {
    const worst: GradCheckEntry = { maxError: 0, index: -1, analytic: 0, numeric: 0 };
    for (let j = 0; j < x.length; j++) {
      const x0 = x[j];
      const up = Math.fround(x0 + eps);
      const down = Math.fround(x0 - eps);
      x[j] = up;
      const lUp = loss(hostInputs);
      x[j] = down;
      const lDown = loss(hostInputs);
      x[j] = x0;
      const numeric = (lUp - lDown) / (up - down);
      const a = analytic[k][j];
      const err = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), floor);
      if (err > worst.maxError || worst.index < 0 || Number.isNaN(err)) {
        if (worst.index < 0 || !(err <= worst.maxError))
          Object.assign(worst, { maxError: Number.isNaN(err) ? Infinity : err, index: j, analytic: a, numeric });
      }
    }
    if (worst.index < 0) worst.maxError = 0;
    return worst;
  });
  const maxError = entries.reduce((m, e) => Math.max(m, e.maxError), 0);
  return { ok: maxError <= tol, inputs: entries, maxError };
}
