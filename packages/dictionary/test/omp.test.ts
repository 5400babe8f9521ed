import { readFileSync } from 'node:fs';
import { memory, ShapeError, tensor, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { batchOmp, csrCodesToDense, type OmpOptions, orthogonalMatchingPursuit } from '../src/omp.js';
import { abt, naiveOmp, randomMatrix } from './reference.js';

const n = 16;
const k = 40;
const D = randomMatrix(k, n, 1, true);
const X = randomMatrix(25, n, 2);
const G = abt(D, D, k, k, n);
const DtX = Float32Array.from(abt(X, D, 25, k, n));

describe('batchOmp', () => {
  it('selects the same atoms and coefficients as textbook OMP with an explicit residual', () => {
    const codes = batchOmp(G, DtX, k, { nNonzeroCoefs: 5 });
    for (let i = 0; i < 25; i++) {
      const want = naiveOmp(X.subarray(i * n, (i + 1) * n), D, k, n, 5);
      const got = new Map<number, number>();
      for (let p = codes.indptr[i]!; p < codes.indptr[i + 1]!; p++) got.set(codes.indices[p]!, codes.values[p]!);
      expect([...got.keys()].sort((a, b) => a - b)).toEqual([...want.keys()].sort((a, b) => a - b));
      for (const [a, c] of want) expect(got.get(a)!).toBeCloseTo(c, 4);
    }
  });

  it('keeps CSR rows ascending and expands them to dense codes', () => {
    const codes = batchOmp(G, DtX, k, { nNonzeroCoefs: 4 });
    expect(codes.indptr[25]).toBe(100);
    for (let i = 0; i < 25; i++) {
      for (let p = codes.indptr[i]! + 1; p < codes.indptr[i + 1]!; p++)
        expect(codes.indices[p]!).toBeGreaterThan(codes.indices[p - 1]!);
    }
    const dense = csrCodesToDense(codes, k);
    expect(dense.length).toBe(25 * k);
    expect(dense[codes.indices[0]!]).toBe(codes.values[0]);
    expect([...dense].filter((v) => v !== 0).length).toBe(100);
  });

  it('stops each signal once its squared residual is within tol', () => {
    const sq = new Float64Array(25);
    for (let i = 0; i < 25; i++) for (let t = 0; t < n; t++) sq[i]! += X[i * n + t]! ** 2;
    const tol = 2;
    const codes = batchOmp(G, DtX, k, { tol, sqNorms: sq });
    for (let i = 0; i < 25; i++) {
      const m = codes.indptr[i + 1]! - codes.indptr[i]!;
      const residual = (atoms: number) => {
        const c = naiveOmp(X.subarray(i * n, (i + 1) * n), D, k, n, atoms);
        let e = 0;
        for (let t = 0; t < n; t++) {
          let v = X[i * n + t]!;
          for (const [a, g] of c) v -= g * D[a * n + t]!;
          e += v * v;
        }
        return e;
      };
      expect(residual(m)).toBeLessThanOrEqual(tol * (1 + 1e-4));
      if (m > 1) expect(residual(m - 1)).toBeGreaterThan(tol);
    }
  });

  it('gives no atoms to a signal already within tol, and stops at nNonzeroCoefs when both are set', () => {
    const codes = batchOmp(G, DtX, k, { tol: 1e9, sqNorms: new Float64Array(25).fill(1) });
    expect(codes.indptr[25]).toBe(0);
    const both = batchOmp(G, DtX, k, { tol: 1e-9, nNonzeroCoefs: 3, sqNorms: new Float64Array(25).fill(100) });
    expect(both.indptr[25]).toBe(75);
  });

  it('stops early on a dependent atom instead of dividing by zero', () => {
    // Two copies of the same atom: after one is chosen, the other has G_λλ − wᵀw = 0.
    const D2 = new Float32Array([1, 0, 1, 0, 0, 1]);
    const G2 = abt(D2, D2, 3, 3, 2);
    const codes = batchOmp(G2, Float32Array.from(abt(new Float32Array([2, 0]), D2, 1, 3, 2)), 3, { nNonzeroCoefs: 3 });
    expect(codes.indptr[1]).toBe(1);
    expect(codes.values[0]).toBeCloseTo(2, 6);
  });

  it('rejects bad arguments with typed errors', () => {
    expect(() => batchOmp(G, DtX, k, {})).toThrow(ValueError);
    expect(() => batchOmp(G, DtX, k, { nNonzeroCoefs: k + 1 })).toThrow(ValueError);
    expect(() => batchOmp(G, DtX, k, { nNonzeroCoefs: 0 })).toThrow(ValueError);
    expect(() => batchOmp(G, DtX, k, { tol: 0, sqNorms: new Float64Array(25) })).toThrow(ValueError);
    expect(() => batchOmp(G, DtX, k, { tol: 1 })).toThrow(ShapeError);
    expect(() => batchOmp(G.subarray(1), DtX, k, { nNonzeroCoefs: 2 })).toThrow(ShapeError);
    expect(() => batchOmp(G, DtX.subarray(1), k, { nNonzeroCoefs: 2 })).toThrow(ShapeError);
  });
});

const fixture = JSON.parse(readFileSync(new URL('./fixtures/omp.json', import.meta.url), 'utf8')) as {
  D: number[][];
  X: number[][];
  nNonzeroCoefs: number;
  codes: number[][];
  tol: number;
  codesTol: number[][];
};

function expectSameCodes(got: Float32Array, want: number[][]): void {
  const k = want[0]!.length;
  want.forEach((row, i) => {
    const gotSupport = row.map((_, j) => j).filter((j) => got[i * k + j] !== 0);
    const wantSupport = row.map((_, j) => j).filter((j) => row[j] !== 0);
    expect(gotSupport, `support of signal ${i}`).toEqual(wantSupport);
    row.forEach((v, j) =>
      expect(Math.abs(got[i * k + j]! - v), `code [${i}][${j}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))),
    );
  });
}

describe('orthogonalMatchingPursuit', () => {
  it("matches scikit-learn's orthogonal_mp_gram with nNonzeroCoefs (supports and coefficients)", () => {
    const codes = orthogonalMatchingPursuit(fixture.X, fixture.D, { nNonzeroCoefs: fixture.nNonzeroCoefs });
    expect(codes.shape).toEqual([fixture.X.length, fixture.D.length]);
    expectSameCodes(codes.dataSync(), fixture.codes);
  });

  it("matches scikit-learn's orthogonal_mp_gram with an error target tol", () => {
    const codes = orthogonalMatchingPursuit(fixture.X, fixture.D, { tol: fixture.tol });
    expectSameCodes(codes.dataSync(), fixture.codesTol);
  });

  it('accepts tensors and { data, shape } the same as nested arrays', () => {
    const Xf = Float32Array.from(fixture.X.flat());
    const Df = Float32Array.from(fixture.D.flat());
    const a = orthogonalMatchingPursuit(
      { data: Xf, shape: [fixture.X.length, 20] },
      tensor(Df, [fixture.D.length, 20]),
      { nNonzeroCoefs: 3 },
    );
    const b = orthogonalMatchingPursuit(fixture.X, fixture.D, { nNonzeroCoefs: 3 });
    expect(a.dataSync()).toEqual(b.dataSync());
  });

  it('leaves no tensor behind but the codes it returns', () => {
    const before = memory().liveTensors;
    const codes = orthogonalMatchingPursuit(fixture.X, fixture.D, { nNonzeroCoefs: 3 });
    expect(memory().liveTensors).toBe(before + 1);
    codes.dispose();
  });

  it("defaults to scikit-learn's max(⌊0.1·nFeatures⌋, 1) atoms", () => {
    const codes = orthogonalMatchingPursuit(fixture.X, fixture.D).dataSync();
    for (let i = 0; i < fixture.X.length; i++) {
      expect(codes.subarray(i * 48, (i + 1) * 48).filter((v) => v !== 0).length).toBe(2);
    }
  });

  it('rejects misuse with typed errors and leaves the inputs untouched', () => {
    const X = fixture.X.map((r) => [...r]);
    const before = JSON.stringify(X);
    const f = (x: unknown, d: unknown, o?: unknown) => () =>
      orthogonalMatchingPursuit(x as number[][], d as number[][], o as OmpOptions);
    expect(
      f(
        X,
        fixture.D.map((r) => r.slice(1)),
        { nNonzeroCoefs: 2 },
      ),
    ).toThrow(ShapeError);
    expect(
      f(
        X,
        fixture.D.map((r) => r.slice(1)),
      ),
    ).toThrow(/D must have as many columns as X.*X is 12×20, D is 48×19/);
    expect(f(X, fixture.D, { nNonzeroCoefs: 49 })).toThrow(ValueError);
    expect(f(X, fixture.D, { nNonzeroCoefs: 49 })).toThrow(
      /nNonzeroCoefs must be an integer in \[1, 48\], got number 49/,
    );
    expect(f(X, fixture.D, { nNonzeroCoefs: 1.5 })).toThrow(ValueError);
    expect(f(X, fixture.D, { tol: 0 })).toThrow(/tol must be a finite number > 0, got number 0/);
    expect(f(X, fixture.D, { tol: -1 })).toThrow(ValueError);
    expect(f(X, fixture.D, { nNonZeroCoefs: 2 })).toThrow(/unknown option 'nNonZeroCoefs'/);
    const withNaN = X.map((r) => [...r]);
    withNaN[3]![7] = Number.NaN;
    expect(f(withNaN, fixture.D, { nNonzeroCoefs: 2 })).toThrow(/X\[3\]\[7\] must be a finite number, got number NaN/);
    expect(f(X, [[1, 2], [3]])).toThrow(ShapeError);
    expect(f('X', fixture.D)).toThrow(ValueError);
    expect(f(X, fixture.D, 3)).toThrow(ValueError);
    expect(JSON.stringify(X)).toBe(before);
  });
});
