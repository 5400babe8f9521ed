import { describe, expect, it } from 'vitest';
import { loadBoats, loadDigits } from '../src/node/data.js';

describe('loadDigits', () => {
  const digits = loadDigits();

  it("gives the mnist package's 10,000 digits of 784 pixels in [0, 1]", () => {
    expect(digits.n).toBe(10_000);
    expect(digits.x.length).toBe(10_000 * 784);
    expect(digits.y.length).toBe(10_000);
    let min = Infinity;
    let max = -Infinity;
    for (const v of digits.x) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
  });

  it('has the per-class counts the package ships, in class order', () => {
    const counts = new Array(10).fill(0);
    for (const c of digits.y) counts[c]++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    for (let i = 1; i < digits.n; i++) expect(digits.y[i]).toBeGreaterThanOrEqual(digits.y[i - 1]);
  });

  it('gives digits that are not blank: every image has ink', () => {
    for (let i = 0; i < digits.n; i += 97) {
      let ink = 0;
      for (let j = 0; j < 784; j++) ink += digits.x[i * 784 + j];
      expect(ink).toBeGreaterThan(10);
    }
  });
});

describe('loadBoats', () => {
  it('decodes the 1024×819 boats photograph to grey on the 0–255 scale', () => {
    const img = loadBoats();
    expect(img.width).toBe(1024);
    expect(img.height).toBe(819);
    expect(img.pixels.length).toBe(1024 * 819);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of img.pixels) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(255);
    // A real photograph: a wide range and a mid-grey mean.
    expect(max - min).toBeGreaterThan(200);
    expect(sum / img.pixels.length).toBeGreaterThan(60);
    expect(sum / img.pixels.length).toBeLessThan(200);
  });
});
