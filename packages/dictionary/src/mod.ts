import {
  AlternatingDictionaryLearner,
  type DictionaryLearnerOptions,
  type Matrix,
  readLearnerSettings,
} from './learning.js';
import type { CsrCodes } from './omp.js';

/** Hyperparameters of {@link MOD}: the shared ones. */
export type MODOptions = DictionaryLearnerOptions;

/**
 * Solves A·Y = B in place of B for a symmetric positive definite A (k×k) and B (k×n), by
 * Cholesky factorisation A = LLᵀ. A pivot that is not positive (rank deficiency from atoms
 * whose codes are linearly dependent) gets a ridge of 1e-10·max diag, which leaves
 * well-posed rows untouched to float64 precision. @internal
 */
export function choleskySolve(A: Float64Array, k: number, B: Float64Array, n: number): void {
  const L = Float64Array.from(A);
  let maxDiag = 0;
  for (let j = 0; j < k; j++) maxDiag = Math.max(maxDiag, A[j * k + j]!);
  const ridge = 1e-10 * (maxDiag > 0 ? maxDiag : 1);
  for (let j = 0; j < k; j++) {
    let s = L[j * k + j]!;
    for (let t = 0; t < j; t++) s -= L[j * k + t]! * L[j * k + t]!;
    if (!(s > ridge)) s += ridge;
    const ljj = Math.sqrt(s);
    L[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let v = L[i * k + j]!;
      for (let t = 0; t < j; t++) v -= L[i * k + t]! * L[j * k + t]!;
      L[i * k + j] = v / ljj;
    }
  }
  for (let i = 0; i < k; i++) {
    for (let t = 0; t < i; t++) {
      const l = L[i * k + t]!;
      if (l !== 0) for (let c = 0; c < n; c++) B[i * n + c] -= l * B[t * n + c]!;
    }
    const d = L[i * k + i]!;
    for (let c = 0; c < n; c++) B[i * n + c]! /= d;
  }
  for (let i = k - 1; i >= 0; i--) {
    for (let t = i + 1; t < k; t++) {
      const l = L[t * k + i]!;
      if (l !== 0) for (let c = 0; c < n; c++) B[i * n + c] -= l * B[t * n + c]!;
    }
    const d = L[i * k + i]!;
    for (let c = 0; c < n; c++) B[i * n + c]! /= d;
  }
}

/**
 * The MOD dictionary update (Engan, Aase & Husøy 1999): with the codes C fixed, the atoms
 * minimising ‖X − CD‖²_F are D = (CᵀC)⁻¹CᵀX. CᵀC and CᵀX are accumulated from the sparse
 * rows of C; an atom no signal uses keeps its row (it is replaced before the next coding
 * step). The rows are then normalised and the codes rescaled by the old norms, so CD is
 * unchanged by the normalisation. @internal
 */
export function modUpdate(X: Matrix, D: Float64Array, k: number, codes: CsrCodes): Float64Array {
  const { rows: N, cols: n, data: x } = X;
  const { indptr, indices, values } = codes;
  const A = new Float64Array(k * k);
  const B = new Float64Array(k * n);
  for (let i = 0; i < N; i++) {
    for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
      const a = indices[p]!;
      const va = values[p]!;
      for (let q = indptr[i]!; q < indptr[i + 1]!; q++) A[a * k + indices[q]!] += va * values[q]!;
      const xo = i * n;
      for (let t = 0; t < n; t++) B[a * n + t] += va * x[xo + t]!;
    }
  }
  for (let j = 0; j < k; j++) {
    if (A[j * k + j] !== 0) continue;
    A[j * k + j] = 1;
    for (let t = 0; t < n; t++) B[j * n + t] = D[j * n + t]!;
  }
  choleskySolve(A, k, B, n);
  const scaled = Float64Array.from(values);
  const norms = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += B[j * n + t]! * B[j * n + t]!;
    norms[j] = Math.sqrt(s);
    if (norms[j]! > 0) for (let t = 0; t < n; t++) D[j * n + t] = B[j * n + t]! / norms[j]!;
  }
  for (let p = 0; p < scaled.length; p++) if (norms[indices[p]!]! > 0) scaled[p]! *= norms[indices[p]!]!;
  return scaled;
}

/**
 * The method of optimal directions (Engan, Aase & Husøy 1999, "Method of optimal directions
 * for frame design", ICASSP): alternates Batch-OMP sparse coding of the rows of X with the
 * closed-form least-squares dictionary D = (CᵀC)⁻¹CᵀX, rows normalised. Each update costs
 * one k×k Cholesky solve instead of K-SVD's k rank-1 problems, but moves all atoms with the
 * codes held fixed. Unused and near-duplicate atoms are replaced by the worst-represented
 * signals before each coding step, as in {@link KSVD}.
 *
 * @example
 * const mod = new MOD({ nComponents: 50, nNonzeroCoefs: 3, maxIter: 20, seed: 1 }).fit(X);
 */
export class MOD extends AlternatingDictionaryLearner {
  constructor(options: MODOptions) {
    super('MOD', readLearnerSettings('MOD', options, []));
  }

  protected updateDictionary(X: Matrix, D: Float64Array, codes: CsrCodes): Float64Array {
    return modUpdate(X, D, this.settings.k, codes);
  }
}
