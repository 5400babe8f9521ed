// The `wasm` backend behind the tensor API: selection by name and environment, resident
// tensors freed by dispose/tidy, native kernels, and ops without a wasm kernel falling back
// to gpu.js's webasm through the registry, named in getBackend().fallbacks.
import { afterAll, describe, expect, it } from 'vitest';
import { current } from '../../src/backend.js';
import * as T from '../../src/index.js';
import { argRef, dense, matmulRef } from '../parity/reference.js';
import { ACC, bitwiseEqual, mismatch, seeded, useBackend } from './helpers.js';

afterAll(() => {
  delete process.env.SPARSEKIT_BACKEND;
  T.disposeBackend();
});

describe('the wasm backend', () => {
  it('is selected by setBackend and by SPARSEKIT_BACKEND, distinct from webasm', () => {
    const info = T.setBackend('wasm');
    expect(info).toMatchObject({
      name: 'wasm',
      requested: 'wasm',
      resident: true,
      syncReadback: true,
      maxElements: 2 ** 24,
    });
    T.disposeBackend();
    process.env.SPARSEKIT_BACKEND = 'wasm';
    expect(T.getBackend().name).toBe('wasm');
    expect(T.getBackend().reason).toMatch(/SPARSEKIT_BACKEND/);
    delete process.env.SPARSEKIT_BACKEND;
    expect(T.setBackend('webasm').name).toBe('webasm');
    expect(() => T.setBackend('wasm2' as never)).toThrow(
      /expected one of auto, webgpu, webgl2, webgl, headlessgl, wasm, webasm, cpu/,
    );
  });

  it('takes its thread count from SPARSEKIT_WASM_THREADS and rejects a bad one, keeping the current backend', () => {
    T.setBackend('cpu');
    process.env.SPARSEKIT_WASM_THREADS = 'two';
    try {
      expect(() => T.setBackend('wasm')).toThrow(T.ValueError);
      expect(() => T.setBackend('wasm')).toThrow(/SPARSEKIT_WASM_THREADS must be an integer >= 1, got "two"/);
      expect(T.getBackend().name).toBe('cpu');
      process.env.SPARSEKIT_WASM_THREADS = '1';
      T.setBackend('wasm');
      expect((current().adapter as unknown as { threads: number }).threads).toBe(1);
    } finally {
      delete process.env.SPARSEKIT_WASM_THREADS;
      T.disposeBackend();
    }
  });

  it('multiplies resident tensors with its own kernel: no fallback, no gpu.js', () => {
    T.setBackend('wasm');
    const [m, n, k] = [37, 29, 300];
    const A = seeded(m * k, 1),
      B = seeded(n * k, 2);
    const c = T.matmul(T.tensor(A, [m, k]), T.tensor(B, [n, k]), { transposeB: true });
    expect(
      mismatch(c.dataSync(), matmulRef(dense([m, k], A), dense([n, k], B), false, true).data, ACC(k)),
    ).toBeUndefined();
    expect(T.getBackend().fallbacks).toEqual([]);
    // a second product reads the first one's resident result
    const d = T.matmul(c, T.tensor(seeded(n * 3, 3), [n, 3]));
    expect(d.shape).toEqual([m, 3]);
    expect(T.getBackend().fallbacks).toEqual([]);
    T.disposeBackend();
  });

  it('multiplies CSR by dense with its own spmm kernel at every column count, empty rows and nnz = 0 included', () => {
    T.setBackend('wasm');
    // brute force in float64: every stored entry, rows in ascending order
    const brute = (a: T.CsrTensor, B: Float32Array, n: number): Float64Array => {
      const [m, k] = a.shape;
      const D = a.toArray();
      const out = new Float64Array(m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += D[i * k + p] * B[p * n + j];
          out[i * n + j] = s;
        }
      return out;
    };
    const [m, k] = [23, 41];
    const D = seeded(m * k, 11);
    // about 70% zeros, and rows 0, 5 and 22 (the last) empty
    for (let i = 0; i < D.length; i++) if (Math.abs(D[i]) < 0.7 || [0, 5, 22].includes(Math.floor(i / k))) D[i] = 0;
    const a = T.CsrTensor.fromArray(D, [m, k]);
    expect(a.nnz).toBeGreaterThan(0);
    for (const n of [1, 3, 5, 17, 37, 64]) {
      const B = seeded(k * n, 12 + n);
      const c = T.spmm(a, T.tensor(B, [k, n]));
      expect(c.shape).toEqual([m, n]);
      const got = c.dataSync();
      expect(mismatch(got, brute(a, B, n), ACC(k)), `n = ${n}`).toBeUndefined();
      for (const r of [0, 5, 22])
        expect(Array.from(got.subarray(r * n, (r + 1) * n)), `empty row ${r}`).toEqual(new Array(n).fill(0));
    }
    expect(T.getBackend().fallbacks).toEqual([]);
    // a product of a resident result, and a one-entry matrix
    const one = T.CsrTensor.fromArray([0, 0, 2.5, 0, 0, 0], [2, 3]);
    const h = T.matmul(T.tensor(seeded(3 * 2, 30), [3, 2]), T.tensor([1, 0, 0, 1], [2, 2]));
    expect(Array.from(T.spmm(one, h).dataSync())).toEqual(
      [2.5 * h.dataSync()[4], 2.5 * h.dataSync()[5], 0, 0].map(Math.fround),
    );
    expect(T.getBackend().fallbacks).toEqual([]);
    // nnz = 0 (k = 0 too): zeros, with no spmm kernel (spmm() fills them)
    const none = T.CsrTensor.fromArray(new Float32Array(4 * 7), [4, 7]);
    expect(Array.from(T.spmm(none, T.tensor(seeded(7 * 5, 13), [7, 5])).dataSync())).toEqual(new Array(20).fill(0));
    const empty = new T.CsrTensor([3, 0], new Float32Array(0), new Int32Array(0), new Int32Array(4));
    expect(Array.from(T.spmm(empty, T.zeros([0, 6])).dataSync())).toEqual(new Array(18).fill(0));
    T.disposeBackend();
  });

  it('splits a large spmm over two threads by rows, bitwise the one-thread product', () => {
    // 300 rows of 2000 with ~30% stored (about 180,000 entries) times 64 columns: ~11.5M
    // multiply-adds, past the size from which the wasm backend splits
    const [m, k, n] = [300, 2000, 64];
    const D = seeded(m * k, 41);
    for (let i = 0; i < D.length; i++) if (Math.abs(D[i]) < 0.7 || Math.floor(i / k) % 7 === 3) D[i] = 0;
    const B = seeded(k * n, 42);
    const product = (threads: string): { out: Float32Array; parallel: number } => {
      useBackend('wasm', threads);
      const adapter = current().adapter as unknown as { parallelCalls: () => number };
      const before = adapter.parallelCalls();
      const out = T.spmm(T.CsrTensor.fromArray(D, [m, k]), T.tensor(B, [k, n])).dataSync();
      const parallel = adapter.parallelCalls() - before;
      T.disposeBackend();
      return { out, parallel };
    };
    const one = product('1');
    const two = product('2');
    expect(one.parallel).toBe(0);
    expect(two.parallel).toBeGreaterThan(0);
    expect(bitwiseEqual(two.out, one.out)).toBe(true);
    // and right: row 3 (every 7th from it) is empty, row 0 against a float64 sum
    expect(Array.from(one.out.subarray(3 * n, 4 * n))).toEqual(new Array(n).fill(0));
    const row0 = Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let p = 0; p < k; p++) s += D[p] * B[p * n + j];
      return s;
    });
    expect(mismatch(one.out.subarray(0, n), Float64Array.from(row0), ACC(k))).toBeUndefined();
  });

  it('runs gather, oneHot, concat, sliceRows and topKMask natively, split over two threads, as cpu computes them', () => {
    const x = seeded(300 * 257, 51);
    // ties and NaN for topKMask: repeated magnitudes and a NaN in some groups
    const r = seeded(64 * 1500, 52).map((v, i) => (i % 97 === 0 ? Number.NaN : Math.round(v * 8) / 8));
    const idx = Array.from({ length: 700 }, (_, i) => (i * 37) % 300);
    const labels = Array.from({ length: 1000 }, (_, i) => (i * 13) % 60);
    const run = (backend: T.BackendName, threads?: string) => {
      useBackend(backend, threads);
      const X = T.tensor(x, [300, 257]);
      const R = T.tensor(r, [64, 1500]);
      const out = [
        T.gather(X, idx, 0),
        T.gather(X, T.tensor(idx.slice(0, 200).map((i) => i % 257)), 1),
        T.oneHot(labels, 60),
        T.concat([X, T.mul(X, 2), T.zeros([0, 257]), T.sliceRows(X, 7, 290)], 0),
        T.concat([T.reshape(X, [300, 1, 257]), T.reshape(X, [300, 1, 257])], 1),
        T.sliceRows(X, 13, 299),
        T.topKMask(R, 40, 1),
        T.topKMask(R, 3, 0),
      ].map((t) => t.dataSync());
      const fallbacks = T.getBackend().fallbacks.length;
      T.disposeBackend();
      return { out, fallbacks };
    };
    const cpu = run('cpu');
    const one = run('wasm', '1');
    const two = run('wasm', '2');
    expect(one.fallbacks).toBe(0);
    expect(two.fallbacks).toBe(0);
    cpu.out.forEach((want, i) => {
      expect(bitwiseEqual(one.out[i], want), `op ${i}, 1 thread`).toBe(true);
      expect(bitwiseEqual(two.out[i], want), `op ${i}, 2 threads`).toBe(true);
    });
    // topKMask keeps exactly k a group
    expect(one.out[6].reduce((a, b) => a + b, 0)).toBe(64 * 40);
  });

  it('reduces with its own kernels: sum, mean, max and min along an axis or over everything', () => {
    T.setBackend('wasm');
    const x = T.tensor([1, 2, 3, 4, NaN, 6, -1, -2, -3], [3, 3]);
    expect(Array.from(T.sum(x, 1).dataSync())).toEqual([6, NaN, -6]);
    expect(Array.from(T.mean(x, 0).dataSync())).toEqual([Math.fround(4 / 3), NaN, 2]);
    expect(Array.from(T.max(x, 1).dataSync())).toEqual([3, NaN, -1]);
    expect(Array.from(T.min(x, { axis: 0, keepDims: true }).dataSync())).toEqual([-1, NaN, -3]);
    expect(T.sum(T.tensor([1, 2, 3.5], [3])).dataSync()[0]).toBe(6.5);
    expect(T.getBackend().fallbacks).toEqual([]);
    T.disposeBackend();
  });

  it('runs softmax, logSoftmax and logSumExp along the last axis on its own kernel, as cpu does', () => {
    const X = seeded(6 * 37, 9, 8);
    X[40] = Infinity;
    X[80] = -Infinity;
    X[120] = NaN;
    const run = (backend: 'cpu' | 'wasm'): Float32Array[] => {
      T.setBackend(backend);
      const x = T.tensor(X, [6, 37]);
      const r = [T.softmax(x), T.logSoftmax(x, -1), T.logSumExp(x, 1)].map((t) => t.dataSync());
      if (backend === 'wasm') expect(T.getBackend().fallbacks).toEqual([]);
      T.disposeBackend();
      return r;
    };
    const [cpu, wasm] = [run('cpu'), run('wasm')];
    for (let i = 0; i < 3; i++)
      expect(mismatch(wasm[i], cpu[i], ACC(37)), ['softmax', 'logSoftmax', 'logSumExp'][i]).toBeUndefined();
  });

  it('finds argmax and argmin with its own kernel along any axis: first on ties, the first NaN wins', () => {
    T.setBackend('wasm');
    const data = [3, 1, 3, NaN, 2, 0, -1, 5, NaN, 5, -1, 0];
    const x = T.tensor(data, [3, 4]);
    const rows = [0, 1, 2].map((r) => data.slice(4 * r, 4 * r + 4));
    const cols = [0, 1, 2, 3].map((c) => [data[c], data[4 + c], data[8 + c]]);
    const max = argRef((a, b) => a > b);
    const min = argRef((a, b) => a < b);
    expect(Array.from(T.argmax(x).dataSync())).toEqual(rows.map(max));
    expect(Array.from(T.argmin(x).dataSync())).toEqual(rows.map(min));
    expect(Array.from(T.argmax(x, 0).dataSync())).toEqual(cols.map(max));
    expect(Array.from(T.argmin(x, 0).dataSync())).toEqual(cols.map(min));
    // the reference's answers, spelled out: NaN wins from where it stands, ties go first
    expect(rows.map(max)).toEqual([3, 3, 0]);
    expect(cols.map(min)).toEqual([2, 1, 1, 0]);
    expect(T.getBackend().fallbacks).toEqual([]);
    T.disposeBackend();
  });

  it('runs an op without a wasm kernel on gpu.js and names it in fallbacks', () => {
    T.setBackend('wasm');
    // eye's diagonal kernel has no wasm variant
    expect(Array.from(T.eye(3).dataSync())).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const fb = T.getBackend().fallbacks;
    expect(fb.length).toBe(1);
    expect(fb[0]).toMatch(/no wasm kernel: gpu\.js cpu ran kernel #1/);
    // from 4096 cells on, gpu.js's webasm runs it
    const big = T.eye(100).dataSync();
    expect(big[17 * 100 + 17]).toBe(1);
    expect(big.reduce((a, b) => a + b, 0)).toBe(100);
    expect(T.getBackend().fallbacks[1]).toMatch(/no wasm kernel: gpu\.js webasm ran kernel #2/);
    T.disposeBackend();
  });

  it('frees wasm memory on dispose and in tidy, as memory() reports', () => {
    T.setBackend('wasm');
    const before = T.memory().liveTensors;
    const blocks = (): number => (current().adapter as unknown as { blocks?: () => number }).blocks?.() ?? -1;
    const base = blocks();
    const a = T.tensor(seeded(64 * 64, 4), [64, 64]);
    const out = T.tidy(() => T.matmul(T.matmul(a, a), a));
    out.dataSync();
    expect(T.memory().liveTensors).toBe(before + 2);
    expect(blocks()).toBe(base + 2);
    a.dispose();
    out.dispose();
    expect(T.memory().liveTensors).toBe(before);
    expect(blocks()).toBe(base);
    T.disposeBackend();
  });
});
