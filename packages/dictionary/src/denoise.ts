import { Random, ShapeError, ValueError } from '@sparsekit/tensor';
import { KSVD } from './ksvd.js';
import { type CodingRule, checkCallback, checkOptionKeys, FIT_STEPS, sparseCodes } from './learning.js';
import {
  type GrayImage,
  type HostImage,
  patchCorner,
  patchOrigins,
  readPatchGeometry,
  scatterPatches,
  toImage,
} from './patches.js';
import { PAUSE, runAsync, runSync, type Steps } from './steps.js';
import { checkBoolean, checkInteger, checkPositive } from './validate.js';

/** What the progress callback of {@link denoise} and {@link denoiseAsync} receives: K-SVD iterations, then chunks of patches denoised. */
export type DenoiseProgress =
  | { stage: 'train'; iteration: number; maxIter: number; error: number }
  | { stage: 'denoise'; done: number; total: number };

/** Options of {@link denoise} and {@link denoiseAsync}. */
export interface DenoiseOptions {
  /** Standard deviation σ of the white Gaussian noise, on the image's own scale (e.g. 0–255). */
  sigma: number;
  /** Side p of the patches. Default 8. */
  patchSize?: number;
  /** Atoms k of the learned dictionary. Default 256. */
  nComponents?: number;
  /** K-SVD iterations. Default 10. */
  maxIter?: number;
  /** Patches (random, seeded) the dictionary is trained on; all of them if the image has fewer. Default 40,000. */
  trainingPatches?: number;
  /** C of the OMP error target (C·σ)²·p² per patch. Default 1.15. */
  gain?: number;
  /** Weight λ of the noisy image in the final average. Default 30/σ. */
  lambda?: number;
  /** Step between the patches that are denoised and averaged. Default 1 (every patch). */
  stride?: number;
  /** Most atoms per patch. Default p²/2. */
  maxAtoms?: number;
  /** Approximate K-SVD (Rubinstein et al. 2008) rather than exact. Default true. */
  approximate?: boolean;
  /** Seed of the training-patch draw and of K-SVD. Default 0. */
  seed?: number;
  /** The clean image, when known: the result then reports PSNR before and after. */
  clean?: GrayImage;
  /** Peak value for PSNR. Default 255. */
  peak?: number;
  /** Called after every K-SVD iteration and every chunk of patches; `false` during training stops it there and denoises with the atoms learned so far. */
  onProgress?: (event: DenoiseProgress) => boolean | void;
}

/** Result of {@link denoise} and {@link denoiseAsync}. */
export interface DenoiseResult {
  /** The denoised image. */
  image: { data: Float32Array; width: number; height: number };
  /** The learned atoms (nComponents × p²), as K-SVD's `components`. */
  components: { data: Float32Array; shape: [number, number] };
  /** K-SVD's RMS error per iteration on the (mean-removed) training patches. */
  errorHistory: number[];
  /** PSNR of the denoised image against `clean`, in dB (only with `clean`). */
  psnr?: number;
  /** PSNR of the noisy input against `clean`, in dB (only with `clean`). */
  noisyPsnr?: number;
}

const KEYS = [
  'sigma',
  'patchSize',
  'nComponents',
  'maxIter',
  'trainingPatches',
  'gain',
  'lambda',
  'stride',
  'maxAtoms',
  'approximate',
  'seed',
  'clean',
  'peak',
  'onProgress',
] as const;

/** Patches denoised per batch: bounds the nPatches×k correlation buffer to a few MB. */
const CHUNK = 8192;

/**
 * Peak signal-to-noise ratio 10·log₁₀(peak² / MSE) in dB. The same definition as
 * `@sparsekit/metrics`' `psnr`; kept here as a one-liner because this package depends on
 * `@sparsekit/tensor` only. @internal
 */
export function psnrOf(reference: Float64Array, estimate: ArrayLike<number>, peak: number): number {
  let s = 0;
  for (let i = 0; i < reference.length; i++) s += (reference[i]! - estimate[i]!) ** 2;
  return 10 * Math.log10((peak * peak) / (s / reference.length));
}

/**
 * The overcomplete separable DCT dictionary Elad & Aharon start from: m = ⌈√k⌉ cosines per
 * axis, cos(π·j·t/m) for t < p, each non-constant one made zero-mean, unit-normalised, and
 * their k first outer products as atoms (p² each). @internal
 */
export function overcompleteDct(p: number, k: number): Float64Array {
  const m = Math.ceil(Math.sqrt(k));
  const one = new Float64Array(m * p);
  for (let j = 0; j < m; j++) {
    let mean = 0;
    for (let t = 0; t < p; t++) {
      one[j * p + t] = Math.cos((Math.PI * j * t) / m);
      mean += one[j * p + t]! / p;
    }
    let sq = 0;
    for (let t = 0; t < p; t++) {
      if (j > 0) one[j * p + t]! -= mean;
      sq += one[j * p + t]! ** 2;
    }
    for (let t = 0; t < p; t++) one[j * p + t]! /= Math.sqrt(sq);
  }
  const D = new Float64Array(k * p * p);
  for (let a = 0; a < k; a++) {
    const u = Math.floor(a / m);
    const v = a % m;
    for (let y = 0; y < p; y++)
      for (let x = 0; x < p; x++) D[a * p * p + y * p + x] = one[u * p + y]! * one[v * p + x]!;
  }
  return D;
}

/** Copies the patches `first … first+count` (raster order over the origins) into `out`, mean removed; writes the means. */
function gatherPatches(
  img: HostImage,
  rows: Int32Array,
  cols: Int32Array,
  p: number,
  first: number,
  count: number,
  out: Float64Array,
  means: Float64Array,
): void {
  const d = p * p;
  for (let q = 0; q < count; q++) {
    const corner = patchCorner(first + q, rows, cols, img.width);
    let mean = 0;
    for (let y = 0; y < p; y++) {
      const src = corner + y * img.width;
      for (let x = 0; x < p; x++) {
        const v = img.data[src + x]!;
        out[q * d + y * p + x] = v;
        mean += v;
      }
    }
    mean /= d;
    means[q] = mean;
    for (let t = q * d; t < (q + 1) * d; t++) out[t]! -= mean;
  }
}

/**
 * Image denoising by sparse representation over a dictionary learned from the noisy image
 * itself (Elad & Aharon 2006, "Image denoising via sparse and redundant representations over
 * learned dictionaries", IEEE TIP 15(12)):
 *
 * 1. train K-SVD, started from the overcomplete DCT, on `trainingPatches` random p×p patches
 *    of the noisy image y with their means removed, coding each with OMP to the error target
 *    ‖x − γD‖² ≤ (C·σ)²·p² (C = `gain`);
 * 2. code every patch (every `stride` pixels) with the same rule and rebuild it as γD + mean;
 * 3. average with the noisy image: x̂ = (λy + Σᵢ Rᵢᵀ(γᵢD + mᵢ)) / (λ + Σᵢ RᵢᵀRᵢ), λ = 30/σ,
 *    the closed-form minimiser of the paper's equation (5).
 *
 * With `clean`, the result reports the PSNR of the input and of the output (computed here
 * with the definition of `@sparsekit/metrics`' `psnr`, as this package depends on tensor only).
 *
 * Reads the correlation kernel synchronously, so not on WebGPU (a `BackendError` there): use
 * {@link denoiseAsync}, which computes the same image, on that backend.
 *
 * @throws ValueError on a non-finite image, σ ≤ 0, bad or unknown options; ShapeError when
 *   the patch does not fit the image or `clean` differs in size.
 */
export function denoise(image: GrayImage, options: DenoiseOptions): DenoiseResult {
  return runSync(denoiseSteps('denoise', image, options));
}

/**
 * {@link denoise} for every backend, WebGPU included: the same options, the same K-SVD and
 * OMP arithmetic and the same result, with every kernel result read by `await data()` (never
 * `dataSync()`), and a yield to the event loop after every K-SVD iteration and every chunk of
 * 8,192 patches, so a page or a Worker stays responsive and can stop it from `onProgress`.
 *
 * @example
 * const { image, psnr } = await denoiseAsync(noisy, { sigma: 25, clean });
 *
 * @throws (as a rejection) the errors of {@link denoise}, named `denoiseAsync`.
 */
export async function denoiseAsync(image: GrayImage, options: DenoiseOptions): Promise<DenoiseResult> {
  return runAsync(denoiseSteps('denoiseAsync', image, options));
}

/** The whole of {@link denoise} as steps (see steps.ts), for the synchronous and the async driver. */
function* denoiseSteps(op: string, image: GrayImage, options: DenoiseOptions): Steps<DenoiseResult> {
  checkOptionKeys(op, options, KEYS);
  const img = toImage(op, 'image', image);
  const sigma = checkPositive(op, 'sigma', options.sigma);
  const { p, stride } = readPatchGeometry(op, options, img.width, img.height);
  if (stride > p)
    throw new ValueError(op, `stride must be <= patchSize (${p}) so every pixel is covered, got ${stride}`);
  const d = p * p;
  const k = checkInteger(op, 'nComponents', options.nComponents ?? 256, 1);
  const maxIter = checkInteger(op, 'maxIter', options.maxIter ?? 10, 1);
  const trainingPatches = checkInteger(op, 'trainingPatches', options.trainingPatches ?? 40000, 1);
  const gain = checkPositive(op, 'gain', options.gain ?? 1.15);
  const lambda = checkPositive(op, 'lambda', options.lambda ?? 30 / sigma, true);
  const maxAtoms = checkInteger(op, 'maxAtoms', options.maxAtoms ?? Math.max(1, Math.min(k, Math.floor(d / 2))), 1, k);
  if (options.approximate !== undefined) checkBoolean(op, 'approximate', options.approximate);
  const seed = checkInteger(op, 'seed', options.seed ?? 0, Number.MIN_SAFE_INTEGER);
  const peak = checkPositive(op, 'peak', options.peak ?? 255);
  const clean = options.clean === undefined ? undefined : toImage(op, 'clean', options.clean);
  if (clean && (clean.width !== img.width || clean.height !== img.height)) {
    throw new ShapeError(
      op,
      `clean must be ${img.width}×${img.height} like the image, got ${clean.width}×${clean.height}`,
    );
  }
  const onProgress = options.onProgress;
  checkCallback(op, 'onProgress', onProgress);

  const rows = patchOrigins(img.height, p, stride);
  const cols = patchOrigins(img.width, p, stride);
  const rule: CodingRule = { tol: (gain * sigma) ** 2 * d, nNonzeroCoefs: maxAtoms };

  // Training set: a seeded draw over every stride-1 patch position.
  const allRows = patchOrigins(img.height, p, 1);
  const allCols = patchOrigins(img.width, p, 1);
  const total = allRows.length * allCols.length;
  const nTrain = Math.min(trainingPatches, total);
  const picks = new Random(seed).permutation(total).subarray(0, nTrain);
  const train = new Float64Array(nTrain * d);
  const one = new Float64Array(d);
  const mean = new Float64Array(1);
  for (let q = 0; q < nTrain; q++) {
    gatherPatches(img, allRows, allCols, p, picks[q]!, 1, one, mean);
    train.set(one, q * d);
  }
  const ksvd = yield* new KSVD({
    nComponents: k,
    nNonzeroCoefs: maxAtoms,
    codingTol: rule.tol,
    maxIter,
    tol: 0,
    init: { data: overcompleteDct(p, k), shape: [k, d] },
    approximate: options.approximate ?? true,
    seed,
    onProgress: onProgress && ((e) => onProgress({ stage: 'train', ...e })),
  })[FIT_STEPS]({ data: train, shape: [nTrain, d] }, {}, 'KSVD.fit');
  const components = ksvd.components!;
  const D = Float64Array.from(components.data);

  const sum = new Float64Array(img.data.length);
  const weight = new Float64Array(img.data.length);
  for (let i = 0; i < sum.length; i++) {
    sum[i] = lambda * img.data[i]!;
    weight[i] = lambda;
  }
  const nPatches = rows.length * cols.length;
  const chunk = new Float64Array(CHUNK * d);
  const means = new Float64Array(CHUNK);
  const rebuilt = new Float64Array(CHUNK * d);
  for (let first = 0; first < nPatches; first += CHUNK) {
    const count = Math.min(CHUNK, nPatches - first);
    gatherPatches(img, rows, cols, p, first, count, chunk, means);
    const X = { rows: count, cols: d, data: chunk.subarray(0, count * d) };
    const codes = yield* sparseCodes(X, D, k, rule);
    for (let q = 0; q < count; q++) {
      const o = q * d;
      for (let t = 0; t < d; t++) rebuilt[o + t] = means[q]!;
      for (let c = codes.indptr[q]!; c < codes.indptr[q + 1]!; c++) {
        const g = codes.values[c]!;
        const a = codes.indices[c]! * d;
        for (let t = 0; t < d; t++) rebuilt[o + t] += g * D[a + t]!;
      }
    }
    scatterPatches(rebuilt, first, count, rows, cols, p, img.width, sum, weight);
    onProgress?.({ stage: 'denoise', done: first + count, total: nPatches });
    if (first + count < nPatches) yield PAUSE;
  }
  const out = new Float32Array(sum.length);
  for (let i = 0; i < out.length; i++) out[i] = sum[i]! / weight[i]!;
  const result: DenoiseResult = {
    image: { data: out, width: img.width, height: img.height },
    components,
    errorHistory: ksvd.errorHistory,
  };
  if (clean) {
    result.psnr = psnrOf(clean.data, out, peak);
    result.noisyPsnr = psnrOf(clean.data, img.data, peak);
  }
  return result;
}
