// Experiment 2: K-SVD on 8×8 patches of a natural image, learned from the noisy image itself,
// and the image denoised with it (Elad & Aharon 2006) — the dictionary package's `denoiseAsync`
// (no synchronous read, so it runs on WebGPU too).
import { denoiseAsync } from '@sparsekit/dictionary';
import { psnr } from '@sparsekit/metrics';
import { Random, ValueError } from '@sparsekit/tensor';
import { throwIfAborted } from './abort.js';
import { resolveConfig } from './config.js';
import type { DemoConfig, GrayImageData, KsvdResult, RunHooks } from './types.js';

/** The 0–255 scale's peak, for PSNR. */
const PEAK = 255;

/** The centred `size`×`size` crop of `image`. */
export function centerCrop(image: GrayImageData, size: number): GrayImageData {
  if (
    !image ||
    !Number.isInteger(image.width) ||
    !Number.isInteger(image.height) ||
    image.pixels?.length !== image.width * image.height
  )
    throw new ValueError('runKsvd', 'image must be { width, height, pixels } with width·height pixels');
  if (size > image.width || size > image.height)
    throw new ValueError(
      'runKsvd',
      `config.ksvd.imageSize must be <= the image's ${image.width}×${image.height}, got ${size}`,
    );
  const x0 = Math.floor((image.width - size) / 2);
  const y0 = Math.floor((image.height - size) / 2);
  const pixels = new Array<number>(size * size);
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) pixels[r * size + c] = image.pixels[(y0 + r) * image.width + x0 + c];
  return { width: size, height: size, pixels };
}

/** `image` plus white Gaussian noise of standard deviation `sigma` from the stream of `seed` (not clipped). */
export function addNoise(image: GrayImageData, sigma: number, seed: number): GrayImageData {
  const rng = new Random(seed);
  return { width: image.width, height: image.height, pixels: image.pixels.map((v) => v + sigma * rng.normal()) };
}

/**
 * Crops the image, adds noise at σ, trains K-SVD (approximate, from the overcomplete DCT) on
 * `trainingPatches` noisy patches with at most `sparsity` atoms per patch, denoises every
 * patch and averages; PSNR of the noisy and denoised crops against the clean one (metrics'
 * `psnr`). Aborting stops at the next K-SVD iteration or chunk of patches.
 */
export async function runKsvd(image: GrayImageData, given: DemoConfig, hooks: RunHooks = {}): Promise<KsvdResult> {
  const config = resolveConfig(given);
  const started = performance.now();
  const emit = hooks.onEvent ?? (() => {});
  const { imageSize, patchSize, atoms, sparsity, iterations, trainingPatches, sigma } = config.ksvd;
  const clean = centerCrop(image, imageSize);
  const noisy = addNoise(clean, sigma, config.seed);
  throwIfAborted(hooks.signal);
  const out = await denoiseAsync(
    { data: noisy.pixels, width: noisy.width, height: noisy.height },
    {
      sigma,
      patchSize,
      nComponents: atoms,
      maxIter: iterations,
      trainingPatches,
      maxAtoms: sparsity,
      seed: config.seed,
      onProgress: (e) => {
        if (e.stage === 'train')
          emit({ type: 'ksvd-iteration', iteration: e.iteration, iterations: e.maxIter, error: e.error });
        throwIfAborted(hooks.signal);
      },
    },
  );
  const denoised: GrayImageData = { width: imageSize, height: imageSize, pixels: Array.from(out.image.data) };
  return {
    patchSize,
    atoms,
    dictionary: Array.from(out.components.data),
    errorCurve: out.errorHistory,
    sigma,
    psnrNoisy: psnr(clean.pixels, noisy.pixels, PEAK),
    psnrDenoised: psnr(clean.pixels, denoised.pixels, PEAK),
    clean,
    noisy,
    denoised,
    seconds: (performance.now() - started) / 1000,
  };
}
