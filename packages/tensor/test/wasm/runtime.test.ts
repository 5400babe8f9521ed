// The wasm runtime's memory, options and worker pool: allocation and growth, misuse, the
// FMA build, and a stress test of the thread hand-off (issue 12's first protocol deadlocked
// after ~200 calls).
import v8 from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendError, ValueError } from '../../src/errors.js';
import { WasmAllocator } from '../../src/wasm/allocator.js';
import { fmaSupported, OP, PARALLEL_MIN, SOFTMAX, splitRange, WasmRuntime } from '../../src/wasm/runtime.js';
import { dense, matmulRef } from '../parity/reference.js';
import { ACC, bitwiseEqual, mismatch, seeded } from './helpers.js';

describe('WasmAllocator', () => {
  it('reuses freed blocks, coalesces neighbours and grows the memory by pages', () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 64 });
    const al = new WasmAllocator(memory, 65536, 64 * 65536);
    const a = al.alloc(100);
    const b = al.alloc(1000);
    const c = al.alloc(10);
    expect([a % 64, b % 64, c % 64]).toEqual([0, 0, 0]);
    expect(a).toBe(65536);
    expect(b).toBe(a + 128);
    expect(al.blocks).toBe(3);
    al.release(a);
    al.release(b);
    // a and b merged: a block of 128 + 1024 bytes fits where they were
    expect(al.alloc(1100)).toBe(a);
    expect(al.bytesInUse).toBe(1152 + 64);
    const big = al.alloc(200_000);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 200_000);
    al.release(big);
    al.release(c);
    al.release(a);
    expect(al.bytesInUse).toBe(0);
    expect(al.alloc(memory.buffer.byteLength - 65536)).toBe(65536);
  });

  it('throws on a double free, and when the maximum is reached', () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 4 });
    const al = new WasmAllocator(memory, 65536, 4 * 65536);
    const a = al.alloc(8);
    al.release(a);
    expect(() => al.release(a)).toThrow(/not a live block/);
    expect(() => al.alloc(4 * 65536)).toThrow(RangeError);
    // the failed request changed nothing
    expect(al.alloc(3 * 65536)).toBe(65536);
  });
});

describe('WasmRuntime options', () => {
  it('rejects unknown keys and bad values before creating anything', () => {
    expect(() => WasmRuntime.create({ thread: 2 } as never)).toThrow(ValueError);
    expect(() => WasmRuntime.create({ thread: 2 } as never)).toThrow(/unknown option "thread"/);
    expect(() => WasmRuntime.create({ threads: 0 })).toThrow(/threads must be an integer in \[1, 96\], got 0/);
    expect(() => WasmRuntime.create({ threads: 1.5 })).toThrow(ValueError);
    expect(() => WasmRuntime.create({ fma: 'yes' } as never)).toThrow(/fma must be a boolean, got string/);
    expect(() => WasmRuntime.create({ initialBytes: -1 })).toThrow(ValueError);
  });

  it('uses the single-thread, non-shared build where SharedArrayBuffer is missing', () => {
    const g = globalThis as { SharedArrayBuffer?: unknown };
    const saved = g.SharedArrayBuffer;
    delete g.SharedArrayBuffer;
    try {
      const rt = WasmRuntime.create();
      expect([rt.threads, rt.shared]).toEqual([1, false]);
      expect(rt.memory.buffer).toBeInstanceOf(ArrayBuffer);
      rt.dispose();
      expect(() => WasmRuntime.create({ threads: 2 })).toThrow(/threads: 2 needs SharedArrayBuffer and worker threads/);
    } finally {
      g.SharedArrayBuffer = saved;
    }
  });

  it('refuses work once disposed', () => {
    const rt = WasmRuntime.create({ threads: 1 });
    rt.dispose();
    expect(() => rt.alloc(4)).toThrow(BackendError);
    expect(() => rt.unary(0, 0, 0, 4)).toThrow(/disposed/);
  });

  it('splits ranges at multiples of the alignment, covering everything once', () => {
    expect(splitRange(100, 2, 16)).toEqual([
      [0, 64],
      [64, 100],
    ]);
    expect(splitRange(5, 3, 4)).toEqual([
      [0, 4],
      [4, 4],
      [4, 5],
    ]);
    expect(splitRange(0, 2, 1)).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('compiles asynchronously too', async () => {
    const rt = await WasmRuntime.createAsync({ threads: 1 });
    const p = rt.alloc(4);
    rt.write(p, [1, 4, 9, 16]);
    rt.unary(2, p, p, 4);
    expect(Array.from(rt.read(p, 4))).toEqual([1, 2, 3, 4]);
    rt.dispose();
  });

  it('keeps views valid across growth: data written before growth reads back after it', () => {
    const rt = WasmRuntime.create({ threads: 1, initialBytes: 0 });
    const p = rt.alloc(3);
    rt.write(p, [1, 2, 3]);
    const before = rt.memory.buffer.byteLength;
    const big = rt.alloc(8 << 20);
    expect(rt.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(Array.from(rt.read(p, 3))).toEqual([1, 2, 3]);
    rt.write(big + 4 * ((8 << 20) - 1), [7]);
    expect(rt.f32()[(big >>> 2) + (8 << 20) - 1]).toBe(7);
    rt.dispose();
  });
});

describe('the FMA (relaxed SIMD) build', () => {
  it('is chosen when a probe validates, and matches the reference', () => {
    // Node 20 ships relaxed SIMD behind a flag; set before any relaxed module is compiled here
    const had = fmaSupported();
    if (!had) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    expect(fmaSupported()).toBe(true);
    const [m, n, k] = [37, 41, 300];
    const A = seeded(m * k, 1),
      B = seeded(k * n, 2);
    for (const threads of [1, 2]) {
      const rt = WasmRuntime.create({ threads });
      expect(rt.fma).toBe(true);
      const a = rt.alloc(m * k),
        b = rt.alloc(k * n),
        c = rt.alloc(m * n);
      rt.write(a, A);
      rt.write(b, B);
      rt.matmul(a, b, c, m, n, k, false, false);
      expect(mismatch(rt.read(c, m * n), matmulRef(dense([m, k], A), dense([k, n], B)).data, ACC(k))).toBeUndefined();
      rt.dispose();
    }
    expect(WasmRuntime.create({ threads: 1, fma: false }).fma).toBe(false);
  });
});

describe('the worker pool under stress', () => {
  const rt = WasmRuntime.create({ threads: 2, initialBytes: 0 });
  afterAll(() => rt.dispose());
  const n = PARALLEL_MIN.elementwise;
  const X = seeded(n, 5),
    Y = seeded(n, 6);
  const x = rt.alloc(n),
    y = rt.alloc(n);
  rt.write(x, X);
  rt.write(y, Y);
  const expected = Float32Array.from(X, (v, i) => v + Y[i]);

  it('runs 3000 back-to-back split calls without losing a wake-up', () => {
    const out = rt.alloc(n);
    for (let i = 0; i < 3000; i++) {
      rt.write(out, [NaN]);
      rt.binary(OP.add, { ptr: x, shape: [n] }, { ptr: y, shape: [n] }, out);
      if (i % 500 === 0) expect(bitwiseEqual(rt.read(out, n), expected)).toBe(true);
    }
    expect(bitwiseEqual(rt.read(out, n), expected)).toBe(true);
    rt.free(out);
  });

  it('serves concurrent async callers interleaved at every await', async () => {
    const worker = async (seed: number): Promise<boolean> => {
      const out = rt.alloc(n);
      let ok = true;
      for (let i = 0; i < 50; i++) {
        await Promise.resolve();
        rt.binary(OP.mul, { ptr: x, shape: [n] }, { ptr: y, shape: [n] }, out);
        await new Promise((r) => setTimeout(r, (seed + i) % 3));
        const got = rt.read(out, n);
        ok &&=
          got[seed] === Math.fround(X[seed] * Y[seed]) &&
          got[n - 1 - seed] === Math.fround(X[n - 1 - seed] * Y[n - 1 - seed]);
      }
      rt.free(out);
      return ok;
    };
    const results = await Promise.all(Array.from({ length: 8 }, (_, s) => worker(s)));
    expect(results).toEqual(new Array(8).fill(true));
  });

  it('keeps working when the memory grows while the workers sleep', async () => {
    const rows = 64,
      len = 1024;
    const R = seeded(rows * len, 7, 3);
    const r = rt.alloc(rows * len),
      o1 = rt.alloc(rows * len);
    rt.write(r, R);
    rt.softmax(SOFTMAX.softmax, r, o1, rows, len);
    const first = rt.read(o1, rows * len);
    const held: number[] = [];
    for (let g = 0; g < 4; g++) {
      // let the workers go back to sleep, then grow under them
      await new Promise((res) => setTimeout(res, 20));
      const before = rt.memory.buffer.byteLength;
      held.push(rt.alloc(before / 4));
      expect(rt.memory.buffer.byteLength).toBeGreaterThan(before);
      const o2 = held[held.length - 1];
      rt.softmax(SOFTMAX.softmax, r, o2, rows, len);
      expect(bitwiseEqual(rt.read(o2, rows * len), first)).toBe(true);
      // the far end of the new memory is written by a worker's share
      const far = rt.alloc(n);
      rt.binary(OP.add, { ptr: x, shape: [n] }, { ptr: y, shape: [n] }, far);
      expect(bitwiseEqual(rt.read(far, n), expected)).toBe(true);
      rt.free(far);
    }
    for (const h of held) rt.free(h);
    rt.free(r);
    rt.free(o1);
  });
});
