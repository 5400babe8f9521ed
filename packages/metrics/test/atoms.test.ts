import { Random, ShapeError, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { atomRecovery } from '../src/index.js';

/** A random [m, k] dictionary, row-major. */
function randomDictionary(rng: Random, m: number, k: number): { data: Float64Array; shape: [number, number] } {
  return { data: Float64Array.from({ length: m * k }, () => rng.normal()), shape: [m, k] };
}

describe('atomRecovery', () => {
  it('recovers permuted, rescaled and sign-flipped atoms', () => {
    const eye = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    const learned = [
      [0, -2, 0],
      [0, 0, 5],
      [0.5, 0, 0],
    ];
    const r = atomRecovery(eye, learned);
    expect(r).toEqual({ rate: 1, recovered: 3, atoms: 3, bestMatch: [1, 2, 0], distance: [0, 0, 0] });
  });

  it('applies 1 − |⟨d̂, d⟩| < threshold (default 0.01) to unit-normalised columns', () => {
    // A learned atom at angle θ from e₁ has distance 1 − cos θ: 0.02 misses 0.01, passes 0.05.
    const cos = 0.98;
    const sin = Math.sqrt(1 - cos * cos);
    const truth = [[1], [0]];
    const learned = [[cos * 3], [sin * 3]];
    const r = atomRecovery(truth, learned);
    expect(r.rate).toBe(0);
    expect(r.distance[0]).toBeCloseTo(0.02, 14);
    expect(atomRecovery(truth, learned, { threshold: 0.05 }).rate).toBe(1);
  });

  it('counts the fraction of true atoms matched, not one-to-one, with zero learned atoms matching nothing', () => {
    const truth = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 0],
    ];
    const learned = [
      [1, 1, 0],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const r = atomRecovery(truth, learned);
    expect(r.recovered).toBe(1);
    expect(r.rate).toBeCloseTo(1 / 3, 15);
    expect(r.bestMatch).toEqual([0, -1, -1]);
    expect(r.distance).toEqual([0, 1, 1]);
  });

  it('recovers a noisy copy of a random dictionary, and not an unrelated one', () => {
    const rng = new Random(3);
    const m = 20;
    const k = 30;
    const truth = randomDictionary(rng, m, k);
    const noisy = { data: truth.data.map((v) => v + 0.01 * rng.normal()), shape: truth.shape };
    expect(atomRecovery(truth, noisy).rate).toBe(1);
    expect(atomRecovery(truth, randomDictionary(rng, m, k)).rate).toBe(0);
  });

  it('rejects mismatched dimensions, empty dictionaries, zero true atoms and bad thresholds', () => {
    expect(() => atomRecovery([[1], [0]], [[1]])).toThrow(
      new ShapeError(
        'atomRecovery',
        'trueAtoms and learnedAtoms must have the same number of rows (signal dimension), got 2 and 1',
      ),
    );
    expect(() => atomRecovery({ data: [], shape: [2, 0] }, [[1], [0]])).toThrow(ShapeError);
    expect(() => atomRecovery([[0], [0]], [[1], [0]])).toThrow(
      new ValueError('atomRecovery', 'trueAtoms column 0 is all zero; a true atom must have a direction'),
    );
    expect(() => atomRecovery([[1]], [[1]], { threshold: 0 })).toThrow(
      'options.threshold must be a number in (0, 1], got number 0',
    );
    expect(() => atomRecovery([[1]], [[NaN]])).toThrow(
      'atomRecovery: learnedAtoms[0][0] must be a finite number, got number NaN',
    );
  });
});
