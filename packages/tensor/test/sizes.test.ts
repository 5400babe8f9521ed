/**
 * Sizes (issue 8, items 8 and 9): the per-tensor limit every backend states and every creation
 * function and op enforces before allocating, constant tensors that allocate nothing until
 * realised, and empty dimensions that give typed errors where a result has no value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../src/index.js';

const LIMIT = 2 ** 24;

function rejects(fn: () => unknown, pattern: RegExp): void {
  const live = T.memory().liveTensors;
  expect(fn).toThrow(T.ShapeError);
  expect(fn).toThrow(pattern);
  expect(T.memory().liveTensors).toBe(live);
}

for (const backend of ['cpu', 'webasm'] as const) {
  describe(`per-tensor limit on ${backend}`, () => {
    beforeAll(() => {
      T.setBackend(backend);
    });
    afterAll(() => T.disposeBackend());

    it('states 2^24 elements per tensor', () => {
      expect(T.getBackend().maxElements).toBe(LIMIT);
    });

    it('creation functions refuse larger tensors at once, naming the function, the shape and the limit', () => {
      const over = `expected at most ${LIMIT} \\(2\\^24\\) per tensor on backend '${backend}'`;
      rejects(() => T.zeros([1e9]), new RegExp(`^zeros: shape \\[1000000000\\] has 1000000000 elements; ${over}`));
      rejects(() => T.zeros([2 ** 31]), /zeros: shape \[2147483648\] has 2147483648 elements/);
      rejects(() => T.zeros([65536, 65536]), /zeros: shape \[65536, 65536\] has 4294967296 elements/);
      rejects(() => T.ones([LIMIT + 1]), /^ones: /);
      rejects(() => T.full([4097, 4097], 2), /^full: /);
      rejects(() => T.rand([LIMIT + 1], { seed: 1 }), /^rand: /);
      rejects(() => T.randn([8192, 4096], { seed: 1 }), /^randn: /);
      rejects(() => T.randint(0, 3, [LIMIT, 2], { seed: 1 }), /^randint: /);
      rejects(() => T.eye(4097), /^eye: size \[4097, 4097\] has 16785409 elements/);
      rejects(() => T.arange(0, LIMIT + 1), /^arange: the result \[16777217\]/);
      rejects(() => T.linspace(0, 1, LIMIT + 1), /^linspace: the result \[16777217\]/);
      rejects(() => T.tensor(new Uint8Array(LIMIT + 1)), /^tensor: data of shape \[16777217\]/);
    });

    it('accepts a tensor of exactly 2^24 elements', async () => {
      const x = T.zeros([4096, 4096]);
      expect(x.size).toBe(LIMIT);
      const s = await T.sum(x).data();
      expect(s[0]).toBe(0);
      x.dispose();
    });

    it('ops refuse results past the limit before recording anything', () => {
      const col = T.zeros([8192, 1]);
      const row = T.zeros([1, 4096]);
      rejects(
        () => T.add(col, row),
        /^add: the broadcast of \[8192, 1\] and \[1, 4096\] \[8192, 4096\] has 33554432 elements/,
      );
      const cond = T.zeros([8192, 1, 1]);
      const other = T.zeros([3, 1]);
      rejects(() => T.where(cond, row, other), /^where: /);
      rejects(() => T.matmul(col, row), /^matmul: the result \[8192, 4096\] has 33554432 elements/);
      const wide = T.zeros([2, 4096 * 2048]);
      rejects(() => T.gather(wide, [0, 1, 0]), /^gather: the result \[3, 8388608\]/);
      rejects(() => T.concat([wide, wide, wide], 0), /^concat: the result \[6, 8388608\]/);
      rejects(() => T.oneHot([1, 2, 3], LIMIT), /^oneHot: the result \[3, 16777216\]/);
      // Rows longer than 2048 are sorted in buffers padded to a power of two: 3 × 2²³ cells.
      const rows = T.zeros([3, 2 ** 22 + 1]);
      rejects(
        () => T.topKMask(rows, 5, { axis: -1 }),
        /^topKMask: the sort buffers \(3 groups of 4194305 padded to 8388608\)/,
      );
      const csr = new T.CsrTensor([4097, 4097], new Float32Array(0), new Int32Array(0), new Int32Array(4098));
      rejects(() => csr.toDense(), /^CsrTensor.toDense: the dense matrix \[4097, 4097\] has 16785409 elements/);
      const big = new T.CsrTensor([8192, 2], new Float32Array(0), new Int32Array(0), new Int32Array(8193));
      const dense = T.zeros([2, 4096]);
      rejects(() => T.spmm(big, dense), /^spmm: the result \[8192, 4096\]/);
    });

    it('constant tensors allocate no host memory until realised, and read back their value', async () => {
      const before = process.memoryUsage().arrayBuffers;
      const big = [T.zeros([LIMIT]), T.ones([4096, 4096]), T.full([LIMIT], -2.5), T.eye(4096)];
      // Four eager 64 MiB fills would be 256 MiB.
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
      const x = T.tensor([1, 2, 3]);
      expect(Array.from(await T.add(x, T.full([3], 0.5)).data())).toEqual([1.5, 2.5, 3.5]);
      expect(Array.from(await T.zeros([2, 2]).data())).toEqual([0, 0, 0, 0]);
      expect(Array.from(await T.full([2], NaN).data())).toEqual([NaN, NaN]);
      expect(Array.from(await T.full([1], -Infinity).data())).toEqual([-Infinity]);
      expect(await T.matmul(T.ones([3, 5]), T.full([5, 2], 2)).array()).toEqual([
        [10, 10],
        [10, 10],
        [10, 10],
      ]);
      expect(await T.eye(2, 3).array()).toEqual([
        [1, 0, 0],
        [0, 1, 0],
      ]);
      // The identity at the limit: ones exactly on the diagonal, past 2²³ cells included.
      const id = await big[3].data();
      let ones = 0;
      for (let i = 0; i < id.length; i++) if (id[i] !== 0) ones += id[i] === 1 && i % 4097 === 0 ? 1 : 1e9;
      expect(ones).toBe(4096);
      for (const t of big) t.dispose();
    });
  });

  describe(`empty dimensions on ${backend}`, () => {
    beforeAll(() => {
      T.setBackend(backend);
    });
    afterAll(() => T.disposeBackend());

    it('matmul with inner dimension 0 gives zeros (no untyped error from gpu.js)', async () => {
      expect(await T.matmul(T.zeros([3, 0]), T.zeros([0, 4])).array()).toEqual([
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ]);
      expect(await T.matmul(T.zeros([4, 0]), T.zeros([0, 4])).array()).toEqual(
        Array.from({ length: 4 }, () => [0, 0, 0, 0]),
      );
      expect(T.matmul(T.zeros([0, 3, 2]), T.zeros([2, 4])).shape).toEqual([0, 3, 4]);
    });

    it('a maximum, minimum or arg-extreme of nothing is a ShapeError naming the op and the shape', () => {
      const e = T.zeros([3, 0]);
      rejects(() => T.max(e), /^max: cannot reduce an empty axis: x has shape \[3, 0\], expected at least one element/);
      rejects(() => T.min(e, 1), /^min: cannot reduce an empty axis/);
      rejects(() => T.normLInf(e, { axis: 1 }), /^normLInf: cannot reduce an empty axis/);
      rejects(() => T.argmax(e, 1), /^argmax: cannot reduce an empty axis/);
      rejects(() => T.argmin(e), /^argmin: cannot reduce an empty axis/);
    });

    it('gathering indices from an axis of length 0 is a ShapeError', () => {
      const idx = T.tensor([0, 0]);
      const e = T.zeros([3, 0]);
      rejects(() => T.gather(e, idx, 1), /^gather: cannot gather 2 indices from axis 1 of length 0 \(x \[3, 0\]\)/);
    });

    it('empty sums, means and logSumExp follow NumPy and PyTorch', async () => {
      const e = T.zeros([2, 0]);
      expect(Array.from(await T.sum(e, 1).data())).toEqual([0, 0]);
      expect(Array.from(await T.mean(e, 1).data())).toEqual([NaN, NaN]);
      expect(Array.from(await T.normL2(e).data())).toEqual([0]);
      expect(Array.from(await T.logSumExp(e, 1).data())).toEqual([-Infinity, -Infinity]);
      expect(T.softmax(e).shape).toEqual([2, 0]);
    });
  });
}
