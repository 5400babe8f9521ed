import { Random } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { sortNonNegative } from '../src/radix-sort.js';

function check(values: Float32Array | Float64Array): void {
  const expected = values.slice().sort();
  sortNonNegative(values);
  expect(values).toEqual(expected);
}

describe('sortNonNegative', () => {
  const rng = new Random(7);
  for (const n of [0, 1, 5, 65_535, 65_536, 200_001]) {
    it(`sorts ${n} float32 and float64 magnitudes like Array.prototype.sort`, () => {
      const draw = (): number => Math.abs(rng.normal()) * 10 ** rng.int(-30, 30);
      check(Float32Array.from({ length: n }, draw));
      check(Float64Array.from({ length: n }, draw));
    });
  }

  it('handles duplicates, shared exponents (skipped digits), subnormals and the extremes', () => {
    const n = 70_000;
    check(Float32Array.from({ length: n }, (_, i) => 1 + (i % 7) / 8));
    check(Float64Array.from({ length: n }, (_, i) => [5e-324, Number.MAX_VALUE, 1, 0.5][i % 4]));
    check(Float32Array.from({ length: n }, (_, i) => (i % 3) * 1e-45));
    check(new Float64Array(n).fill(3));
    check(new Float32Array(n).fill(3));
  });

  it('sorts a view in place without touching the rest of its buffer', () => {
    const descending = (_: unknown, i: number): number => 100_000 - i;
    for (const buffer of [
      Float32Array.from({ length: 100_000 }, descending),
      Float64Array.from({ length: 100_000 }, descending),
    ]) {
      const view = buffer.subarray(10_000, 90_000);
      sortNonNegative(view);
      expect(view[0]).toBe(10_001);
      expect(view[79_999]).toBe(90_000);
      expect(buffer[0]).toBe(100_000);
      expect(buffer[99_999]).toBe(1);
    }
  });
});
