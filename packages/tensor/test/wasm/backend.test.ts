// The `wasm` backend behind the tensor API: selection by name and environment, resident
// tensors freed by dispose/tidy, native kernels, and ops without a wasm kernel falling back
// to gpu.js's webasm through the registry, named in getBackend().fallbacks.
import { afterAll, describe, expect, it } from 'vitest';
import { current } from '../../src/backend.js';
import * as T from '../../src/index.js';
import { dense, matmulRef } from '../parity/reference.js';
import { ACC, mismatch, seeded } from './helpers.js';

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

  it('runs an op without a wasm kernel on gpu.js webasm and names it in fallbacks', () => {
    T.setBackend('wasm');
    const x = T.tensor([0, 1, -2, 3], [4]);
    expect(Array.from(T.exp(x).dataSync())).toEqual(Array.from(Float32Array.from([0, 1, -2, 3], Math.exp)));
    const fb = T.getBackend().fallbacks;
    expect(fb.length).toBe(1);
    expect(fb[0]).toMatch(/no wasm kernel: gpu\.js cpu ran kernel #1/);
    // from 4096 cells on, gpu.js's webasm runs it
    const big = T.exp(T.tensor(seeded(5000, 8), [5000])).dataSync();
    expect(big[17]).toBeCloseTo(Math.exp(seeded(5000, 8)[17]), 5);
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
