import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});
afterAll(() => T.disposeBackend());

describe('errors', () => {
  it('names the op, the argument, what was expected and what came', () => {
    const a = T.zeros([2, 3]);
    const b = T.zeros([4, 5]);
    expect(() => T.matmul(a, b)).toThrow(T.ShapeError);
    expect(() => T.matmul(a, b)).toThrow(/matmul: inner dimensions differ: a is 2×3 \(a \[2, 3\]\), b is 4×5/);
    expect(() => T.add(a, b)).toThrow(/add: shapes \[2, 3\] and \[4, 5\] do not broadcast/);
    expect(() => T.reshape(a, [4, -1])).toThrow(/cannot reshape \[2, 3\] \(6 elements\) to \[4, -1\]/);
    expect(() => T.clip(a, 2, 1)).toThrow(T.ValueError);
    expect(() => T.sum(a, { axis: 2 })).toThrow(
      /sum: axis 2 is out of range for x of shape \[2, 3\]; expected an integer in \[-2, 1\]/,
    );
    expect(() => T.tensor([[1, 2], [3]])).toThrow(/ragged nested array/);
  });

  it('rejects unknown and unavailable backends and keeps the current one', () => {
    expect(() => T.setBackend('metal' as T.BackendName)).toThrow(T.BackendError);
    expect(() => T.setBackend('metal' as T.BackendName)).toThrow(
      /unknown backend 'metal'; expected one of auto, webgpu/,
    );
    expect(() => T.setBackend('webgpu')).toThrow(/backend 'webgpu' is not available/);
    expect(T.getBackend().name).toBe('cpu');
  });

  it('an op with bad input creates nothing and changes nothing', async () => {
    const a = T.tensor([1, 2, 3]);
    const before = T.memory().liveTensors;
    expect(() => T.add(a, T.zeros([0, 2]).dispose() as never)).toThrow();
    expect(() => T.softThreshold(a, -1)).toThrow(/t must be >= 0, got -1/);
    expect(T.memory().liveTensors).toBe(before);
    expect(Array.from(await a.data())).toEqual([1, 2, 3]);
  });

  it('tidy releases what a throwing function made, and rethrows', () => {
    const live = T.memory().liveTensors;
    expect(() =>
      T.tidy(() => {
        const a = T.ones([3]);
        T.add(a, 1);
        return T.matmul(a, a);
      }),
    ).toThrow(T.ShapeError);
    expect(T.memory().liveTensors).toBe(live);
  });

  it('oneHot rejects out-of-range array indices; a negative tensor threshold acts as 0', async () => {
    expect(() => T.oneHot([3], 3)).toThrow(/indices must be integers in \[0, 3\), got 3/);
    const y = T.softThreshold(T.tensor([1, -1, 0.25]), T.tensor([-0.5, 0.5, 0.5]));
    expect(Array.from(await y.data())).toEqual([1, -0.5, 0]);
  });

  it('refuses disposed tensors and tensors of a replaced backend', () => {
    const a = T.tensor([1]);
    a.dispose();
    expect(() => T.neg(a)).toThrow(/x \(tensor #\d+\) was disposed/);
    const b = T.tensor([1]);
    T.setBackend('cpu');
    expect(() => T.neg(b)).toThrow(T.BackendError);
  });
});

describe('memory and laziness', () => {
  it('tidy disposes everything but its result, and live counts return to where they were', async () => {
    const x = T.randn([4, 4], { seed: 1 });
    const live = T.memory().liveTensors;
    const y = T.tidy(() => T.sum(T.relu(T.matmul(x, x))));
    expect(T.memory().liveTensors).toBe(live + 1);
    const v = await y.item();
    expect(Number.isFinite(v)).toBe(true);
    y.dispose();
    expect(T.memory().liveTensors).toBe(live);
  });

  it('a lazy chain built over many disposed steps realises correctly when read late', async () => {
    // Regression: a plan could free a disposed input that a later step of the same plan read.
    const X = T.randn([6, 4], { seed: 1 });
    const y = T.randn([6, 1], { seed: 2 });
    const xs = X.dataSync();
    const ys = y.dataSync();
    let w = T.zeros([4, 1]);
    const ref = new Float64Array(4);
    for (let it = 0; it < 7; it++) {
      const next = T.tidy(() => {
        const r = T.sub(T.matmul(X, w), y);
        return T.softThreshold(T.sub(w, T.mul(T.matmul(X, r, { transposeA: true }), 0.05)), 0.01);
      });
      w.dispose();
      w = next;
      const r = new Float64Array(6);
      for (let i = 0; i < 6; i++) {
        let s = 0;
        for (let j = 0; j < 4; j++) s += xs[i * 4 + j] * ref[j];
        r[i] = s - ys[i];
      }
      const g = new Float64Array(4);
      for (let j = 0; j < 4; j++) for (let i = 0; i < 6; i++) g[j] += xs[i * 4 + j] * r[i];
      for (let j = 0; j < 4; j++) {
        const u = ref[j] - 0.05 * g[j];
        ref[j] = Math.sign(u) * Math.max(Math.abs(u) - 0.01, 0);
      }
    }
    const got = await w.data();
    for (let j = 0; j < 4; j++) expect(got[j]).toBeCloseTo(ref[j], 4);
  });

  it('takes an axis positionally or as { axis } alike', () => {
    const x = T.tensor([
      [1, 5, 2],
      [7, 0, 3],
    ]);
    expect(Array.from(T.argmax(x, { axis: 0 }).dataSync())).toEqual(Array.from(T.argmax(x, 0).dataSync()));
    expect(Array.from(T.softmax(x, { axis: 0 }).dataSync())).toEqual(Array.from(T.softmax(x, 0).dataSync()));
    expect(Array.from(T.argmin(x).dataSync())).toEqual([0, 1]);
  });

  it('dataSync, arraySync, item and nested arrays agree', async () => {
    const a = T.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(a.arraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(await a.array()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(await T.sum(a).item()).toBe(21);
    expect(() => a.itemSync()).toThrow(/exactly 1 element/);
  });

  it('takes its initial backend from SPARSEKIT_BACKEND', () => {
    const saved = process.env.SPARSEKIT_BACKEND;
    try {
      T.disposeBackend();
      process.env.SPARSEKIT_BACKEND = 'cpu';
      expect(T.getBackend()).toMatchObject({
        name: 'cpu',
        requested: 'cpu',
        reason: expect.stringMatching(/SPARSEKIT_BACKEND/),
      });
      T.disposeBackend();
      process.env.SPARSEKIT_BACKEND = 'nope';
      expect(() => T.getBackend()).toThrow(/SPARSEKIT_BACKEND: unknown backend 'nope'/);
    } finally {
      if (saved === undefined) delete process.env.SPARSEKIT_BACKEND;
      else process.env.SPARSEKIT_BACKEND = saved;
      T.setBackend('cpu');
    }
  });

  it('reports the backend and why it was chosen', () => {
    const info = T.setBackend('auto');
    expect(['wasm', 'webasm', 'cpu', 'headlessgl']).toContain(info.name);
    expect(info.requested).toBe('auto');
    expect(info.reason).toMatch(/auto/);
    T.setBackend('cpu');
  });
});

describe('Random', () => {
  it('is reproducible per seed and has the right moments', () => {
    const a = new T.Random(123);
    const b = new T.Random(123);
    const xs = Array.from({ length: 20000 }, () => a.normal());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.normal()));
    const mean = xs.reduce((p, x) => p + x, 0) / xs.length;
    const variance = xs.reduce((p, x) => p + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
    const p = new T.Random(5).permutation(50);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual([...Array(50).keys()]);
    expect(new T.Random(1).uniform()).not.toBe(new T.Random(2).uniform());
  });

  it('randint stays in range and hits every value', () => {
    const v = T.randint(-2, 3, [1000], { seed: 9 }).dataSync();
    expect(Math.min(...v)).toBe(-2);
    expect(Math.max(...v)).toBe(2);
  });
});

describe('CSR', () => {
  it('counts bytes and drops entries within the tolerance', () => {
    const csr = T.CsrTensor.fromArray([0.001, 0, 2, 0, -3, 0], [2, 3], 0.01);
    expect(csr.nnz).toBe(2);
    expect(csr.bytes).toBe(2 * 4 + 2 * 4 + 3 * 4);
    expect(csr.denseBytes).toBe(24);
    expect(Array.from(csr.toArray())).toEqual([0, 0, 2, 0, -3, 0]);
    expect(() => new T.CsrTensor([2, 2], new Float32Array(1), new Int32Array([5]), new Int32Array([0, 1, 1]))).toThrow(
      /column index 5 out of range/,
    );
  });
});
