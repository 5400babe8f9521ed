/**
 * The compiled-kernel cache is keyed by everything a kernel's compilation depends on. Two ops
 * can share a source and an output size while reading inputs of different sizes (a slice of
 * a longer tensor, a CSR product with another inner dimension or number of non-zeros); gpu.js
 * compiles argument sizes into a kernel, so those must be different cache entries. Found by
 * the fuzz suite (FUZZ_RUNS=200).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../src/index.js';

for (const backend of ['cpu', 'webasm'] as const) {
  describe(`kernel cache on ${backend}`, () => {
    beforeAll(() => {
      T.setBackend(backend);
    });
    afterAll(() => T.disposeBackend());

    it('sliceRows of tensors with different row counts (same source, same output size)', async () => {
      expect(Array.from(await T.sliceRows(T.tensor([[1], [2], [3]]), 0, 1).data())).toEqual([1]);
      expect(Array.from(await T.sliceRows(T.tensor([[7]]), 0, 1).data())).toEqual([7]);
      expect(Array.from(await T.sliceRows(T.tensor([[4], [5], [6], [8], [9]]), 0, 1).data())).toEqual([4]);
    });

    it('spmm with another inner dimension or number of non-zeros, same output shape', async () => {
      const b8 = T.tensor(
        Float32Array.from({ length: 8 * 3 }, (_, i) => i + 1),
        [8, 3],
      );
      const a8 = T.CsrTensor.fromArray([0, 0, 2, 0, 0, 0, 0, 0], [1, 8]);
      expect(Array.from(await T.spmm(a8, b8).data())).toEqual([14, 16, 18]);
      const b1 = T.tensor([[1, 2, 3]]);
      const a1 = T.CsrTensor.fromArray([2], [1, 1]);
      expect(Array.from(await T.spmm(a1, b1).data())).toEqual([2, 4, 6]);
      const a2 = T.CsrTensor.fromArray([1, 0, 0, 0, 0, 0, 0, 1], [1, 8]);
      expect(Array.from(await T.spmm(a2, b8).data())).toEqual([23, 25, 27]);
    });

    it('spmm of two CSR matrices with the same shape and longest row but another nnz (issue 11)', () => {
      const b = T.ones([3, 2]);
      expect(Array.from(T.spmm(T.CsrTensor.fromArray([1, 1, 1, 0, 0, 1], [2, 3]), b).dataSync())).toEqual([3, 3, 1, 1]);
      expect(Array.from(T.spmm(T.CsrTensor.fromArray([1, 1, 1, 0, 0, 0], [2, 3]), b).dataSync())).toEqual([3, 3, 0, 0]);
    });
  });
}
