import { CsrTensor, Random } from '@sparsekit/tensor';
import { checkOptionKeys } from './learning.js';
import { checkInteger, checkRange } from './validate.js';

/** Options of {@link makeSparseCodedSignal}. */
export interface SparseCodedSignalOptions {
  /** Number of signals (rows of X). */
  nSamples: number;
  /** Number of atoms of the generating dictionary. */
  nComponents: number;
  /** Signal dimension n. */
  nFeatures: number;
  /** Atoms combined in each signal. */
  nNonzeroCoefs: number;
  /** Signal-to-noise ratio in dB of the added white Gaussian noise; omit for clean signals. */
  snr?: number;
  /** Seed of everything random. Default 0. */
  seed?: number;
}

/** Result of {@link makeSparseCodedSignal}: all three matrices row-major. */
export interface SparseCodedSignal {
  /** Signals, nSamples×nFeatures: codes · dictionary (+ noise). */
  X: { data: Float32Array; shape: [number, number] };
  /** The generating atoms, nComponents×nFeatures, unit ℓ2 norm. */
  dictionary: { data: Float32Array; shape: [number, number] };
  /** The true codes, nSamples×nComponents, `nNonzeroCoefs` per row. */
  codes: CsrTensor;
}

/**
 * Signals that are sparse combinations of a random dictionary, as in the synthetic
 * experiment of Aharon, Elad & Bruckstein (2006, §V-A; scikit-learn's
 * `make_sparse_coded_signal` in the row convention): Gaussian atoms normalised to unit norm,
 * each signal a combination of `nNonzeroCoefs` distinct atoms at uniformly random positions
 * with standard-normal coefficients, plus white Gaussian noise scaled so that
 * 10·log₁₀(‖CD‖²_F / ‖noise‖²_F) = `snr` in expectation.
 */
export function makeSparseCodedSignal(options: SparseCodedSignalOptions): SparseCodedSignal {
  const op = 'makeSparseCodedSignal';
  checkOptionKeys(op, options, ['nSamples', 'nComponents', 'nFeatures', 'nNonzeroCoefs', 'snr', 'seed']);
  const N = checkInteger(op, 'nSamples', options.nSamples, 1);
  const k = checkInteger(op, 'nComponents', options.nComponents, 1);
  const n = checkInteger(op, 'nFeatures', options.nFeatures, 1);
  const s = checkInteger(op, 'nNonzeroCoefs', options.nNonzeroCoefs, 1, k);
  const snr = options.snr === undefined ? undefined : checkRange(op, 'snr', options.snr, -300, 300);
  const rng = new Random(checkInteger(op, 'seed', options.seed ?? 0, Number.MIN_SAFE_INTEGER));

  const D = new Float32Array(k * n);
  for (let j = 0; j < k; j++) {
    let sq = 0;
    do {
      sq = 0;
      for (let t = 0; t < n; t++) {
        const v = rng.normal();
        D[j * n + t] = v;
        sq += v * v;
      }
    } while (sq === 0);
    const norm = Math.sqrt(sq);
    for (let t = 0; t < n; t++) D[j * n + t]! /= norm;
  }
  const rowPtr = new Int32Array(N + 1);
  const cols = new Int32Array(N * s);
  const vals = new Float32Array(N * s);
  const X = new Float32Array(N * n);
  const chosen = new Int32Array(s);
  let energy = 0;
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < s; c++) {
      let a: number;
      do a = rng.int(0, k);
      while (chosen.subarray(0, c).includes(a));
      chosen[c] = a;
    }
    chosen.sort();
    for (let c = 0; c < s; c++) {
      const g = rng.normal();
      cols[i * s + c] = chosen[c]!;
      vals[i * s + c] = g;
      for (let t = 0; t < n; t++) X[i * n + t] += g * D[chosen[c]! * n + t]!;
    }
    rowPtr[i + 1] = (i + 1) * s;
    for (let t = 0; t < n; t++) energy += X[i * n + t]! * X[i * n + t]!;
  }
  if (snr !== undefined) {
    const std = Math.sqrt(energy / (N * n) / 10 ** (snr / 10));
    for (let t = 0; t < X.length; t++) X[t] += std * rng.normal();
  }
  return {
    X: { data: X, shape: [N, n] },
    dictionary: { data: D, shape: [k, n] },
    codes: new CsrTensor([N, k], vals, cols, rowPtr),
  };
}
