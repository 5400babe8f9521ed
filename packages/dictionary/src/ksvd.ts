import {
  AlternatingDictionaryLearner,
  type DictionaryLearnerOptions,
  type Matrix,
  readLearnerSettings,
} from './learning.js';
import type { CsrCodes } from './omp.js';
import { checkBoolean } from './validate.js';

/** Hyperparameters of {@link KSVD}: the shared ones and `approximate`. */
export interface KSVDOptions extends DictionaryLearnerOptions {
  /** Approximate K-SVD (one power step per atom, Rubinstein et al. 2008) instead of the exact rank-1 SVD. Default false. */
  approximate?: boolean;
}

/** Power-iteration limits of the exact rank-1 step: stop when 1 − ⟨vₜ, vₜ₋₁⟩ < RANK1_TOL. */
const RANK1_TOL = 1e-15;
const RANK1_MAX_ITER = 1000;

/**
 * Best rank-1 approximation g·dᵀ of E (m×n, row-major) with ‖d‖ = 1: d is E's leading right
 * singular vector and g = Ed (so gᵢ = σ₁uᵢ). Power iteration d ← Eᵀ(Ed)/‖·‖, applied through
 * E itself (2mn per step, cheaper than forming the n×n Gram when it converges in fewer than
 * n/4 steps, as it does from the warm start: 6 steps median, 12 at most on the 10,000-patch
 * benchmark), started from `start` (the atom being updated) and run until
 * 1 − ⟨dₜ, dₜ₋₁⟩ < 1e-15 (an angle below 5e-8). Writes d into `d` (n) and g into `g` (m). @internal
 */
export function rank1(
  E: Float64Array,
  m: number,
  n: number,
  start: Float64Array,
  d: Float64Array,
  g: Float64Array,
): void {
  let v = Float64Array.from(start);
  let w = new Float64Array(n);
  const unit = (x: Float64Array): number => {
    let q = 0;
    for (let i = 0; i < n; i++) q += x[i]! * x[i]!;
    const norm = Math.sqrt(q);
    if (norm > 0) for (let i = 0; i < n; i++) x[i]! /= norm;
    return norm;
  };
  if (unit(v) === 0) {
    v.fill(1);
    unit(v);
  }
  for (let it = 0; it < RANK1_MAX_ITER; it++) {
    w.fill(0);
    for (let r = 0; r < m; r++) {
      const o = r * n;
      let t = 0;
      for (let c = 0; c < n; c++) t += E[o + c]! * v[c]!;
      g[r] = t;
      for (let c = 0; c < n; c++) w[c] += t * E[o + c]!;
    }
    if (unit(w) === 0) break;
    let dot = 0;
    for (let i = 0; i < n; i++) dot += w[i]! * v[i]!;
    [v, w] = [w, v];
    if (1 - dot < RANK1_TOL) break;
  }
  d.set(v);
  for (let r = 0; r < m; r++) {
    let t = 0;
    for (let c = 0; c < n; c++) t += E[r * n + c]! * d[c]!;
    g[r] = t;
  }
}

/** Codes in CSR over samples with float64 values the atom updates rewrite in place. */
interface WorkingCodes {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/**
 * The K-SVD dictionary update, atom by atom in place (Aharon, Elad & Bruckstein 2006, §IV):
 * for atom j and the signals I that use it, the residual without it, E = X_I − Σ_{k≠j} γ_{I,k}dₖ,
 * is replaced by its best rank-1 fit g·dⱼᵀ, which updates the atom and its coefficients
 * together and keeps the support. `approximate` takes one power step instead (Rubinstein,
 * Zibulevsky & Elad 2008, Algorithm 5): dⱼ ∝ Eᵀg, g = Edⱼ, computed without forming E.
 * @internal
 */
export function updateAtoms(X: Matrix, D: Float64Array, k: number, codes: WorkingCodes, approximate: boolean): void {
  const { rows: N, cols: n, data: x } = X;
  const { indptr, indices, values } = codes;
  const nnz = indices.length;
  // Transpose of the support: which (sample, position) pairs use each atom.
  const atomPtr = new Int32Array(k + 1);
  for (let p = 0; p < nnz; p++) atomPtr[indices[p]! + 1]!++;
  for (let j = 0; j < k; j++) atomPtr[j + 1]! += atomPtr[j]!;
  const fill = atomPtr.slice(0, k);
  const userSample = new Int32Array(nnz);
  const userPos = new Int32Array(nnz);
  for (let i = 0; i < N; i++) {
    for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
      const slot = fill[indices[p]!]!++;
      userSample[slot] = i;
      userPos[slot] = p;
    }
  }
  const d = new Float64Array(n);
  const start = new Float64Array(n);
  const w = new Float64Array(k);
  const touched = new Int32Array(k);
  const mark = new Uint8Array(k);
  let E = new Float64Array(0);
  let g = new Float64Array(0);
  for (let j = 0; j < k; j++) {
    const u0 = atomPtr[j]!;
    const m = atomPtr[j + 1]! - u0;
    if (m === 0) continue;
    const dj = j * n;
    if (approximate) {
      // d = Σᵢ gᵢxᵢ − Σ_{k≠j} wₖdₖ with wₖ = Σᵢ gᵢγᵢₖ.
      d.fill(0);
      let nt = 0;
      for (let u = u0; u < u0 + m; u++) {
        const i = userSample[u]!;
        const gi = values[userPos[u]!]!;
        const xo = i * n;
        for (let t = 0; t < n; t++) d[t] += gi * x[xo + t]!;
        for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
          const a = indices[p]!;
          if (a === j) continue;
          if (!mark[a]) {
            mark[a] = 1;
            w[a] = 0;
            touched[nt++] = a;
          }
          w[a] += gi * values[p]!;
        }
      }
      for (let q = 0; q < nt; q++) {
        const a = touched[q]!;
        const wa = w[a]!;
        const ao = a * n;
        for (let t = 0; t < n; t++) d[t] -= wa * D[ao + t]!;
      }
      let sq = 0;
      for (let t = 0; t < n; t++) sq += d[t]! * d[t]!;
      const norm = Math.sqrt(sq);
      if (!(norm > 0)) {
        for (let q = 0; q < nt; q++) mark[touched[q]!] = 0;
        continue;
      }
      for (let t = 0; t < n; t++) d[t]! /= norm;
      // g = X_I d − Γ_I (D d), with (D d)ₖ needed only for the atoms these signals use.
      for (let q = 0; q < nt; q++) {
        const a = touched[q]!;
        const ao = a * n;
        let s = 0;
        for (let t = 0; t < n; t++) s += D[ao + t]! * d[t]!;
        w[a] = s;
      }
      for (let u = u0; u < u0 + m; u++) {
        const i = userSample[u]!;
        const xo = i * n;
        let s = 0;
        for (let t = 0; t < n; t++) s += x[xo + t]! * d[t]!;
        for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
          const a = indices[p]!;
          if (a !== j) s -= values[p]! * w[a]!;
        }
        values[userPos[u]!] = s;
      }
      for (let q = 0; q < nt; q++) mark[touched[q]!] = 0;
      for (let t = 0; t < n; t++) D[dj + t] = d[t]!;
    } else {
      if (E.length < m * n) E = new Float64Array(m * n);
      if (g.length < m) g = new Float64Array(m);
      for (let r = 0; r < m; r++) {
        const i = userSample[u0 + r]!;
        const xo = i * n;
        const eo = r * n;
        for (let t = 0; t < n; t++) E[eo + t] = x[xo + t]!;
        for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
          const a = indices[p]!;
          if (a === j) continue;
          const c = values[p]!;
          const ao = a * n;
          for (let t = 0; t < n; t++) E[eo + t] -= c * D[ao + t]!;
        }
      }
      for (let t = 0; t < n; t++) start[t] = D[dj + t]!;
      rank1(E, m, n, start, d, g);
      for (let t = 0; t < n; t++) D[dj + t] = d[t]!;
      for (let r = 0; r < m; r++) values[userPos[u0 + r]!] = g[r]!;
    }
  }
}

/**
 * K-SVD dictionary learning (Aharon, Elad & Bruckstein 2006, "K-SVD: An Algorithm for
 * Designing Overcomplete Dictionaries for Sparse Representation", IEEE TSP 54(11)). It
 * minimises ‖X − CD‖²_F subject to ‖cᵢ‖₀ ≤ s (or ‖xᵢ − cᵢD‖² ≤ ε) by alternating
 *
 * 1. sparse coding of every signal with Batch-OMP over the current atoms, and
 * 2. the atom-by-atom update: for atom j and the signals I using it, the best rank-1 fit of
 *    the residual without it, E_I = X_I − Σ_{k≠j} C_{I,k}dₖ ≈ g·dⱼᵀ (exact: power iteration to
 *    convergence on the small Gram matrix of E_I; `approximate`: a single power step,
 *    Rubinstein, Zibulevsky & Elad 2008), so supports are kept and coefficients refreshed.
 *
 * Before each coding step, atoms used by no signal or with |⟨dⱼ, dₖ⟩| > 0.99 are replaced by
 * the worst-represented signals (as in KSVD-Box). Signals are the rows of X; atoms are the
 * rows of `components`, normalised to unit ℓ2 norm.
 *
 * @example
 * const ksvd = new KSVD({ nComponents: 50, nNonzeroCoefs: 3, maxIter: 20, seed: 1 }).fit(X);
 * const codes = ksvd.transform(X); // CsrTensor, nSamples×50
 */
export class KSVD extends AlternatingDictionaryLearner {
  private readonly approximate: boolean;

  constructor(options: KSVDOptions) {
    const settings = readLearnerSettings('KSVD', options, ['approximate']);
    const approximate =
      options.approximate === undefined ? false : checkBoolean('KSVD', 'approximate', options.approximate);
    super('KSVD', settings);
    this.approximate = approximate;
  }

  protected updateDictionary(X: Matrix, D: Float64Array, codes: CsrCodes): Float64Array {
    const working: WorkingCodes = {
      indptr: codes.indptr,
      indices: codes.indices,
      values: Float64Array.from(codes.values),
    };
    updateAtoms(X, D, this.settings.k, working, this.approximate);
    return working.values;
  }
}
