// Experiment 3: a sparse linear model with a known support, recovered exactly by the Lasso
// (the dictionary package's coordinate descent with duality-gap stopping), and stored as CSR.
import { Lasso, lassoPath } from '@sparsekit/dictionary';
import { CsrTensor, Random } from '@sparsekit/tensor';
import { throwIfAborted } from './abort.js';
import { resolveConfig } from './config.js';
import type { DemoConfig, LassoResult, RunHooks } from './types.js';

/** Points on the regularization path (log-spaced from α_max down to α_max·PATH_EPS). */
export const PATH_POINTS = 24;
const PATH_EPS = 1e-3;

/** A seeded sparse regression problem y = X·w* + noise·ε with `support` non-zeros in w*. */
export interface SparseRegression {
  /** Row-major samples × features, entries N(0, 1). */
  x: Float64Array;
  y: Float64Array;
  /** w*: ±(1 + U(0, 1)) on the support, exactly 0 elsewhere. */
  truth: Float64Array;
  support: number[];
}

/** Draws the problem of `config.lasso` from the stream of `seed`. */
export function sparseRegression(config: DemoConfig['lasso'], seed: number): SparseRegression {
  const { samples: n, features: d, support: k, noise } = config;
  const rng = new Random(seed);
  const truth = new Float64Array(d);
  const support = Array.from(rng.permutation(d).subarray(0, k)).sort((a, b) => a - b);
  for (const j of support) truth[j] = (rng.uniform() < 0.5 ? -1 : 1) * (1 + rng.uniform());
  const x = new Float64Array(n * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const j of support) s += x[i * d + j] * truth[j];
    y[i] = s + noise * rng.normal();
  }
  return { x, y, truth, support };
}

/**
 * The strength of the "universal" choice α = 2σ·√(2·ln d / n) (Bickel, Ritov & Tsybakov
 * 2009, "Simultaneous analysis of Lasso and Dantzig selector"; the factor 2 absorbs the
 * noise's largest correlation with a column, σ√(2 ln d / n)), floored at α_max/100 so a
 * noiseless problem still gets a penalty. Prediction-optimal cross-validation picks a smaller
 * α that keeps false positives; this one targets the support.
 */
export function supportAlpha(noise: number, samples: number, features: number, alphaMax: number): number {
  return Math.max(2 * noise * Math.sqrt((2 * Math.log(Math.max(features, 2))) / samples), alphaMax / 100);
}

/**
 * Runs the experiment: the Lasso path over {@link PATH_POINTS} α log-spaced below α_max (the
 * grid of `lassoPath`; one `Lasso` fit per α), then the fit at {@link supportAlpha}. The
 * support found is compared with the true one; the coefficients are stored as CSR.
 */
export async function runLasso(given: DemoConfig, hooks: RunHooks = {}): Promise<LassoResult> {
  const config = resolveConfig(given);
  const started = performance.now();
  const emit = hooks.onEvent ?? (() => {});
  const { samples: n, features: d, noise } = config.lasso;
  const problem = sparseRegression(config.lasso, config.seed);
  const design = { data: problem.x, shape: [n, d] };
  const fitAt = (alpha: number): Float64Array => new Lasso({ alpha, fitIntercept: false }).fit(design, problem.y).coef;
  const alphas = Array.from(lassoPath(design, problem.y, { nAlphas: 1 }).alphas);
  const alphaMax = alphas[0];
  const grid = Array.from({ length: PATH_POINTS }, (_, i) => alphaMax * PATH_EPS ** (i / (PATH_POINTS - 1)));
  const steps = grid.length + 1;
  const path: LassoResult['path'] = [];
  for (const [i, alpha] of grid.entries()) {
    path.push({ alpha, nonZeros: fitAt(alpha).reduce((c, w) => c + (w !== 0 ? 1 : 0), 0) });
    emit({ type: 'lasso-step', step: i + 1, steps });
    throwIfAborted(hooks.signal);
  }
  const alpha = supportAlpha(noise, n, d, alphaMax);
  const coef = fitAt(alpha);
  emit({ type: 'lasso-step', step: steps, steps });
  const coefficients = Array.from(coef);
  const foundSupport = coefficients.flatMap((w, j) => (w !== 0 ? [j] : []));
  const csr = CsrTensor.fromArray(Float32Array.from(coef), [1, d]);
  return {
    samples: n,
    features: d,
    trueSupport: problem.support,
    foundSupport,
    recovered: foundSupport.length === problem.support.length && foundSupport.every((j, i) => j === problem.support[i]),
    alpha,
    coefficients,
    trueCoefficients: Array.from(problem.truth),
    path,
    bytesDense: csr.denseBytes,
    bytesCsr: csr.bytes,
    seconds: (performance.now() - started) / 1000,
  };
}
