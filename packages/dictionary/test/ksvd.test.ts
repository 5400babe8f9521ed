import { Random, ShapeError, tensor, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { KSVD, makeSparseCodedSignal } from '../src/index.js';
import { rank1, updateAtoms } from '../src/ksvd.js';
import { residualSqErrors, sparseCodes } from '../src/learning.js';
import { orthogonalMatchingPursuit } from '../src/omp.js';
import { runSync } from '../src/steps.js';
import { PAPER, recoveryRate, symmetricEigenvalues } from './learning-helpers.js';

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const rng = new Random(seed);
  return Float64Array.from({ length: rows * cols }, () => rng.normal());
}

function unitRows(D: Float64Array, k: number, n: number): Float64Array {
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += D[j * n + t]! ** 2;
    for (let t = 0; t < n; t++) D[j * n + t]! /= Math.sqrt(s);
  }
  return D;
}

describe('rank1 (the exact K-SVD atom step)', () => {
  for (const [m, n] of [
    [30, 6],
    [4, 9],
    [7, 7],
  ] as const) {
    it(`gives the best rank-1 fit of a ${m}×${n} matrix: residual = Σσ² − σ₁² (brute-force eigenvalues)`, () => {
      const E = randomMatrix(m, n, m * 100 + n);
      const d = new Float64Array(n);
      const g = new Float64Array(m);
      rank1(
        E,
        m,
        n,
        Float64Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0)),
        d,
        g,
      );
      const EtE = new Float64Array(n * n);
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) for (let r = 0; r < m; r++) EtE[a * n + b] += E[r * n + a]! * E[r * n + b]!;
      const eig = symmetricEigenvalues(EtE, n);
      let total = 0;
      let residual = 0;
      for (let r = 0; r < m; r++) {
        for (let c = 0; c < n; c++) {
          total += E[r * n + c]! ** 2;
          residual += (E[r * n + c]! - g[r]! * d[c]!) ** 2;
        }
      }
      expect(residual).toBeCloseTo(total - eig[0]!, 8);
      expect(Math.hypot(...d)).toBeCloseTo(1, 12);
    });
  }
});

describe('updateAtoms', () => {
  const { X } = makeSparseCodedSignal({
    nSamples: 200,
    nComponents: 12,
    nFeatures: 8,
    nNonzeroCoefs: 2,
    snr: 20,
    seed: 3,
  });
  const Xm = { rows: 200, cols: 8, data: Float64Array.from(X.data) };
  const D0 = unitRows(randomMatrix(12, 8, 9), 12, 8);
  const codes = runSync(sparseCodes(Xm, D0, 12, { nNonzeroCoefs: 2 }));

  it('exact: keeps every support, never increases the error, and leaves unit-norm atoms', () => {
    const D = Float64Array.from(D0);
    const working = { indptr: codes.indptr, indices: codes.indices, values: Float64Array.from(codes.values) };
    const before = residualSqErrors(Xm, D, working).reduce((a, b) => a + b, 0);
    updateAtoms(Xm, D, 12, working, false);
    const after = residualSqErrors(Xm, D, working).reduce((a, b) => a + b, 0);
    expect(after).toBeLessThan(before * 0.9);
    expect(working.indices).toEqual(codes.indices);
    for (let j = 0; j < 12; j++) expect(Math.hypot(...D.subarray(j * 8, j * 8 + 8))).toBeCloseTo(1, 10);
  });

  it('approximate: matches one power step on the explicitly formed residual (Rubinstein et al., Algorithm 5)', () => {
    const D = Float64Array.from(D0);
    const working = { indptr: codes.indptr, indices: codes.indices, values: Float64Array.from(codes.values) };
    // Reference for atom 0 only, by forming E = X_I − Σ_{k≠0} γ_{I,k} d_k.
    const users: { i: number; p: number }[] = [];
    for (let i = 0; i < 200; i++)
      for (let p = codes.indptr[i]!; p < codes.indptr[i + 1]!; p++) if (codes.indices[p] === 0) users.push({ i, p });
    expect(users.length).toBeGreaterThan(3);
    const E = users.map(({ i }) => {
      const e = Array.from(Xm.data.subarray(i * 8, i * 8 + 8));
      for (let p = codes.indptr[i]!; p < codes.indptr[i + 1]!; p++) {
        const a = codes.indices[p]!;
        if (a !== 0) for (let t = 0; t < 8; t++) e[t]! -= codes.values[p]! * D0[a * 8 + t]!;
      }
      return e;
    });
    const d = new Array(8).fill(0);
    users.forEach(({ p }, r) => E[r]!.forEach((v, t) => (d[t] += codes.values[p]! * v)));
    const norm = Math.hypot(...d);
    const dRef = d.map((v) => v / norm);
    const gRef = E.map((e) => e.reduce((s, v, t) => s + v * dRef[t]!, 0));
    updateAtoms(Xm, D, 12, working, true);
    for (let t = 0; t < 8; t++) expect(D[t]).toBeCloseTo(dRef[t]!, 10);
    users.forEach(({ p }, r) => expect(working.values[p]).toBeCloseTo(gRef[r]!, 10));
  });
});

describe('KSVD', () => {
  it("recovers ≥ 90% of the atoms in the paper's synthetic experiment (20×50, 1,500 signals, 3 atoms, 20 dB, 50 iterations)", () => {
    const problem = makeSparseCodedSignal({ ...PAPER, seed: 0 });
    const ksvd = new KSVD({ nComponents: 50, nNonzeroCoefs: 3, maxIter: 50, tol: 0, seed: 0 }).fit(problem.X);
    expect(ksvd.nIter).toBe(50);
    expect(ksvd.stopReason).toBe('maxIter');
    expect(recoveryRate(problem.dictionary, ksvd.components!)).toBeGreaterThanOrEqual(0.9);
  });

  it('approximate K-SVD recovers ≥ 80% of the atoms in the same experiment', () => {
    const problem = makeSparseCodedSignal({ ...PAPER, seed: 1 });
    const ksvd = new KSVD({ nComponents: 50, nNonzeroCoefs: 3, maxIter: 50, tol: 0, seed: 1, approximate: true }).fit(
      problem.X,
    );
    expect(recoveryRate(problem.dictionary, ksvd.components!)).toBeGreaterThanOrEqual(0.8);
  });

  it('drives the RMS error down to within 30% of the noise level and records it per iteration', () => {
    const problem = makeSparseCodedSignal({ ...PAPER, seed: 2 });
    const ksvd = new KSVD({ nComponents: 50, nNonzeroCoefs: 3, maxIter: 30, tol: 0, seed: 2 }).fit(problem.X);
    // The noise RMS at 20 dB SNR is 10^(−1)·RMS(X_clean) ≈ 0.1·√(3/20) (three unit-variance terms over 20 features).
    const noiseRms = 0.1 * Math.sqrt(3 / 20);
    expect(ksvd.errorHistory).toHaveLength(30);
    expect(ksvd.errorHistory[29]!).toBeLessThan(ksvd.errorHistory[0]! / 2);
    expect(ksvd.errorHistory[29]!).toBeLessThan(1.3 * noiseRms);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const { X } = makeSparseCodedSignal({ nSamples: 300, nComponents: 20, nFeatures: 10, nNonzeroCoefs: 2, seed: 5 });
    const fit = (seed: number) =>
      new KSVD({ nComponents: 20, nNonzeroCoefs: 2, maxIter: 5, seed }).fit(X).components!.data;
    expect(fit(7)).toEqual(fit(7));
    expect(fit(7)).not.toEqual(fit(8));
  });

  it('transform is orthogonalMatchingPursuit over the learned atoms', () => {
    const { X } = makeSparseCodedSignal({ nSamples: 100, nComponents: 16, nFeatures: 8, nNonzeroCoefs: 2, seed: 6 });
    const ksvd = new KSVD({ nComponents: 16, nNonzeroCoefs: 2, maxIter: 3, seed: 0 }).fit(X);
    const codes = ksvd.transform(X);
    expect(codes.shape).toEqual([100, 16]);
    expect(codes.dataSync()).toEqual(orthogonalMatchingPursuit(X, ksvd.components!, { nNonzeroCoefs: 2 }).dataSync());
  });

  it('an error target (codingTol) codes each signal until ‖x − γD‖² ≤ codingTol', () => {
    const { X } = makeSparseCodedSignal({
      nSamples: 200,
      nComponents: 16,
      nFeatures: 8,
      nNonzeroCoefs: 2,
      snr: 30,
      seed: 4,
    });
    const ksvd = new KSVD({ nComponents: 16, codingTol: 0.05, maxIter: 5, seed: 0 }).fit(X);
    const codes = ksvd.transform(X).dataSync();
    const D = ksvd.components!.data;
    for (let i = 0; i < 200; i++) {
      let r = 0;
      for (let t = 0; t < 8; t++) {
        let v = X.data[i * 8 + t]!;
        for (let j = 0; j < 16; j++) v -= codes[i * 16 + j]! * D[j * 8 + t]!;
        r += v * v;
      }
      expect(r).toBeLessThanOrEqual(0.05 + 1e-4);
    }
  });

  it('replaces unused atoms: duplicated starting atoms end up distinct', () => {
    const problem = makeSparseCodedSignal({ nSamples: 400, nComponents: 10, nFeatures: 8, nNonzeroCoefs: 1, seed: 9 });
    const init = { data: new Float32Array(10 * 8).fill(1), shape: [10, 8] as [number, number] };
    const ksvd = new KSVD({ nComponents: 10, nNonzeroCoefs: 1, maxIter: 10, init, seed: 0 }).fit(problem.X);
    const D = ksvd.components!.data;
    for (let a = 0; a < 10; a++) {
      for (let b = a + 1; b < 10; b++) {
        let dot = 0;
        for (let t = 0; t < 8; t++) dot += D[a * 8 + t]! * D[b * 8 + t]!;
        expect(Math.abs(dot)).toBeLessThan(0.99);
      }
    }
    expect(recoveryRate(problem.dictionary, ksvd.components!)).toBe(1);
  });

  it("init 'random' starts from seeded Gaussian atoms", () => {
    const { X } = makeSparseCodedSignal({ nSamples: 100, nComponents: 8, nFeatures: 6, nNonzeroCoefs: 1, seed: 1 });
    const a = new KSVD({ nComponents: 8, nNonzeroCoefs: 1, maxIter: 2, init: 'random', seed: 3 }).fit(X);
    const b = new KSVD({ nComponents: 8, nNonzeroCoefs: 1, maxIter: 2, init: 'data', seed: 3 }).fit(X);
    expect(a.components!.data).not.toEqual(b.components!.data);
    expect(a.errorHistory.every(Number.isFinite)).toBe(true);
  });

  describe('stopping', () => {
    const { X } = makeSparseCodedSignal({
      nSamples: 200,
      nComponents: 16,
      nFeatures: 8,
      nNonzeroCoefs: 2,
      snr: 20,
      seed: 2,
    });
    const opts = { nComponents: 16, nNonzeroCoefs: 2, maxIter: 10, tol: 0, seed: 4 } as const;

    it('calls onProgress after every iteration; returning false stops and keeps what was learned', () => {
      const seen: number[] = [];
      const stopped = new KSVD({ ...opts, onProgress: (e) => (seen.push(e.iteration), e.iteration < 3) }).fit(X);
      expect(seen).toEqual([1, 2, 3]);
      expect(stopped.nIter).toBe(3);
      expect(stopped.stopReason).toBe('callback');
      const three = new KSVD({ ...opts, maxIter: 3 }).fit(X);
      expect(stopped.components!.data).toEqual(three.components!.data);
      expect(stopped.errorHistory).toEqual(three.errorHistory);
    });

    it('a signal aborted during the fit stops it after that iteration', () => {
      const controller = new AbortController();
      const ksvd = new KSVD({ ...opts, onProgress: (e) => void (e.iteration === 2 && controller.abort()) }).fit(X, {
        signal: controller.signal,
      });
      expect(ksvd.nIter).toBe(2);
      expect(ksvd.stopReason).toBe('aborted');
    });

    it('fitAsync yields between iterations, so a timer can abort it', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 0);
      const ksvd = await new KSVD(opts).fitAsync(X, { signal: controller.signal });
      expect(ksvd.nIter).toBe(1);
      expect(ksvd.stopReason).toBe('aborted');
      const full = await new KSVD(opts).fitAsync(X);
      expect(full.components!.data).toEqual(new KSVD(opts).fit(X).components!.data);
    });

    it('an already aborted signal changes nothing', () => {
      const ksvd = new KSVD(opts).fit(X);
      const before = { data: ksvd.components!.data, history: ksvd.errorHistory, n: ksvd.nIter };
      ksvd.fit(X, { signal: AbortSignal.abort() });
      expect(ksvd.components!.data).toBe(before.data);
      expect(ksvd.errorHistory).toBe(before.history);
      expect(ksvd.nIter).toBe(before.n);
    });

    it('stops as converged when the relative error change is within tol', () => {
      const ksvd = new KSVD({ ...opts, tol: 0.5 }).fit(X);
      expect(ksvd.stopReason).toBe('converged');
      expect(ksvd.nIter).toBe(2);
    });
  });

  describe('misuse', () => {
    const { X } = makeSparseCodedSignal({ nSamples: 50, nComponents: 8, nFeatures: 6, nNonzeroCoefs: 1, seed: 1 });
    it.each([
      [{ nComponents: 0, nNonzeroCoefs: 1 }, /nComponents/],
      [{ nComponents: 8, nNonzeroCoefs: 9 }, /nNonzeroCoefs must be an integer in \[1, 8\], got number 9/],
      [{ nComponents: 8 }, /expected nNonzeroCoefs or codingTol/],
      [{ nComponents: 8, codingTol: 0 }, /codingTol must be a finite number > 0/],
      [{ nComponents: 8, nNonzeroCoefs: 1, tol: -1 }, /tol/],
      [{ nComponents: 8, nNonzeroCoefs: 1, maxIter: 1.5 }, /maxIter/],
      [{ nComponents: 8, nNonzeroCoefs: 1, init: 'pca' }, /init/],
      [{ nComponents: 8, nNonzeroCoefs: 1, approximate: 'yes' }, /approximate/],
      [{ nComponents: 8, nNonzeroCoefs: 1, onProgress: 3 }, /onProgress/],
      [{ nComponents: 8, nNonzeroCoefs: 1, nNonZeroCoefs: 2 }, /unknown option 'nNonZeroCoefs'/],
    ])('rejects options %o with a ValueError', (options, message) => {
      expect(() => new KSVD(options as never)).toThrow(ValueError);
      expect(() => new KSVD(options as never)).toThrow(message);
    });

    it('rejects an init dictionary with the wrong number of rows (ShapeError)', () => {
      expect(() => new KSVD({ nComponents: 8, nNonzeroCoefs: 1, init: [[1, 0]] })).toThrow(ShapeError);
    });

    it('a rejected fit (NaN in X, wrong width for init, bad signal) changes nothing', () => {
      const init = { data: new Float32Array(8 * 6).map((_, i) => (i % 7) + 1), shape: [8, 6] as [number, number] };
      const ksvd = new KSVD({ nComponents: 8, nNonzeroCoefs: 1, maxIter: 3, init, seed: 0 }).fit(X);
      const snapshot = {
        components: ksvd.components,
        history: ksvd.errorHistory,
        n: ksvd.nIter,
        reason: ksvd.stopReason,
      };
      const bad = { data: Float32Array.from(X.data), shape: X.shape };
      bad.data[7] = Number.NaN;
      expect(() => ksvd.fit(bad)).toThrow(ValueError);
      expect(() => ksvd.fit(bad)).toThrow(/X\[1\]\[1\] must be a finite number/);
      expect(() => ksvd.fit({ data: new Float32Array(50 * 5), shape: [50, 5] })).toThrow(ShapeError);
      expect(() => ksvd.fit(X, { signal: 'stop' as never })).toThrow(ValueError);
      expect(() => ksvd.fit(X, { signl: undefined } as never)).toThrow(/unknown option 'signl'/);
      expect(ksvd.components).toBe(snapshot.components);
      expect(ksvd.errorHistory).toBe(snapshot.history);
      expect([ksvd.nIter, ksvd.stopReason]).toEqual([snapshot.n, snapshot.reason]);
    });

    it('transform before fit is a ValueError; a width other than the atoms is a ShapeError', () => {
      expect(() => new KSVD({ nComponents: 8, nNonzeroCoefs: 1 }).transform(X)).toThrow(/not been fitted/);
      const ksvd = new KSVD({ nComponents: 8, nNonzeroCoefs: 1, maxIter: 1 }).fit(X);
      expect(() => ksvd.transform([[1, 2, 3]])).toThrow(ShapeError);
    });

    it('fitAsync and transformAsync reject with the same typed errors, named after themselves, and change nothing', async () => {
      const init = { data: new Float32Array(8 * 6).map((_, i) => (i % 7) + 1), shape: [8, 6] as [number, number] };
      const ksvd = new KSVD({ nComponents: 8, nNonzeroCoefs: 1, maxIter: 3, init, seed: 0 });
      await expect(ksvd.transformAsync(X)).rejects.toThrow(/KSVD\.transformAsync: the learner has not been fitted/);
      await ksvd.fitAsync(X);
      const snapshot = { components: ksvd.components, history: ksvd.errorHistory, n: ksvd.nIter };
      const bad = { data: Float32Array.from(X.data), shape: X.shape };
      bad.data[7] = Number.NaN;
      await expect(ksvd.fitAsync(bad)).rejects.toThrow(ValueError);
      await expect(ksvd.fitAsync(bad)).rejects.toThrow(/KSVD\.fitAsync: X\[1\]\[1\] must be a finite number/);
      await expect(ksvd.fitAsync({ data: new Float32Array(50 * 5), shape: [50, 5] })).rejects.toThrow(ShapeError);
      await expect(ksvd.fitAsync(tensor([1, 2, 3]) as never)).rejects.toThrow(
        /X must be a 2-D tensor, got shape \[3\]/,
      );
      await expect(ksvd.fitAsync(X, { signal: 'stop' as never })).rejects.toThrow(ValueError);
      await expect(ksvd.fitAsync(X, { signl: undefined } as never)).rejects.toThrow(/unknown option 'signl'/);
      await expect(ksvd.transformAsync([[1, 2, 3]])).rejects.toThrow(ShapeError);
      expect(ksvd.components).toBe(snapshot.components);
      expect(ksvd.errorHistory).toBe(snapshot.history);
      expect(ksvd.nIter).toBe(snapshot.n);
    });
  });
});
