import { ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { loadDigits } from '../src/node/data.js';
import {
  balancedSubset,
  decodeDigits,
  decodeImage,
  encodeDigits,
  encodeImage,
  WEB_DIGITS,
  WEB_DIGITS_PER_CLASS,
} from '../web/assets.js';

/** n digits whose pixels are k/255 rounded to three decimals, as the `mnist` package stores them. */
function syntheticDigits(labels: number[]): { n: number; x: Float32Array; y: Float32Array } {
  const x = new Float32Array(labels.length * 784);
  for (let i = 0; i < x.length; i++) x[i] = Math.round(((i * 37) % 256) / 0.255) / 1000;
  return { n: labels.length, x, y: Float32Array.from(labels) };
}

describe('digits codec', () => {
  it('round-trips the mnist package digits exactly, one byte a pixel', () => {
    const all = loadDigits();
    const subset = balancedSubset(all, WEB_DIGITS_PER_CLASS);
    const bytes = encodeDigits(subset);
    expect(bytes.byteLength).toBe(16 + WEB_DIGITS * 785);
    const back = decodeDigits(bytes);
    expect(back.n).toBe(WEB_DIGITS);
    expect(back.y).toEqual(subset.y);
    // Bit-identical pixels: the page trains on the same values as the CLI.
    expect(back.x).toEqual(subset.x);
  });

  it('takes the first digits of each class, in order', () => {
    const d = syntheticDigits([3, 1, 3, 0, 1, 2, 4, 5, 6, 7, 8, 9, 3, 0]);
    const s = balancedSubset(d, 1);
    expect(Array.from(s.y)).toEqual([3, 1, 0, 2, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(s.x.subarray(784, 2 * 784))).toEqual(Array.from(d.x.subarray(784, 2 * 784)));
    expect(Array.from(s.x.subarray(2 * 784, 3 * 784))).toEqual(Array.from(d.x.subarray(3 * 784, 4 * 784)));
  });

  it('refuses a short class, a malformed file and a wrong magic', () => {
    const d = syntheticDigits([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);
    expect(() => balancedSubset(d, 2)).toThrow(/perClass: expected at most the 1 digits of class 1 there are, got 2/);
    expect(() => balancedSubset(d, 0)).toThrow(ValueError);
    const bytes = encodeDigits(d);
    expect(() => decodeDigits(bytes.subarray(0, bytes.byteLength - 1))).toThrow(/expected 8651 bytes for 11 digits/);
    expect(() => decodeDigits(bytes.subarray(0, 8))).toThrow(/at least a 16-byte header, got 8 bytes/);
    expect(() => decodeImage(bytes)).toThrow(/expected the magic 'SKIM', got 'SKDG'/);
    expect(() => encodeDigits({ n: 2, x: new Float32Array(784), y: new Float32Array(2) })).toThrow(ValueError);
  });
});

describe('image codec', () => {
  it('round-trips float pixels exactly (as float32)', () => {
    const image = { width: 3, height: 2, pixels: [0, 12.5, 255, 101.25, 0.5, 77] };
    const bytes = encodeImage(image);
    expect(bytes.byteLength).toBe(16 + 6 * 4);
    expect(decodeImage(bytes)).toEqual(image);
    expect(() => encodeImage({ width: 2, height: 2, pixels: [1, 2, 3] })).toThrow(/expected 2×2 pixels, got 3/);
  });
});
