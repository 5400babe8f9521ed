import { psnr } from '@sparsekit/metrics';
import { ValueError } from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DemoEvent, type KsvdResult, resolveConfig, runKsvd } from '../src/experiments/index.js';
import { addNoise, centerCrop } from '../src/experiments/ksvd.js';
import { loadBoats } from '../src/node/data.js';

const boats = loadBoats();

describe('centerCrop and addNoise', () => {
  it('crops the centre of the image', () => {
    const c = centerCrop(boats, 32);
    const x0 = (1024 - 32) / 2;
    const y0 = Math.floor((819 - 32) / 2);
    expect([c.width, c.height, c.pixels.length]).toEqual([32, 32, 1024]);
    expect(c.pixels[0]).toBe(boats.pixels[y0 * 1024 + x0]);
    expect(c.pixels[31 * 32 + 31]).toBe(boats.pixels[(y0 + 31) * 1024 + x0 + 31]);
  });

  it('adds seeded noise of standard deviation σ', () => {
    const c = centerCrop(boats, 128);
    const a = addNoise(c, 25, 7);
    expect(addNoise(c, 25, 7).pixels).toEqual(a.pixels);
    let s = 0;
    for (let i = 0; i < c.pixels.length; i++) s += (a.pixels[i] - c.pixels[i]) ** 2;
    expect(Math.sqrt(s / c.pixels.length)).toBeGreaterThan(24);
    expect(Math.sqrt(s / c.pixels.length)).toBeLessThan(26);
  });

  it('rejects a crop larger than the image', () => {
    expect(() => centerCrop({ width: 20, height: 10, pixels: new Array(200).fill(0) }, 16)).toThrow(ValueError);
    expect(() => centerCrop({ width: 20, height: 10, pixels: new Array(200).fill(0) }, 16)).toThrow(
      /imageSize must be <= the image's 20×10, got 16/,
    );
  });
});

describe('runKsvd (a 48×48 crop, 32 atoms, 3 iterations)', () => {
  const config = resolveConfig({
    ksvd: { imageSize: 48, atoms: 32, sparsity: 4, iterations: 3, trainingPatches: 800 },
  });
  const events: DemoEvent[] = [];
  let r: KsvdResult;
  beforeAll(async () => {
    r = await runKsvd(boats, config, { onEvent: (e) => events.push(e) });
  });

  it('denoises: the PSNR rises clearly above the noisy input', () => {
    expect(r.psnrNoisy).toBeGreaterThan(19);
    expect(r.psnrNoisy).toBeLessThan(21);
    expect(r.psnrDenoised).toBeGreaterThan(r.psnrNoisy + 3);
    expect(r.psnrDenoised).toBeCloseTo(psnr(r.clean.pixels, r.denoised.pixels, 255), 10);
  });

  it('learns unit-norm atoms of patchSize² pixels', () => {
    expect(r.dictionary.length).toBe(32 * 64);
    for (let a = 0; a < 32; a++) {
      let s = 0;
      for (let t = 0; t < 64; t++) s += r.dictionary[a * 64 + t] ** 2;
      expect(Math.sqrt(s)).toBeCloseTo(1, 4);
    }
  });

  it('reports one error per iteration, as events too', () => {
    expect(r.errorCurve).toHaveLength(3);
    expect(events).toEqual(
      r.errorCurve.map((error, i) => ({ type: 'ksvd-iteration', iteration: i + 1, iterations: 3, error })),
    );
    expect([r.clean.width, r.noisy.width, r.denoised.width]).toEqual([48, 48, 48]);
    expect(r.sigma).toBe(25);
  });

  it('stops at the next iteration when aborted', async () => {
    const controller = new AbortController();
    await expect(
      runKsvd(boats, config, {
        signal: controller.signal,
        onEvent: () => controller.abort(),
      }),
    ).rejects.toThrow(/the run was stopped/);
  });
});
