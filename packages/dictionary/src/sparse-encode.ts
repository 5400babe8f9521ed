import { describeValue, matmul, softThreshold, type Tensor, tensor, tidy, ValueError } from '@sparsekit/tensor';
import { FISTA_KEYS, fistaCodes } from './fista.js';
import { enetCoordinateDescent, makeDesign } from './lasso.js';
import { codesTensor, ompCodes } from './omp.js';
import { checkInteger, checkOptions, checkPositive, type MatrixInput, readCoding } from './validate.js';

/** The algorithms of {@link sparseEncode}. */
export type SparseEncodeAlgorithm = 'omp' | 'lasso-cd' | 'fista' | 'threshold';

/** Options of {@link sparseEncode}; which keys apply depends on `algorithm`. */
export interface SparseEncodeOptions {
  /** Default `'omp'`. */
  algorithm?: SparseEncodeAlgorithm;
  /** `omp`: largest number of atoms per signal. */
  nNonzeroCoefs?: number;
  /**
   * `omp`: target squared residual per signal. `lasso-cd`: duality-gap tolerance (default
   * 1e-4). `fista`: relative objective change (default 1e-6).
   */
  tol?: number;
  /** `lasso-cd`, `fista`: the L1 weight α of ½‖x − cD‖² + α‖c‖₁. `threshold`: the threshold. Default 1. */
  alpha?: number;
  /** `lasso-cd`, `fista`: iteration cap. Default 1000. */
  maxIter?: number;
  /** `fista`: Nesterov acceleration (false: ISTA). Default true. */
  accelerated?: boolean;
}

const KEYS: Record<SparseEncodeAlgorithm, readonly string[]> = {
  omp: ['algorithm', 'nNonzeroCoefs', 'tol'],
  'lasso-cd': ['algorithm', 'alpha', 'maxIter', 'tol'],
  fista: ['algorithm', ...FISTA_KEYS],
  threshold: ['algorithm', 'alpha'],
};

/**
 * Sparse codes of the rows of X over the atoms (rows) of D, one front door for four coders,
 * with the meanings of scikit-learn's `sparse_encode`:
 *
 * - `'omp'`: orthogonal matching pursuit with `nNonzeroCoefs` or an error target `tol`
 *   (Batch-OMP, see `orthogonalMatchingPursuit`).
 * - `'lasso-cd'`: min_c ½‖x − cD‖² + α‖c‖₁ per signal by coordinate descent with
 *   duality-gap stopping (scikit-learn's `lasso_cd`, whose Lasso α is this α / nFeatures).
 * - `'fista'`: the same problem by FISTA with backtracking, all signals batched (see `fista`).
 * - `'threshold'`: the soft-thresholded correlations S(x·Dᵀ, α), no fitting.
 *
 * @returns the codes, nSamples × nComponents, so X ≈ codes · D.
 * @throws ShapeError when D's width differs from X's; ValueError on NaN/Inf, an unknown
 *   algorithm, an option that algorithm does not take, or a value out of range.
 */
export function sparseEncode(X: MatrixInput, D: MatrixInput, options: SparseEncodeOptions = {}): Tensor {
  const fn = 'sparseEncode';
  checkOptions(fn, options, ['algorithm', 'nNonzeroCoefs', 'tol', 'alpha', 'maxIter', 'accelerated']);
  const algorithm = options.algorithm ?? 'omp';
  if (!Object.hasOwn(KEYS, algorithm)) {
    throw new ValueError(
      fn,
      `algorithm must be one of ${Object.keys(KEYS)
        .map((a) => `'${a}'`)
        .join(', ')}, got ${describeValue(algorithm)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!KEYS[algorithm].includes(key)) {
      throw new ValueError(
        fn,
        `option '${key}' does not apply to algorithm '${algorithm}'; it takes ${KEYS[algorithm].join(', ')}`,
      );
    }
  }
  if (algorithm === 'omp') {
    const { algorithm: _, ...rest } = options;
    return codesTensor(ompCodes(fn, X, D, rest));
  }
  if (algorithm === 'fista') {
    return fistaCodes(fn, X, D, { ...options, alpha: options.alpha ?? 1 } as { alpha: number }).codes;
  }
  const alpha = checkPositive(fn, 'alpha', options.alpha ?? 1, true);
  if (algorithm === 'threshold') {
    const p = readCoding(fn, X, D, true);
    return tidy(() =>
      softThreshold(
        matmul(tensor(p.X.data, [p.X.rows, p.X.cols]), tensor(p.D.data, [p.D.rows, p.D.cols]), {
          transposeB: true,
        }),
        alpha,
      ).materializeSync(),
    );
  }
  const maxIter = checkInteger(fn, 'maxIter', options.maxIter ?? 1000, 1);
  const tol = checkPositive(fn, 'tol', options.tol ?? 1e-4);
  const p = readCoding(fn, X, D);
  return tensor(lassoCodes(p.X.data, p.X.rows, p.D.data, p.D.rows, p.D.cols, alpha, maxIter, tol), [
    p.X.rows,
    p.D.rows,
  ]);
}

/** Per-signal Lasso codes by coordinate descent; the design matrix is Dᵀ (nFeatures × nComponents). @internal */
export function lassoCodes(
  X: Float64Array,
  nSamples: number,
  D: Float64Array,
  k: number,
  n: number,
  alpha: number,
  maxIter: number,
  tol: number,
): Float32Array {
  const out = new Float32Array(nSamples * k);
  const Dt = new Float64Array(n * k);
  for (let j = 0; j < k; j++) for (let t = 0; t < n; t++) Dt[t * k + j] = D[j * n + t]!;
  const design = makeDesign(Dt, n, k, false);
  const w = new Float64Array(k);
  for (let i = 0; i < nSamples; i++) {
    w.fill(0);
    enetCoordinateDescent(design, X.subarray(i * n, (i + 1) * n), w, alpha, 0, maxIter, tol);
    for (let j = 0; j < k; j++) out[i * k + j] = w[j]!;
  }
  return out;
}
