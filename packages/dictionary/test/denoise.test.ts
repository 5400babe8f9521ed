import { Random, ShapeError, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { addNoise, loadBoats } from '../bench/boats.mjs';
import { overcompleteDct, psnrOf } from '../src/denoise.js';
import { denoise, denoiseAsync } from '../src/index.js';

describe('psnrOf', () => {
  it('is 10·log₁₀(peak²/MSE): an error of 5 everywhere on 0–255 gives 20·log₁₀(255/5)', () => {
    const ref = Float64Array.from({ length: 100 }, (_, i) => i);
    expect(
      psnrOf(
        ref,
        Array.from(ref, (v, i) => v + (i % 2 ? 5 : -5)),
        255,
      ),
    ).toBeCloseTo(20 * Math.log10(51), 12);
  });
});

describe('overcompleteDct', () => {
  it('has unit-norm atoms, the constant atom first, and zero-mean separable cosines after it', () => {
    const D = overcompleteDct(8, 256);
    for (let a = 0; a < 256; a++) {
      const atom = D.subarray(a * 64, a * 64 + 64);
      expect(Math.hypot(...atom)).toBeCloseTo(1, 12);
      if (a > 0) expect(atom.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 12);
    }
    D.subarray(0, 64).forEach((v) => expect(v).toBeCloseTo(1 / 8, 12));
    // Atom 1 varies along x only: cos(π·t/16) made zero-mean, the same in every row.
    for (let y = 1; y < 8; y++) for (let x = 0; x < 8; x++) expect(D[64 + y * 8 + x]).toBeCloseTo(D[64 + x]!, 12);
  });
});

describe('denoise', () => {
  const clean = loadBoats({ x: 300, y: 300, width: 128, height: 128 });

  it('gains ≥ +6.5 dB PSNR on a 128×128 crop of the boats image at σ = 25 (noisy ≈ 20.2 dB)', () => {
    const noisy = addNoise(clean, 25, new Random(1));
    const stages: string[] = [];
    const r = denoise(noisy, {
      sigma: 25,
      clean,
      trainingPatches: 10000,
      seed: 0,
      onProgress: (e) => void stages.push(e.stage),
    });
    expect(r.noisyPsnr!).toBeCloseTo(20.2, 0);
    expect(r.psnr! - r.noisyPsnr!).toBeGreaterThanOrEqual(6.5);
    expect(r.image.width).toBe(128);
    expect(r.components.shape).toEqual([256, 64]);
    expect(r.errorHistory).toHaveLength(10);
    expect(stages.filter((s) => s === 'train')).toHaveLength(10);
    expect(stages.at(-1)).toBe('denoise');
  });

  it('stopping the training from onProgress denoises with the atoms learned so far', () => {
    const crop = loadBoats({ x: 500, y: 200, width: 48, height: 48 });
    const noisy = addNoise(crop, 20, new Random(2));
    const r = denoise(noisy, {
      sigma: 20,
      nComponents: 64,
      clean: crop,
      onProgress: (e) => (e.stage === 'train' ? e.iteration < 2 : undefined),
    });
    expect(r.errorHistory).toHaveLength(2);
    expect(r.psnr!).toBeGreaterThan(r.noisyPsnr! + 3);
  });

  it('a clean image stays close to itself (the error target leaves it nearly untouched)', () => {
    const crop = loadBoats({ x: 100, y: 600, width: 32, height: 32 });
    const r = denoise(crop, { sigma: 1, nComponents: 64, maxIter: 2, clean: crop });
    expect(r.psnr!).toBeGreaterThan(45);
  });

  describe('misuse', () => {
    const img = { data: new Float32Array(16 * 16).fill(100), width: 16, height: 16 };
    it.each([
      [{ sigma: 0 }, ValueError, /sigma must be a finite number > 0/],
      [{ sigma: 10, patchSize: 17 }, ShapeError, /patchSize must fit the image/],
      [{ sigma: 10, stride: 9 }, ValueError, /stride must be <= patchSize/],
      [{ sigma: 10, maxAtoms: 300 }, ValueError, /maxAtoms/],
      [{ sigma: 10, lambda: -1 }, ValueError, /lambda/],
      [{ sigma: 10, sigm: 10 }, ValueError, /unknown option 'sigm'/],
      [{ sigma: 10, clean: { data: new Float32Array(4), width: 2, height: 2 } }, ShapeError, /clean must be 16×16/],
    ])('rejects %o, and denoiseAsync rejects it with the same error', async (options, type, message) => {
      expect(() => denoise(img, options as never)).toThrow(type);
      expect(() => denoise(img, options as never)).toThrow(message);
      await expect(denoiseAsync(img, options as never)).rejects.toThrow(type);
      await expect(denoiseAsync(img, options as never)).rejects.toThrow(message);
      await expect(denoiseAsync(img, options as never)).rejects.toThrow(/^denoiseAsync: /);
    });

    it('rejects a non-finite image and leaves the input untouched', () => {
      const bad = { data: Float32Array.from(img.data), width: 16, height: 16 };
      bad.data[17] = Number.POSITIVE_INFINITY;
      expect(() => denoise(bad, { sigma: 10 })).toThrow(/image.data must be finite, got .*Infinity at row 1, column 1/);
      const copy = Float32Array.from(img.data);
      denoise(img, { sigma: 10, nComponents: 16, maxIter: 1 });
      expect(img.data).toEqual(copy);
    });
  });
});
