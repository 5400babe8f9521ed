// The wasm backend's kernels against the float64 reference of the parity suite, on one thread
// (the non-shared build) and on two (the shared build with a worker), and the two compared
// bit for bit: a split of the work must not change any result.
import { afterAll, describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/errors.js';
import { broadcastPlan, OP, PARALLEL_MIN, ROP, SOFTMAX, UOP, WasmRuntime } from '../../src/wasm/runtime.js';
import {
  binaryRef,
  dense,
  f32,
  lseRef,
  map,
  matmulRef,
  maxRef,
  minRef,
  reduceRef,
  sizeOf,
  sumRef,
  unaryRef,
} from '../parity/reference.js';
import { ACC, bitwiseEqual, EXACT, mismatch, seeded, type Tolerance, TRANS } from './helpers.js';

const runtimes = {
  one: WasmRuntime.create({ threads: 1, initialBytes: 0 }),
  two: WasmRuntime.create({ threads: 2, initialBytes: 0 }),
};
afterAll(() => {
  runtimes.one.dispose();
  runtimes.two.dispose();
});

type RT = WasmRuntime;
function put(rt: RT, data: Float32Array): number {
  const p = rt.alloc(data.length);
  rt.write(p, data);
  return p;
}

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e-30, 100, -100, 88.7, -87.3, 0.5];

function expectClose(name: string, got: Float32Array, ref: ArrayLike<number>, tol: Tolerance): void {
  const bad = mismatch(got, ref, tol);
  expect(bad, name).toBeUndefined();
}

const softRef = (x: number, t: number): number => {
  const u = Math.max(t, 0);
  return Number.isNaN(x) ? NaN : x > u ? x - u : x < -u ? x + u : 0;
};
const hardRef = (x: number, t: number): number => (Number.isNaN(x) ? NaN : Math.abs(x) > t ? x : 0);

describe.each(['one', 'two'] as const)('wasm kernels, %s thread(s)', (which) => {
  const rt = runtimes[which];

  it('uses the shared build only with workers', () => {
    expect(rt.threads).toBe(which === 'one' ? 1 : 2);
    expect(rt.shared).toBe(which === 'two');
  });

  describe('matmul', () => {
    const shapes: Array<[number, number, number]> = [
      [1, 1, 1],
      [5, 7, 3],
      [4, 8, 16],
      [13, 17, 19],
      [33, 9, 65],
      [130, 70, 300],
      [9, 1030, 20],
      [0, 5, 3],
      [5, 0, 3],
      [5, 3, 0],
    ];
    for (const [m, n, k] of shapes) {
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        it(`${m}×${k} · ${k}×${n}, transposeA ${ta}, transposeB ${tb}`, () => {
          const A = seeded(m * k, m * 31 + k);
          const B = seeded(k * n, n * 17 + k);
          const ref = matmulRef(dense(ta ? [k, m] : [m, k], A), dense(tb ? [n, k] : [k, n], B), ta, tb);
          const a = put(rt, A),
            b = put(rt, B),
            c = rt.alloc(m * n);
          rt.write(c, new Float32Array(m * n).fill(NaN));
          rt.matmul(a, b, c, m, n, k, ta, tb);
          expectClose('C', rt.read(c, m * n), ref.data, ACC(k));
          rt.free(a);
          rt.free(b);
          rt.free(c);
        });
      }
    }

    it('batches, with a 2-D operand shared by every batch', () => {
      const [B, m, n, k] = [3, 11, 13, 9];
      const A = seeded(B * m * k, 1),
        Bs = seeded(k * n, 2),
        Bb = seeded(B * k * n, 3);
      const a = put(rt, A),
        bs = put(rt, Bs),
        bb = put(rt, Bb),
        c = rt.alloc(B * m * n);
      rt.matmul(a, bs, c, m, n, k, false, false, B, m * k, 0);
      expectClose('shared B', rt.read(c, B * m * n), matmulRef(dense([B, m, k], A), dense([k, n], Bs)).data, ACC(k));
      rt.matmul(a, bb, c, m, n, k, false, true, B, m * k, k * n);
      expectClose(
        'batched Bᵀ',
        rt.read(c, B * m * n),
        matmulRef(dense([B, m, k], A), dense([B, n, k], Bb), false, true).data,
        ACC(k),
      );
      rt.free(a);
      rt.free(bs);
      rt.free(bb);
      rt.free(c);
    });

    it('writes an output past 2²³ cells', () => {
      const [m, n, k] = [2900, 2900, 3];
      expect(m * n).toBeGreaterThan(2 ** 23);
      const A = seeded(m * k, 4),
        B = seeded(k * n, 5);
      const a = put(rt, A),
        b = put(rt, B),
        c = rt.alloc(m * n);
      rt.matmul(a, b, c, m, n, k, false, false);
      const C = rt.read(c, m * n);
      const ref = new Float64Array(m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++)
          ref[i * n + j] = A[i * k] * B[j] + A[i * k + 1] * B[n + j] + A[i * k + 2] * B[2 * n + j];
      expectClose('C', C, ref, ACC(k));
      rt.free(a);
      rt.free(b);
      rt.free(c);
    });
  });

  describe('binary ops with broadcasting', () => {
    const pairs: Array<[number[], number[]]> = [
      [[37], [37]],
      [[5, 7], [7]],
      [
        [5, 1],
        [1, 7],
      ],
      [
        [3, 1, 5],
        [4, 1],
      ],
      [[], [6, 5]],
      [
        [2, 3, 4, 5],
        [3, 1, 5],
      ],
      [
        [2, 3, 4, 5, 6],
        [5, 6],
      ],
      [[0, 3], [3]],
      [[1200, 65], [65]],
    ];
    const refs: Record<keyof typeof OP, (a: number, b: number) => number> = {
      ...(binaryRef as Record<string, (a: number, b: number) => number>),
      softThreshold: softRef,
      hardThreshold: hardRef,
    } as never;
    for (const name of Object.keys(OP) as Array<keyof typeof OP>) {
      it(`${name} on ${pairs.length} shape pairs and specials`, () => {
        const tol = name === 'div' ? TRANS : EXACT;
        for (const [sa, sb] of pairs) {
          const A = seeded(sizeOf(sa), sa.length * 7 + 1);
          const B = seeded(sizeOf(sb), sb.length * 5 + 2);
          const a = put(rt, A),
            b = put(rt, B);
          const ref = map([dense(sa, A), dense(sb, B)], refs[name]);
          const out = rt.alloc(ref.data.length);
          const shape = rt.binary(OP[name], { ptr: a, shape: sa }, { ptr: b, shape: sb }, out);
          expect(shape).toEqual(ref.shape);
          expectClose(`${name} ${JSON.stringify([sa, sb])}`, rt.read(out, ref.data.length), ref.data, tol);
          rt.free(a);
          rt.free(b);
          rt.free(out);
        }
        const n = SPECIALS.length;
        const A = Float32Array.from({ length: n * n }, (_, i) => SPECIALS[Math.floor(i / n)]);
        const B = Float32Array.from({ length: n * n }, (_, i) => SPECIALS[i % n]);
        const a = put(rt, A),
          b = put(rt, B),
          out = rt.alloc(n * n);
        rt.binary(OP[name], { ptr: a, shape: [n * n] }, { ptr: b, shape: [n * n] }, out);
        const ref = Array.from(A, (x, i) => refs[name](x, B[i]));
        expectClose(`${name} specials`, rt.read(out, n * n), ref, tol);
        rt.free(a);
        rt.free(b);
        rt.free(out);
      });
    }

    it('rejects shapes that do not broadcast, and broadcasts that need more than 4 dimensions', () => {
      expect(() => broadcastPlan([2, 3], [4])).toThrow(ShapeError);
      expect(() =>
        rt.binary(OP.add, { ptr: 0, shape: [2, 1, 2, 1, 2] }, { ptr: 0, shape: [1, 2, 1, 2, 1] }, 0),
      ).toThrow(/more than 4 dimensions/);
    });
  });

  describe('unary ops', () => {
    for (const name of Object.keys(UOP) as Array<keyof typeof UOP>) {
      it(`${name} on random values and specials`, () => {
        const X = Float32Array.from([...seeded(1003, 9, 20), ...SPECIALS]);
        const x = put(rt, X),
          out = rt.alloc(X.length);
        rt.unary(UOP[name], x, out, X.length);
        const tol = name === 'exp' || name === 'sigmoid' || name === 'sqrt' ? TRANS : EXACT;
        expectClose(name, rt.read(out, X.length), Array.from(X, unaryRef[name]), tol);
        rt.free(x);
        rt.free(out);
      });
    }
  });

  describe('reductions', () => {
    const cases: Array<[number[], number]> = [
      [[64, 1024], 1],
      [[7, 13, 5], 0],
      [[7, 13, 5], 1],
      [[7, 13, 5], 2],
      [[4, 0], 1],
      [[1, 100003], 1],
    ];
    const refs = { sum: sumRef, max: maxRef, min: minRef, mean: (v: number[]) => sumRef(v) / v.length };
    for (const [shape, axis] of cases) {
      it(`sum, max, min, mean of ${JSON.stringify(shape)} along ${axis}`, () => {
        const X = seeded(sizeOf(shape), shape.length + axis);
        if (X.length > 20) X[17] = NaN;
        const x = put(rt, X);
        const outer = sizeOf(shape.slice(0, axis)),
          len = shape[axis],
          inner = sizeOf(shape.slice(axis + 1));
        const out = rt.alloc(outer * inner);
        for (const name of Object.keys(ROP) as Array<keyof typeof ROP>) {
          rt.reduce(ROP[name], x, out, outer, len, inner);
          const ref = reduceRef(dense(shape, X), axis, refs[name]);
          expectClose(`${name}`, rt.read(out, outer * inner), ref.data, ACC(len));
        }
        rt.free(x);
        rt.free(out);
      });
    }
  });

  describe('softmax, logSoftmax, logSumExp along the last axis', () => {
    for (const [rows, len] of [
      [64, 1024],
      [3, 5],
      [5, 0],
      [2, 13],
    ] as const) {
      it(`${rows}×${len}, with rows holding −Inf, +Inf and NaN`, () => {
        const X = seeded(rows * len, rows + len, 10);
        if (rows * len > 26) {
          X[len + 1] = -Infinity;
          X[2 * len + 3] = NaN;
        }
        const x = put(rt, X),
          out = rt.alloc(rows * len),
          lse = rt.alloc(rows);
        const rowsOf = (r: number): number[] => Array.from(X.subarray(r * len, (r + 1) * len));
        const l = Array.from({ length: rows }, (_, r) => lseRef(rowsOf(r)));
        rt.softmax(SOFTMAX.logSumExp, x, lse, rows, len);
        expectClose('logSumExp', rt.read(lse, rows), l, ACC(len));
        rt.softmax(SOFTMAX.softmax, x, out, rows, len);
        expectClose(
          'softmax',
          rt.read(out, rows * len),
          Array.from(X, (v, i) => Math.exp(v - l[Math.floor(i / len)])),
          ACC(len),
        );
        rt.softmax(SOFTMAX.logSoftmax, x, out, rows, len);
        expectClose(
          'logSoftmax',
          rt.read(out, rows * len),
          Array.from(X, (v, i) => v - l[Math.floor(i / len)]),
          ACC(len),
        );
        rt.free(x);
        rt.free(out);
        rt.free(lse);
      });
    }
  });

  it('runs Adam in place, constants formed in float64', () => {
    const n = 1003;
    const theta = seeded(n, 21),
      g = seeded(n, 22);
    const h = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const p = put(rt, theta),
      gp = put(rt, g),
      m = put(rt, new Float32Array(n)),
      v = put(rt, new Float32Array(n));
    const ref = { theta: Float64Array.from(theta), m: new Float64Array(n), v: new Float64Array(n) };
    for (let step = 1; step <= 3; step++) {
      // the whole step with its outputs over its inputs: in place
      rt.adamMoments(gp, m, v, [m, v, p], n, { ...h, step }, p);
      for (let i = 0; i < n; i++) {
        ref.m[i] = h.beta1 * ref.m[i] + (1 - h.beta1) * g[i];
        ref.v[i] = h.beta2 * ref.v[i] + (1 - h.beta2) * g[i] * g[i];
        const mh = ref.m[i] / (1 - h.beta1 ** step),
          vh = ref.v[i] / (1 - h.beta2 ** step);
        ref.theta[i] -= (h.lr * mh) / (Math.sqrt(vh) + h.eps);
      }
    }
    expectClose('m', rt.read(m, n), ref.m, { rtol: 1e-5, atol: 1e-7 });
    expectClose('v', rt.read(v, n), ref.v, { rtol: 1e-5, atol: 1e-9 });
    expectClose('theta', rt.read(p, n), ref.theta, { rtol: 1e-5, atol: 1e-7 });
    // the first step moves every parameter by lr·sign(g) (m̂ = g, v̂ = g²)
    expect(f32(theta[0] - rt.read(p, 1)[0])).not.toBe(0);
    rt.free(p);
    rt.free(gp);
    rt.free(m);
    rt.free(v);
  });
});

describe('a split over threads changes no result', () => {
  const both = (fill: (rt: RT) => Float32Array): void => {
    expect(bitwiseEqual(fill(runtimes.one), fill(runtimes.two))).toBe(true);
  };
  it('matmul, elementwise, reductions, softmax and Adam are bitwise identical on 1 and 2 threads', () => {
    const split = runtimes.two.parallelCalls;
    const [m, n, k] = [197, 201, 167];
    const A = seeded(m * k, 31),
      B = seeded(k * n, 32);
    both((rt) => {
      const a = put(rt, A),
        b = put(rt, B),
        c = rt.alloc(m * n);
      rt.matmul(a, b, c, m, n, k, true, false);
      const r = rt.read(c, m * n);
      rt.free(a);
      rt.free(b);
      rt.free(c);
      return r;
    });
    const X = seeded(300_001, 33, 5),
      Y = seeded(300_001, 34, 5);
    for (const op of Object.values(OP)) {
      both((rt) => {
        const x = put(rt, X),
          y = put(rt, Y),
          o = rt.alloc(X.length);
        rt.binary(op, { ptr: x, shape: [X.length] }, { ptr: y, shape: [Y.length] }, o);
        const r = rt.read(o, X.length);
        rt.free(x);
        rt.free(y);
        rt.free(o);
        return r;
      });
    }
    for (const op of Object.values(UOP)) {
      both((rt) => {
        const x = put(rt, X),
          o = rt.alloc(X.length);
        rt.unary(op, x, o, X.length);
        const r = rt.read(o, X.length);
        rt.free(x);
        rt.free(o);
        return r;
      });
    }
    const R = seeded(256 * 1100, 35, 4);
    for (const op of Object.values(ROP)) {
      both((rt) => {
        const x = put(rt, R),
          o = rt.alloc(256);
        rt.reduce(op, x, o, 256, 1100, 1);
        const r = rt.read(o, 256);
        rt.free(x);
        rt.free(o);
        return r;
      });
    }
    for (const mode of Object.values(SOFTMAX)) {
      both((rt) => {
        const x = put(rt, R),
          o = rt.alloc(R.length);
        rt.softmax(mode, x, o, 256, 1100);
        const r = rt.read(o, mode === SOFTMAX.logSumExp ? 256 : R.length);
        rt.free(x);
        rt.free(o);
        return r;
      });
    }
    const P = seeded(PARALLEL_MIN.elementwise + 3, 36),
      G = seeded(PARALLEL_MIN.elementwise + 3, 37);
    both((rt) => {
      const p = put(rt, P),
        g = put(rt, G),
        mm = put(rt, new Float32Array(P.length)),
        v = put(rt, new Float32Array(P.length));
      for (let step = 1; step <= 2; step++)
        rt.adamMoments(g, mm, v, [mm, v, p], P.length, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, step }, p);
      const r = rt.read(p, P.length);
      rt.free(p);
      rt.free(g);
      rt.free(mm);
      rt.free(v);
      return r;
    });
    // every call above was large enough to be split: 1 matmul, 14 binary, 9 unary, 4 reduce, 3 softmax, 2 Adam
    expect(runtimes.two.parallelCalls - split).toBe(33);
    expect(runtimes.one.parallelCalls).toBe(0);
  });
});
