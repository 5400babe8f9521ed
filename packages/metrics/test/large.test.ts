import { Random } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { gini, hoyer, l0 } from '../src/index.js';

const N = 10_000_000;

/** 0, 1, …, n − 1 in a seeded random order (all exact in float32: n < 2^24). */
function shuffledRamp(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = i;
  const rng = new Random(99);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = x[i];
    x[i] = x[j];
    x[j] = t;
  }
  return x;
}

// An O(N²) Gini (pairwise differences) or a comparison sort per element would not finish
// within the test timeout at N = 1e7; the assertions are on the values, not the time.
describe('1e7 elements', () => {
  it('gini and hoyer of a shuffled ramp 0…N−1 match their closed forms', () => {
    const x = shuffledRamp(N);
    // Σⱼ j(N − j − ½) = N(N − 1)(2N − 1)/12 and ‖x‖₁ = N(N − 1)/2 give G = (N + 1)/(3N).
    expect(gini(x)).toBeCloseTo((N + 1) / (3 * N), 12);
    const ratio = (N * (N - 1)) / 2 / Math.sqrt(((N - 1) * N * (2 * N - 1)) / 6);
    // float64 sums of 1e7 squares up to 1e14 keep about 12 digits.
    expect(hoyer(x)).toBeCloseTo((Math.sqrt(N) - ratio) / (Math.sqrt(N) - 1), 10);
  });

  it('gini of a 99 %-sparse float64 vector equals the gini of its non-zeros padded with zeros', () => {
    const rng = new Random(5);
    const x = new Float64Array(N);
    for (let i = 0; i < N; i += 100) x[i] = rng.normal();
    const nonZeros = x.filter((v) => v !== 0);
    expect(l0(x)).toBe(N / 100);
    // With z zeros in front, G(x) = 1 − (nnz/N)(1 − G(non-zeros)).
    expect(gini(x)).toBeCloseTo(1 - (nonZeros.length / N) * (1 - gini(nonZeros)), 12);
  });
});
