import { ShapeError, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { makeSparseCodedSignal, OnlineDictionaryLearning } from '../src/index.js';
import { PAPER, recoveryRate } from './learning-helpers.js';

describe('OnlineDictionaryLearning', () => {
  it('one partialFit step with one atom is the closed form: A = Σγ², B = Σγx, d = (B/A)/max(‖B/A‖, 1)', () => {
    // One atom d₀ = e₁ (init), one coefficient per signal: γᵢ = ⟨xᵢ, d₀⟩.
    const X = [
      [2, 1],
      [4, -1],
      [1, 3],
    ];
    const odl = new OnlineDictionaryLearning({ nComponents: 1, nNonzeroCoefs: 1, init: [[1, 0]] });
    odl.partialFit(X);
    const g = [2, 4, 1];
    const A = g.reduce((s, v) => s + v * v, 0);
    const u = [0, 1].map((t) => g.reduce((s, v, i) => s + v * X[i]![t]!, 0) / A);
    const scale = 1 / Math.max(Math.hypot(...u), 1);
    expect(odl.components!.data[0]).toBeCloseTo(u[0]! * scale, 6);
    expect(odl.components!.data[1]).toBeCloseTo(u[1]! * scale, 6);
    // The error recorded is the batch's RMS residual before the update: the x₂ components left over.
    expect(odl.errorHistory[0]).toBeCloseTo(Math.sqrt((1 + 1 + 9) / 6), 6);
    expect(odl.nIter).toBe(1);
  });

  it('a second step down-weights the past by β = (θ+1−η)/(θ+1) (Mairal et al. 2009, §3.4)', () => {
    // With η = 1: t = 1 → θ = η² + t − η = 1, β = 1/2; t = 2 → θ = 2, β = 2/3.
    const odl = new OnlineDictionaryLearning({ nComponents: 1, nNonzeroCoefs: 1, init: [[1, 0]] });
    odl.partialFit([[2, 2]]);
    // A = 4, B = (4, 4): u = (1, 1), d = (1, 1)/√2.
    expect(Array.from(odl.components!.data)).toEqual([Math.fround(Math.SQRT1_2), Math.fround(Math.SQRT1_2)]);
    odl.partialFit([[0, 3]]);
    // γ = 3/√2; A = (2/3)·4 + 9/2 = 43/6; B = (2/3)(4, 4) + (3/√2)(0, 3).
    const A = 43 / 6;
    const B = [8 / 3, 8 / 3 + 9 / Math.SQRT2];
    const d = [Math.SQRT1_2, Math.SQRT1_2];
    const u = [0, 1].map((t) => d[t]! + (B[t]! - A * d[t]!) / A);
    const s = 1 / Math.max(Math.hypot(...u), 1);
    expect(odl.components!.data[0]).toBeCloseTo(u[0]! * s, 6);
    expect(odl.components!.data[1]).toBeCloseTo(u[1]! * s, 6);
  });

  it("recovers ≥ 80% of the atoms of the K-SVD paper's synthetic experiment (mini-batches of 64, 50 epochs)", () => {
    const problem = makeSparseCodedSignal({ ...PAPER, seed: 0 });
    const odl = new OnlineDictionaryLearning({
      nComponents: 50,
      nNonzeroCoefs: 3,
      batchSize: 64,
      maxIter: 50,
      tol: 0,
      seed: 0,
    }).fit(problem.X);
    expect(odl.nIter).toBe(50);
    expect(recoveryRate(problem.dictionary, odl.components!)).toBeGreaterThanOrEqual(0.8);
  });

  it('partialFit over a stream of batches learns; fit is seeded and stoppable', () => {
    const { X } = makeSparseCodedSignal({
      nSamples: 512,
      nComponents: 16,
      nFeatures: 8,
      nNonzeroCoefs: 2,
      snr: 20,
      seed: 3,
    });
    const odl = new OnlineDictionaryLearning({ nComponents: 16, nNonzeroCoefs: 2, seed: 1 });
    for (let epoch = 0; epoch < 5; epoch++) {
      for (let b = 0; b < 512; b += 64) odl.partialFit({ data: X.data.subarray(b * 8, (b + 64) * 8), shape: [64, 8] });
    }
    expect(odl.nIter).toBe(40);
    expect(odl.errorHistory[39]!).toBeLessThan(0.9 * odl.errorHistory[0]!);
    const opts = { nComponents: 16, nNonzeroCoefs: 2, batchSize: 32, maxIter: 6, tol: 0, seed: 2 } as const;
    expect(new OnlineDictionaryLearning(opts).fit(X).components!.data).toEqual(
      new OnlineDictionaryLearning(opts).fit(X).components!.data,
    );
    const stopped = new OnlineDictionaryLearning({ ...opts, onProgress: (e) => e.iteration < 2 }).fit(X);
    expect([stopped.nIter, stopped.stopReason]).toEqual([2, 'callback']);
    expect(stopped.components!.data).toEqual(
      new OnlineDictionaryLearning({ ...opts, maxIter: 2 }).fit(X).components!.data,
    );
  });

  describe('misuse', () => {
    it.each([
      [{ nComponents: 4, nNonzeroCoefs: 1, batchSize: 0 }, /batchSize/],
      [{ nComponents: 4, nNonzeroCoefs: 1, shuffle: 1 }, /shuffle/],
      [{ nComponents: 4, nNonzeroCoefs: 1, batch_size: 8 }, /unknown option 'batch_size'/],
    ])('rejects %o with a ValueError', (options, message) => {
      expect(() => new OnlineDictionaryLearning(options as never)).toThrow(ValueError);
      expect(() => new OnlineDictionaryLearning(options as never)).toThrow(message);
    });

    it('a rejected partialFit (other width, NaN) changes nothing', () => {
      const odl = new OnlineDictionaryLearning({ nComponents: 2, nNonzeroCoefs: 1, seed: 0 });
      odl.partialFit([
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ]);
      const snapshot = { components: odl.components, history: [...odl.errorHistory], n: odl.nIter };
      expect(() => odl.partialFit([[1, 2]])).toThrow(ShapeError);
      expect(() => odl.partialFit([[1, Number.NaN, 2]])).toThrow(ValueError);
      expect(odl.components).toBe(snapshot.components);
      expect(odl.errorHistory).toEqual(snapshot.history);
      expect(odl.nIter).toBe(snapshot.n);
      odl.partialFit([[1, 1, 0]]);
      expect(odl.nIter).toBe(snapshot.n + 1);
    });
  });
});
