import { Random, ShapeError, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { MOD, makeSparseCodedSignal } from '../src/index.js';
import { sparseCodes } from '../src/learning.js';
import { choleskySolve, modUpdate } from '../src/mod.js';
import { runSync } from '../src/steps.js';
import { PAPER, recoveryRate } from './learning-helpers.js';

describe('choleskySolve', () => {
  it('solves A·Y = B for a symmetric positive definite A (Y known)', () => {
    const rng = new Random(1);
    const k = 7;
    const n = 3;
    const M = Float64Array.from({ length: k * k }, () => rng.normal());
    const A = new Float64Array(k * k);
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) for (let t = 0; t < k; t++) A[a * k + b] += M[t * k + a]! * M[t * k + b]!;
    for (let a = 0; a < k; a++) A[a * k + a] += 0.5;
    const Y = Float64Array.from({ length: k * n }, () => rng.normal());
    const B = new Float64Array(k * n);
    for (let a = 0; a < k; a++)
      for (let c = 0; c < n; c++) for (let t = 0; t < k; t++) B[a * n + c] += A[a * k + t]! * Y[t * n + c]!;
    choleskySolve(A, k, B, n);
    B.forEach((v, i) => expect(v).toBeCloseTo(Y[i]!, 10));
  });
});

describe('modUpdate', () => {
  it('returns the least-squares atoms: the gradient Cᵀ(CD − X) vanishes before normalisation, and CD is unchanged by it', () => {
    const { X } = makeSparseCodedSignal({
      nSamples: 120,
      nComponents: 10,
      nFeatures: 6,
      nNonzeroCoefs: 2,
      snr: 10,
      seed: 2,
    });
    const Xm = { rows: 120, cols: 6, data: Float64Array.from(X.data) };
    const rng = new Random(4);
    const D = Float64Array.from({ length: 60 }, () => rng.normal());
    const codes = runSync(sparseCodes(Xm, D, 10, { nNonzeroCoefs: 2 }));
    const scaled = modUpdate(Xm, D, 10, codes);
    // With the rescaled codes C' and unit atoms D', C'D' equals C·D_ls, so Cᵀ(C'D' − X) = 0.
    const grad = new Float64Array(60);
    for (let i = 0; i < 120; i++) {
      const r = Array.from(Xm.data.subarray(i * 6, i * 6 + 6), (v) => -v);
      for (let p = codes.indptr[i]!; p < codes.indptr[i + 1]!; p++)
        for (let t = 0; t < 6; t++) r[t]! += scaled[p]! * D[codes.indices[p]! * 6 + t]!;
      for (let p = codes.indptr[i]!; p < codes.indptr[i + 1]!; p++)
        for (let t = 0; t < 6; t++) grad[codes.indices[p]! * 6 + t] += codes.values[p]! * r[t]!;
    }
    grad.forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-4));
    for (let j = 0; j < 10; j++) expect(Math.hypot(...D.subarray(j * 6, j * 6 + 6))).toBeCloseTo(1, 10);
  });
});

describe('MOD', () => {
  it("recovers ≥ 85% of the atoms in the K-SVD paper's synthetic experiment", () => {
    const problem = makeSparseCodedSignal({ ...PAPER, seed: 0 });
    const mod = new MOD({ nComponents: 50, nNonzeroCoefs: 3, maxIter: 50, tol: 0, seed: 0 }).fit(problem.X);
    expect(mod.nIter).toBe(50);
    expect(recoveryRate(problem.dictionary, mod.components!)).toBeGreaterThanOrEqual(0.85);
  });

  it('lowers the error, is seeded, and stops on onProgress returning false keeping the atoms', () => {
    const { X } = makeSparseCodedSignal({
      nSamples: 300,
      nComponents: 20,
      nFeatures: 10,
      nNonzeroCoefs: 2,
      snr: 20,
      seed: 5,
    });
    const opts = { nComponents: 20, nNonzeroCoefs: 2, maxIter: 8, tol: 0, seed: 1 } as const;
    const full = new MOD(opts).fit(X);
    expect(full.errorHistory[7]!).toBeLessThan(full.errorHistory[0]!);
    expect(new MOD(opts).fit(X).components!.data).toEqual(full.components!.data);
    const stopped = new MOD({ ...opts, onProgress: (e) => e.iteration < 4 }).fit(X);
    expect([stopped.nIter, stopped.stopReason]).toEqual([4, 'callback']);
    expect(stopped.components!.data).toEqual(new MOD({ ...opts, maxIter: 4 }).fit(X).components!.data);
    expect(stopped.transform(X).shape).toEqual([300, 20]);
  });

  describe('misuse', () => {
    it.each([
      [{ nComponents: 4, nNonzeroCoefs: 5 }, /nNonzeroCoefs/],
      [{ nComponents: 4, codingTol: -1 }, /codingTol/],
      [{ nComponents: 4, nNonzeroCoefs: 1, approximate: true }, /unknown option 'approximate'/],
      [{ nComponents: 4, nNonzeroCoefs: 1, seed: Number.NaN }, /seed/],
    ])('rejects %o with a ValueError', (options, message) => {
      expect(() => new MOD(options as never)).toThrow(ValueError);
      expect(() => new MOD(options as never)).toThrow(message);
    });

    it('a rejected fit changes nothing', () => {
      const { X } = makeSparseCodedSignal({ nSamples: 40, nComponents: 4, nFeatures: 5, nNonzeroCoefs: 1, seed: 1 });
      const mod = new MOD({
        nComponents: 4,
        nNonzeroCoefs: 1,
        maxIter: 2,
        init: { data: new Float32Array(20).map((_, i) => i + 1), shape: [4, 5] },
      }).fit(X);
      const before = mod.components;
      expect(() => mod.fit([[1, 2, 3]])).toThrow(ShapeError);
      expect(() => mod.fit([[1, 2, 3, 4, Infinity]])).toThrow(ValueError);
      expect(mod.components).toBe(before);
    });
  });
});
