import { Random, ShapeError, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { extractPatches, reconstructFromPatches } from '../src/index.js';
import { patchOrigins } from '../src/patches.js';

const image3x4 = { data: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], width: 4, height: 3 };

describe('patchOrigins', () => {
  it('steps by the stride and adds the border origin when the stride skips it', () => {
    expect(Array.from(patchOrigins(10, 4, 1))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(patchOrigins(10, 4, 3))).toEqual([0, 3, 6]);
    expect(Array.from(patchOrigins(10, 4, 4))).toEqual([0, 4, 6]);
    expect(Array.from(patchOrigins(4, 4, 2))).toEqual([0]);
  });
});

describe('extractPatches', () => {
  it('cuts every 2×2 patch of a 4×3 image in raster order (as scikit-learn extract_patches_2d)', () => {
    const P = extractPatches(image3x4, { patchSize: 2 });
    expect(P.shape).toEqual([6, 4]);
    expect(Array.from(P.data)).toEqual([0, 1, 4, 5, 1, 2, 5, 6, 2, 3, 6, 7, 4, 5, 8, 9, 5, 6, 9, 10, 6, 7, 10, 11]);
  });

  it('with a stride keeps the last row and column of origins flush with the border', () => {
    const P = extractPatches(image3x4, { patchSize: 2, stride: 2 });
    // Origins: rows 0, 1 (border); columns 0, 2.
    expect(P.shape).toEqual([4, 4]);
    expect(Array.from(P.data)).toEqual([0, 1, 4, 5, 2, 3, 6, 7, 4, 5, 8, 9, 6, 7, 10, 11]);
  });
});

describe('reconstructFromPatches', () => {
  it('gives back the image from its own patches exactly, for every stride ≤ patchSize', () => {
    const rng = new Random(3);
    const image = {
      data: Float32Array.from({ length: 13 * 11 }, () => Math.round(255 * rng.uniform())),
      width: 13,
      height: 11,
    };
    for (const stride of [1, 2, 3, 5]) {
      const P = extractPatches(image, { patchSize: 5, stride });
      const back = reconstructFromPatches(P, { width: 13, height: 11, patchSize: 5, stride });
      back.data.forEach((v, i) => expect(v).toBeCloseTo(image.data[i]!, 4));
    }
  });

  it('averages overlapping patches: constant patches c₀…c₅ give each pixel the mean of those covering it', () => {
    const values = [0, 6, 12, 18, 24, 30];
    const patches = values.map((v) => [v, v, v, v]);
    const out = reconstructFromPatches(patches, { width: 4, height: 3, patchSize: 2 });
    // Pixel (0,0) is covered by patch 0 only; (1,1) by patches 0, 1, 3, 4; (2,3) by patch 5 only.
    expect(out.data[0]).toBe(0);
    expect(out.data[5]).toBe((0 + 6 + 18 + 24) / 4);
    expect(out.data[11]).toBe(30);
    expect(out.data[1]).toBe((0 + 6) / 2);
  });

  describe('misuse', () => {
    it('rejects a patch larger than the image, a bad image, a stride leaving gaps and mismatched patches', () => {
      expect(() => extractPatches(image3x4, { patchSize: 4 })).toThrow(ShapeError);
      expect(() => extractPatches({ data: [1, 2, 3], width: 2, height: 2 }, { patchSize: 1 })).toThrow(
        /width×height = 2×2 = 4 values, got 3/,
      );
      expect(() => extractPatches({ data: [1, Number.NaN, 3, 4], width: 2, height: 2 }, { patchSize: 1 })).toThrow(
        ValueError,
      );
      expect(() => extractPatches(image3x4, { patchSize: 2, step: 1 } as never)).toThrow(/unknown option 'step'/);
      expect(() => extractPatches(image3x4, { patchSize: 2, stride: 0 })).toThrow(/stride/);
      expect(() => reconstructFromPatches([[1, 2, 3, 4]], { width: 4, height: 3, patchSize: 2, stride: 3 })).toThrow(
        /stride must be <= patchSize/,
      );
      expect(() => reconstructFromPatches([[1, 2, 3, 4]], { width: 4, height: 3, patchSize: 2 })).toThrow(
        /patches must be 6×4/,
      );
      expect(() => reconstructFromPatches([[1, 2, 3, 4]], { height: 3, patchSize: 2 } as never)).toThrow(/width/);
    });
  });
});
