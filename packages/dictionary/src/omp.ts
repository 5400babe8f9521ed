import { ShapeError, type Tensor, tensor, ValueError } from '@sparsekit/tensor';
import { correlations, gramMatrix, rowSquaredNorms } from './gram.js';
import { runAsync, runSync, type Steps } from './steps.js';
import { checkInteger, checkOptions, checkPositive, type MatrixInput, readCodingSteps } from './validate.js';

/**
 * Sparse codes of a batch of signals in CSR form over the samples: the codes of sample `i`
 * are `values[indptr[i] .. indptr[i + 1]]` at atoms `indices[indptr[i] .. indptr[i + 1]]`
 * (atom indices ascending within a row).
 */
export interface CsrCodes {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Stopping rule of {@link batchOmp}; at least one of `nNonzeroCoefs` and `tol` is given. */
export interface BatchOmpOptions {
  /** Largest number of atoms per signal. */
  nNonzeroCoefs?: number;
  /**
   * Target squared residual norm ‖x − Dᵀγ‖² per signal (scikit-learn's `tol` of
   * `orthogonal_mp_gram`). Needs `sqNorms`. With `nNonzeroCoefs` as well, a signal stops at
   * whichever is reached first.
   */
  tol?: number;
  /** ‖xᵢ‖² per signal, needed by `tol`. */
  sqNorms?: Float32Array | Float64Array;
}

/**
 * Batch-OMP (Rubinstein, Zibulevsky & Elad 2008, "Efficient implementation of the K-SVD
 * algorithm using Batch Orthogonal Matching Pursuit", Technion CS-2008-08, Algorithm 3):
 * orthogonal matching pursuit driven only by the Gram matrix G = DDᵀ and the correlations
 * α⁰ = Dx, so a signal costs O(k·s²)-ish arithmetic on k-vectors instead of touching x.
 *
 * Per signal, with I the selected atoms and L the Cholesky factor of G_II (grown one row at
 * a time):
 *
 *   λ = argmaxⱼ |αⱼ|;  w = L⁻¹ G_{I,λ};  L ← [[L, 0], [wᵀ, √(G_λλ − wᵀw)]];  I ← I ∪ {λ}
 *   γ_I = (LLᵀ)⁻¹ α⁰_I;  β = G_{:,I} γ_I;  α = α⁰ − β
 *
 * and, for an error target, the residual energy is tracked without the residual:
 * εₙ = εₙ₋₁ − δₙ + δₙ₋₁ with δₙ = γ_Iᵀ β_I (ε₀ = ‖x‖²).
 *
 * Stops like scikit-learn's `orthogonal_mp_gram`: at `nNonzeroCoefs` atoms, or when εₙ ≤ tol,
 * or early when the best correlation squared falls below float64 epsilon or the new atom is
 * linearly dependent on the selected ones (G_λλ − wᵀw ≤ eps). Unlike scikit-learn, a signal
 * whose energy ‖x‖² is already ≤ tol gets no atoms (as in OMP-Box).
 *
 * @param gram G = DDᵀ, k×k row-major (D holds the atoms as rows).
 * @param DtX nSamples×k row-major; row i is D·xᵢ.
 * @param nComponents k, the number of atoms.
 */
export function batchOmp(
  gram: Float64Array | Float32Array,
  DtX: Float32Array,
  nComponents: number,
  opts: BatchOmpOptions,
): CsrCodes {
  const k = nComponents;
  if (!Number.isInteger(k) || k < 1) {
    throw new ValueError('batchOmp', `nComponents must be a positive integer, got ${k}`);
  }
  if (gram.length !== k * k) {
    throw new ShapeError('batchOmp', `gram must hold k×k = ${k * k} values for k = ${k}, got ${gram.length}`);
  }
  if (DtX.length % k !== 0) {
    throw new ShapeError('batchOmp', `DtX must hold nSamples×${k} values, got ${DtX.length}`);
  }
  const nSamples = DtX.length / k;
  const { nNonzeroCoefs, tol, sqNorms } = opts;
  if (nNonzeroCoefs === undefined && tol === undefined) {
    throw new ValueError('batchOmp', 'expected nNonzeroCoefs or tol, got neither');
  }
  if (nNonzeroCoefs !== undefined && (!Number.isInteger(nNonzeroCoefs) || nNonzeroCoefs < 1 || nNonzeroCoefs > k)) {
    throw new ValueError('batchOmp', `nNonzeroCoefs must be an integer in [1, ${k}], got ${nNonzeroCoefs}`);
  }
  if (tol !== undefined) {
    if (!(tol > 0) || !Number.isFinite(tol)) {
      throw new ValueError('batchOmp', `tol must be a finite number > 0, got ${tol}`);
    }
    if (sqNorms === undefined || sqNorms.length !== nSamples) {
      throw new ShapeError(
        'batchOmp',
        `tol needs sqNorms with one value per sample (${nSamples}), got ${sqNorms?.length ?? 'none'}`,
      );
    }
  }
  const maxAtoms = nNonzeroCoefs ?? k;
  const useTol = tol !== undefined;
  const target = tol ?? 0;

  const G = gram instanceof Float64Array ? gram : Float64Array.from(gram);
  const alpha = new Float64Array(k);
  const alpha0 = new Float64Array(k);
  const L = new Float64Array(maxAtoms * maxAtoms);
  const sel = new Int32Array(maxAtoms);
  const a0sel = new Float64Array(maxAtoms);
  const gamma = new Float64Array(maxAtoms);
  const tmp = new Float64Array(maxAtoms);
  const order = new Int32Array(maxAtoms);

  const indptr = new Int32Array(nSamples + 1);
  let capacity = Math.max(16, nSamples * Math.min(maxAtoms, 32));
  let indices = new Int32Array(capacity);
  let values = new Float32Array(capacity);
  let nnz = 0;
  const EPS = 2.220446049250313e-16;

  for (let s = 0; s < nSamples; s++) {
    const off = s * k;
    for (let j = 0; j < k; j++) {
      alpha0[j] = DtX[off + j]!;
    }
    let n = 0;
    let err = useTol ? sqNorms![s]! : 0;
    let delta = 0;
    // The first pick: argmax |α⁰|. Later picks are fused into the pass that updates α.
    let lam = 0;
    let best = -1;
    for (let j = 0; j < k; j++) {
      const a = Math.abs(alpha0[j]!);
      if (a > best) {
        best = a;
        lam = j;
      }
    }
    while (n < maxAtoms && !(useTol && err <= target)) {
      // Same early stops as scikit-learn: a vanishing correlation, or the best atom is one
      // already selected (its residual correlation is zero up to rounding).
      if (best * best < EPS) break;
      let again = false;
      for (let i = 0; i < n; i++) if (sel[i] === lam) again = true;
      if (again) break;
      const lamRow = lam * k;
      if (n > 0) {
        // w = L⁻¹ G_{I,λ} by forward substitution into row n of L.
        const rn = n * maxAtoms;
        let ww = 0;
        for (let i = 0; i < n; i++) {
          const ri = i * maxAtoms;
          let v = G[lamRow + sel[i]!]!;
          for (let j = 0; j < i; j++) v -= L[ri + j]! * L[rn + j]!;
          v /= L[ri + i]!;
          L[rn + i] = v;
          ww += v * v;
        }
        const lkk = G[lamRow + lam]! - ww;
        if (lkk <= EPS) break;
        L[rn + n] = Math.sqrt(lkk);
      } else {
        const g = G[lamRow + lam]!;
        if (g <= EPS) break;
        L[0] = Math.sqrt(g);
      }
      sel[n] = lam;
      a0sel[n] = alpha0[lam]!;
      n++;
      // γ = (LLᵀ)⁻¹ α⁰_I: forward, then backward substitution.
      for (let i = 0; i < n; i++) {
        const ri = i * maxAtoms;
        let v = a0sel[i]!;
        for (let j = 0; j < i; j++) v -= L[ri + j]! * tmp[j]!;
        tmp[i] = v / L[ri + i]!;
      }
      for (let i = n - 1; i >= 0; i--) {
        let v = tmp[i]!;
        for (let j = i + 1; j < n; j++) v -= L[j * maxAtoms + i]! * gamma[j]!;
        gamma[i] = v / L[i * maxAtoms + i]!;
      }
      if (useTol) {
        // δₙ = γ_Iᵀ β_I with β_I = G_II γ_I = L(Lᵀγ_I) = α⁰_I, so δₙ = γ_Iᵀ α⁰_I.
        let d = 0;
        for (let i = 0; i < n; i++) d += gamma[i]! * a0sel[i]!;
        err += delta - d;
        delta = d;
        if (err <= target || n === maxAtoms) break;
      } else if (n === maxAtoms) break;
      // α = α⁰ − Σᵢ γᵢ G[Iᵢ, :] (G is symmetric, so its rows are its columns), four atoms a
      // pass; the last pass also finds the next argmax |α|.
      let i0 = 0;
      let src = alpha0;
      while (n - i0 > 4) {
        const g0 = gamma[i0]!,
          g1 = gamma[i0 + 1]!,
          g2 = gamma[i0 + 2]!,
          g3 = gamma[i0 + 3]!;
        const r0 = sel[i0]! * k,
          r1 = sel[i0 + 1]! * k,
          r2 = sel[i0 + 2]! * k,
          r3 = sel[i0 + 3]! * k;
        for (let j = 0; j < k; j++) {
          alpha[j] = src[j]! - g0 * G[r0 + j]! - g1 * G[r1 + j]! - g2 * G[r2 + j]! - g3 * G[r3 + j]!;
        }
        src = alpha;
        i0 += 4;
      }
      // The last pass takes the remaining 1–4 atoms, each count its own loop so no row is
      // loaded with a zero weight, and finds the next argmax |α| as it goes.
      const m = n - i0;
      const g0 = gamma[i0]!;
      const r0 = sel[i0]! * k;
      const g1 = m > 1 ? gamma[i0 + 1]! : 0;
      const r1 = m > 1 ? sel[i0 + 1]! * k : 0;
      const g2 = m > 2 ? gamma[i0 + 2]! : 0;
      const r2 = m > 2 ? sel[i0 + 2]! * k : 0;
      const g3 = m > 3 ? gamma[i0 + 3]! : 0;
      const r3 = m > 3 ? sel[i0 + 3]! * k : 0;
      best = -1;
      if (m === 1) {
        for (let j = 0; j < k; j++) {
          const v = src[j]! - g0 * G[r0 + j]!;
          alpha[j] = v;
          const a = Math.abs(v);
          if (a > best) {
            best = a;
            lam = j;
          }
        }
      } else if (m === 2) {
        for (let j = 0; j < k; j++) {
          const v = src[j]! - g0 * G[r0 + j]! - g1 * G[r1 + j]!;
          alpha[j] = v;
          const a = Math.abs(v);
          if (a > best) {
            best = a;
            lam = j;
          }
        }
      } else if (m === 3) {
        for (let j = 0; j < k; j++) {
          const v = src[j]! - g0 * G[r0 + j]! - g1 * G[r1 + j]! - g2 * G[r2 + j]!;
          alpha[j] = v;
          const a = Math.abs(v);
          if (a > best) {
            best = a;
            lam = j;
          }
        }
      } else {
        for (let j = 0; j < k; j++) {
          const v = src[j]! - g0 * G[r0 + j]! - g1 * G[r1 + j]! - g2 * G[r2 + j]! - g3 * G[r3 + j]!;
          alpha[j] = v;
          const a = Math.abs(v);
          if (a > best) {
            best = a;
            lam = j;
          }
        }
      }
    }
    if (nnz + n > capacity) {
      capacity = Math.max(capacity * 2, nnz + n);
      const ni = new Int32Array(capacity);
      ni.set(indices.subarray(0, nnz));
      indices = ni;
      const nv = new Float32Array(capacity);
      nv.set(values.subarray(0, nnz));
      values = nv;
    }
    // Insertion sort of the (few) selected atoms so CSR rows are ascending.
    for (let i = 0; i < n; i++) {
      let p = i;
      while (p > 0 && sel[order[p - 1]!]! > sel[i]!) {
        order[p] = order[p - 1]!;
        p--;
      }
      order[p] = i;
    }
    for (let i = 0; i < n; i++) {
      const o = order[i]!;
      indices[nnz] = sel[o]!;
      values[nnz] = gamma[o]!;
      nnz++;
    }
    indptr[s + 1] = nnz;
  }
  return { indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
}

/** Expands CSR codes into a dense nSamples×nComponents row-major Float32Array. */
export function csrCodesToDense(codes: CsrCodes, nComponents: number): Float32Array {
  const nSamples = codes.indptr.length - 1;
  const out = new Float32Array(nSamples * nComponents);
  for (let s = 0; s < nSamples; s++) {
    const off = s * nComponents;
    for (let p = codes.indptr[s]!; p < codes.indptr[s + 1]!; p++) out[off + codes.indices[p]!] = codes.values[p]!;
  }
  return out;
}

/** Options of {@link orthogonalMatchingPursuit}. */
export interface OmpOptions {
  /**
   * Largest number of atoms per signal, in [1, nComponents]. Default, as scikit-learn:
   * max(⌊0.1·nFeatures⌋, 1) when `tol` is not given either.
   */
  nNonzeroCoefs?: number;
  /**
   * Target squared residual norm ‖xᵢ − γᵢD‖² per signal, > 0. With `nNonzeroCoefs` as well,
   * each signal stops at whichever is reached first (scikit-learn ignores `n_nonzero_coefs`
   * when `tol` is set).
   */
  tol?: number;
}

/**
 * Orthogonal matching pursuit for every row of X over the atoms (rows) of D: greedily picks
 * the atom most correlated with the residual, then re-fits all picked atoms by least squares
 * (Pati, Rezaiifar & Krishnaprasad 1993). Runs as Batch-OMP (Rubinstein, Zibulevsky & Elad
 * 2008): the correlations X·Dᵀ for all signals in one tensor kernel, the Gram matrix DDᵀ once,
 * then per signal progressive Cholesky updates on the host that never touch the signal again.
 * Picks the same atoms and coefficients as scikit-learn's `orthogonal_mp_gram` (tested).
 *
 * @param X signals as rows, nSamples × nFeatures.
 * @param D dictionary, atoms as rows, nComponents × nFeatures (unit-norm atoms are usual but
 *   not required).
 * @returns the codes, an nSamples × nComponents tensor with at most `nNonzeroCoefs` non-zeros
 *   per row, so X ≈ codes · D.
 * @throws ShapeError when D's width differs from X's; ValueError on NaN/Inf, `nNonzeroCoefs`
 *   outside [1, nComponents], `tol` ≤ 0 or an unknown option.
 */
export function orthogonalMatchingPursuit(X: MatrixInput, D: MatrixInput, options: OmpOptions = {}): Tensor {
  return codesTensor(runSync(ompCodeSteps('orthogonalMatchingPursuit', X, D, options)));
}

/**
 * {@link orthogonalMatchingPursuit} for every backend, WebGPU included: the same validation,
 * the same Batch-OMP and the same codes, with the correlations kernel (and Tensor inputs) read
 * by `await data()` instead of `dataSync()`.
 *
 * @returns a promise of the codes, an nSamples × nComponents tensor, so X ≈ codes · D.
 * @throws (as a rejection) the errors of {@link orthogonalMatchingPursuit}.
 */
export async function orthogonalMatchingPursuitAsync(
  X: MatrixInput,
  D: MatrixInput,
  options: OmpOptions = {},
): Promise<Tensor> {
  return codesTensor(await runAsync(ompCodeSteps('orthogonalMatchingPursuitAsync', X, D, options)));
}

/** Codes as the dense nSamples × nComponents tensor the coders return. @internal */
export function codesTensor(r: { codes: CsrCodes; nSamples: number; nComponents: number }): Tensor {
  return tensor(csrCodesToDense(r.codes, r.nComponents), [r.nSamples, r.nComponents]);
}

/** Validates and runs OMP; shared by {@link orthogonalMatchingPursuit} and `sparseEncode`. @internal */
export function ompCodes(
  fn: string,
  Xin: unknown,
  Din: unknown,
  options: unknown,
  extraKeys: readonly string[] = [],
): { codes: CsrCodes; nSamples: number; nComponents: number } {
  return runSync(ompCodeSteps(fn, Xin, Din, options, extraKeys));
}

/** {@link ompCodes} as steps (see steps.ts), for the synchronous and the async driver. @internal */
export function* ompCodeSteps(
  fn: string,
  Xin: unknown,
  Din: unknown,
  options: unknown,
  extraKeys: readonly string[] = [],
): Steps<{ codes: CsrCodes; nSamples: number; nComponents: number }> {
  checkOptions(fn, options, ['nNonzeroCoefs', 'tol', ...extraKeys]);
  const { X, D } = yield* readCodingSteps(fn, Xin, Din, 'view');
  const opts = (options ?? {}) as OmpOptions;
  const k = D.rows;
  if (opts.nNonzeroCoefs !== undefined) checkInteger(fn, 'nNonzeroCoefs', opts.nNonzeroCoefs, 1, k);
  if (opts.tol !== undefined) checkPositive(fn, 'tol', opts.tol);
  const nNonzeroCoefs =
    opts.nNonzeroCoefs ?? (opts.tol === undefined ? Math.min(k, Math.max(Math.floor(0.1 * X.cols), 1)) : undefined);
  const G = gramMatrix(D.data, k, D.cols);
  const DtX = yield* correlations(X.data, X.rows, D.data, k, D.cols);
  const codes = batchOmp(G, DtX, k, {
    nNonzeroCoefs,
    tol: opts.tol,
    sqNorms: opts.tol === undefined ? undefined : rowSquaredNorms(X.data, X.rows, X.cols),
  });
  return { codes, nSamples: X.rows, nComponents: k };
}
