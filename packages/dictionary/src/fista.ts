import {
  abs,
  add,
  keep,
  matmul,
  mul,
  softThreshold,
  square,
  sub,
  sum,
  type Tensor,
  tensor,
  tidy,
  zeros,
} from '@sparsekit/tensor';
import { checkBoolean, checkInteger, checkOptions, checkPositive, type MatrixInput, readCoding } from './validate.js';

/** Options of {@link fista}. */
export interface FistaOptions {
  /** L1 weight α ≥ 0 of ½‖xᵢ − cᵢD‖² + α‖cᵢ‖₁. Required. */
  alpha: number;
  /** Largest number of iterations. Default 1000. */
  maxIter?: number;
  /** Stop when the batch objective changes by at most tol relative to itself. Default 1e-6. */
  tol?: number;
  /** Nesterov acceleration (FISTA); false runs plain ISTA. Default true. */
  accelerated?: boolean;
}

export const FISTA_KEYS = ['alpha', 'maxIter', 'tol', 'accelerated'] as const;

/**
 * Lasso codes for every row of X over the atoms (rows) of D by FISTA with backtracking (Beck
 * & Teboulle 2009, "A fast iterative shrinkage-thresholding algorithm for linear inverse
 * problems", SIAM J. Imaging Sci. 2(1)), solving for each signal
 *
 *   min_c ½‖x − cD‖² + α‖c‖₁.
 *
 * One step from the extrapolated point Y: P = S(Y − ∇f(Y)/L, α/L) with ∇f(Y) = (YD − X)Dᵀ and
 * S the soft threshold, accepted when f(P) ≤ f(Y) + ⟨P − Y, ∇f(Y)⟩ + L/2‖P − Y‖², else L ← 2L.
 * For this quadratic f that test is exactly ‖(P − Y)D‖² ≤ L‖P − Y‖², which is how it is
 * evaluated: no difference of two large float32 sums. Then t' = (1 + √(1 + 4t²))/2 and
 * Y' = P + ((t − 1)/t')(P − P_prev). All signals share one L (the problem is separable, so
 * the summed test bounds each signal's), and every step is a whole-batch tensor kernel
 * (two matmuls, one fused soft-threshold, reductions), so it runs where the tensors live.
 *
 * @param X signals as rows, nSamples × nFeatures.
 * @param D dictionary, atoms as rows, nComponents × nFeatures.
 * @returns the codes, nSamples × nComponents.
 * @throws ShapeError when D's width differs from X's; ValueError on NaN/Inf, a bad option
 *   value or an unknown option.
 */
export function fista(X: MatrixInput, D: MatrixInput, options: FistaOptions): Tensor {
  checkOptions('fista', options, FISTA_KEYS);
  return fistaCodes('fista', X, D, options ?? ({} as FistaOptions)).codes;
}

/** Validates and runs FISTA; shared with `sparseEncode`. @internal */
export function fistaCodes(
  fn: string,
  Xin: unknown,
  Din: unknown,
  options: FistaOptions,
): { codes: Tensor; nIter: number } {
  const alpha = checkPositive(fn, 'alpha', options.alpha, true);
  const maxIter = checkInteger(fn, 'maxIter', options.maxIter ?? 1000, 1);
  const tol = checkPositive(fn, 'tol', options.tol ?? 1e-6);
  const accelerated = checkBoolean(fn, 'accelerated', options.accelerated ?? true);
  const { X, D } = readCoding(fn, Xin, Din, true);
  const [nSamples, n, k] = [X.rows, X.cols, D.rows];
  // Start L at max‖dⱼ‖², a lower bound on ‖D‖₂² = λ_max(DDᵀ); backtracking only raises it.
  let L = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += D.data[j * n + t]! ** 2;
    L = Math.max(L, s);
  }
  if (L === 0) L = 1;
  const Xt = tensor(X.data, [nSamples, n]);
  const Dt = tensor(D.data, [k, n]);
  let P = zeros([nSamples, k]);
  let PD = zeros([nSamples, n]);
  let Pprev = P;
  let PprevD = PD;
  let t = 1;
  let F = tidy(() => 0.5 * sum(square(Xt)).itemSync());
  let nIter = 0;
  const drop = (...ts: Tensor[]) => {
    for (const x of new Set(ts)) if (!x.isDisposed && x !== Xt && x !== Dt) x.dispose();
  };
  try {
    while (nIter < maxIter) {
      nIter++;
      const beta = accelerated ? (t - 1) / ((1 + Math.sqrt(1 + 4 * t * t)) / 2) : 0;
      const step = tidy(() => {
        const Y = beta === 0 ? P : add(P, mul(sub(P, Pprev), beta)).materializeSync();
        const YD = beta === 0 ? PD : add(PD, mul(sub(PD, PprevD), beta)).materializeSync();
        const grad = matmul(sub(YD, Xt), Dt, { transposeB: true }).materializeSync();
        for (;;) {
          const next = softThreshold(sub(Y, mul(grad, 1 / L)), alpha / L).materializeSync();
          const diff = sub(next, Y).materializeSync();
          const diffD = matmul(diff, Dt).materializeSync();
          const lhs = sum(square(diffD)).itemSync();
          const rhs = L * sum(square(diff)).itemSync();
          // The slack covers float32 rounding of the two sums, not the test itself.
          if (lhs <= rhs * (1 + 1e-6)) {
            const nextD = add(YD, diffD).materializeSync();
            const objective = 0.5 * sum(square(sub(nextD, Xt))).itemSync() + alpha * sum(abs(next)).itemSync();
            return { next: keep(next), nextD: keep(nextD), objective };
          }
          L *= 2;
        }
      });
      // The first step's P_prev is P itself (both zero).
      if (Pprev !== P) drop(Pprev, PprevD);
      Pprev = P;
      PprevD = PD;
      P = step.next;
      PD = step.nextD;
      t = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
      const change = Math.abs(F - step.objective);
      F = step.objective;
      if (change <= tol * Math.max(F, Number.MIN_VALUE)) break;
    }
    drop(Pprev, PprevD, PD);
    return { codes: P, nIter };
  } finally {
    Xt.dispose();
    Dt.dispose();
  }
}
