/**
 * Outputs past 2²³ cells. Kernels index in float32 on webasm (and GL/WebGPU); `i + 0.5` is
 * no longer exact there, which used to floor the last column of a row into the next row
 * (issue 8, item 1). Every kernel family is checked on cpu and webasm, cell by cell, against
 * a closed form computed in float64 on the host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import { kernelOp } from '../src/internal.js';
import { divmod } from '../src/shape.js';

// 2049 × 4097 = 8,394,753 cells: just past 2²³ = 8,388,608, with odd row lengths.
const M = 2049;
const N = 4097;
const av = (i: number): number => (i % 7) + 1;
const bv = (j: number): number => (j % 5) + 1;

function firstMismatch(got: Float32Array, expected: (i: number) => number): string | null {
  for (let i = 0; i < got.length; i++) {
    const e = expected(i);
    if (got[i] !== e) return `cell ${i}: got ${got[i]}, expected ${e}`;
  }
  return null;
}

for (const backend of ['cpu', 'webasm'] as const) {
  describe(`outputs past 2^23 cells on ${backend}`, () => {
    beforeAll(() => {
      T.setBackend(backend);
    });
    afterAll(() => T.disposeBackend());

    const col = (): T.Tensor =>
      T.tensor(
        Float32Array.from({ length: M }, (_, i) => av(i)),
        [M, 1],
      );
    const row = (): T.Tensor =>
      T.tensor(
        Float32Array.from({ length: N }, (_, j) => bv(j)),
        [1, N],
      );
    const grid = (): T.Tensor =>
      T.tensor(
        Float32Array.from({ length: M * N }, (_, i) => av(Math.floor(i / N)) * 10 + bv(i % N)),
        [M, N],
      );

    it.each([1, 3])('matmul [2049,k]·[k,4097] is exact in every cell (k = %i)', async (k) => {
      const a = T.tensor(
        Float32Array.from({ length: M * k }, (_, i) => av(Math.floor(i / k))),
        [M, k],
      );
      const b = T.tensor(
        Float32Array.from({ length: k * N }, (_, i) => bv(i % N)),
        [k, N],
      );
      const got = await T.matmul(a, b).data();
      expect(firstMismatch(got, (i) => k * av(Math.floor(i / N)) * bv(i % N))).toBeNull();
    });

    it.each([
      [false, false],
      [true, true],
    ])(
      'matmul [2052,4]·[4,4097] (webasm four-row kernel shape) is exact in every cell, transposeA %s, transposeB %s',
      async (ta, tb) => {
        const m = 2052;
        const k = 4;
        const a0 = Float32Array.from({ length: m * k }, (_, i) => av(ta ? i % m : Math.floor(i / k)));
        const b0 = Float32Array.from({ length: k * N }, (_, i) => bv(tb ? Math.floor(i / k) : i % N));
        const a = T.tensor(a0, ta ? [k, m] : [m, k]);
        const b = T.tensor(b0, tb ? [N, k] : [k, N]);
        const got = await T.matmul(a, b, { transposeA: ta, transposeB: tb }).data();
        expect(firstMismatch(got, (i) => k * av(Math.floor(i / N)) * bv(i % N))).toBeNull();
      },
    );

    it('matmul [3000,1]·[1,5000] (15 M cells) is exact in every cell', async () => {
      const a = T.tensor(
        Float32Array.from({ length: 3000 }, (_, i) => av(i)),
        [3000, 1],
      );
      const b = T.tensor(
        Float32Array.from({ length: 5000 }, (_, j) => bv(j)),
        [1, 5000],
      );
      const got = await T.matmul(a, b).data();
      expect(firstMismatch(got, (i) => av(Math.floor(i / 5000)) * bv(i % 5000))).toBeNull();
    });

    it('broadcast elementwise [2049,1] + [1,4097] is exact in every cell', async () => {
      const got = await T.add(T.mul(col(), 10), row()).data();
      expect(firstMismatch(got, (i) => av(Math.floor(i / N)) * 10 + bv(i % N))).toBeNull();
    });

    it('transpose of [2049,4097] is exact in every cell', async () => {
      const got = await T.transpose(grid()).data();
      // out[j][i] = in[i][j]
      expect(firstMismatch(got, (o) => av(o % M) * 10 + bv(Math.floor(o / M)))).toBeNull();
    });

    it('gather, concat and oneHot with outputs past 2^23 cells', async () => {
      const idx = Array.from({ length: N }, (_, j) => N - 1 - j);
      const g = await T.gather(grid(), idx, 1).data();
      expect(firstMismatch(g, (i) => av(Math.floor(i / N)) * 10 + bv(N - 1 - (i % N)))).toBeNull();
      const half = T.tensor(
        Float32Array.from({ length: M * 2048 }, (_, i) => av(Math.floor(i / 2048))),
        [M, 2048],
      );
      const c = await T.concat([half, col(), half], 1).data();
      expect(firstMismatch(c, (i) => av(Math.floor(i / N)))).toBeNull();
      const labels = Array.from({ length: M }, (_, i) => (i * 31) % N);
      const oh = await T.oneHot(labels, N).data();
      expect(firstMismatch(oh, (i) => (i % N === labels[Math.floor(i / N)] ? 1 : 0))).toBeNull();
    });

    // A reduction's output is its input over the reduced length, so at the 2²⁴ limit it has at most
    // 2²³ cells; [2, 2²³] is the largest input, where the slice reads go up to index 2²⁴ − 1.
    it('reductions, argmax and softmax over [2, 2^23] (2^24 elements, the limit) along axis 0', async () => {
      const L = 2 ** 23;
      const x = T.tensor(
        Float32Array.from({ length: 2 * L }, (_, i) => (i < L ? bv(i) : av(i - L))),
        [2, L],
      );
      const s = await T.sum(x, { axis: 0 }).data();
      expect(firstMismatch(s, (j) => bv(j) + av(j))).toBeNull();
      const mx = await T.max(x, { axis: 0 }).data();
      expect(firstMismatch(mx, (j) => Math.max(bv(j), av(j)))).toBeNull();
      const am = await T.argmax(x, 0).data();
      expect(firstMismatch(am, (j) => (av(j) > bv(j) ? 1 : 0))).toBeNull();
      const sm = await T.softmax(x, 0).data();
      const bad = firstMismatch(sm, (i) => {
        const j = i % L;
        const mine = i < L ? bv(j) : av(j);
        const other = i < L ? av(j) : bv(j);
        return Math.fround(1 / (1 + Math.exp(other - mine)));
      });
      // softmax goes through exp: compare with a tolerance, but every cell must be its own.
      if (bad) {
        const [, at] = /cell (\d+)/.exec(bad) as RegExpExecArray;
        const i = Number(at);
        const j = i % L;
        const ref = 1 / (1 + Math.exp((i < L ? av(j) : bv(j)) - (i < L ? bv(j) : av(j))));
        expect(Math.abs(sm[i] - ref)).toBeLessThan(1e-5);
      }
    });

    it('topKMask keeps exactly k per row over 8,394,753 cells', async () => {
      // Rows of 3 (the direct ranking kernel) past 2^23 cells.
      const R = 2798251;
      const data = Float32Array.from({ length: R * 3 }, (_, i) => ((i * 7919) % 13) - 6);
      const got = await T.topKMask(T.tensor(data, [R, 3]), 1, { axis: -1 }).data();
      const expected = (i: number): number => {
        const r = Math.floor(i / 3);
        let best = 0;
        for (let c = 1; c < 3; c++) if (Math.abs(data[r * 3 + c]) > Math.abs(data[r * 3 + best])) best = c;
        return i % 3 === best ? 1 : 0;
      };
      expect(firstMismatch(got, expected)).toBeNull();
    });

    // Every kernel family takes its coordinates from divmod; check it on every index up to the
    // limit, with literal and runtime (argument) divisors, including the bitonic sort's 2.0.
    it.each([2, 3, 4097, 2 ** 23 + 1])('divmod is exact for every index below 2^24 (divisor %i)', async (d) => {
      const lines = [
        'const o = this.thread.x;',
        ...divmod('q', 'r', 'o', d, 2 ** 24),
        ...divmod('p', 's', 'o', 's0', 2 ** 24),
      ];
      const ok = `(q * ${d} + r == o && r >= 0.0 && r < ${d}.0 && p == q && s == r) ? 1.0 : 0.0`;
      const x = T.zeros([1]);
      const out = kernelOp([2 ** 24], `function(a0, s0) {\n  ${lines.join('\n  ')}\n  return ${ok};\n}`, [x], [d]);
      const got = await out.data();
      expect(got.indexOf(0)).toBe(-1);
    });

    it('spmm [2049,1] (CSR) · [1,4097] is exact in every cell', async () => {
      const csr = T.CsrTensor.fromArray(
        Float32Array.from({ length: M }, (_, i) => av(i)),
        [M, 1],
      );
      const got = await T.spmm(csr, row()).data();
      expect(firstMismatch(got, (i) => av(Math.floor(i / N)) * bv(i % N))).toBeNull();
    });
  });
}
