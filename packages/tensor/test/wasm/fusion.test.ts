// The wasm backend's native executor for fused elementwise chains (kernels/wasm-fusion.ts,
// assembly/kernels.ts's runProgram): every op it compiles against a float64 reference with
// the parity suite's tolerances, chains with broadcast inputs of every kind, lengths that are
// not whole vectors or blocks, empty and > 2²³-cell outputs, identical results on one and two
// threads, and the chains it does not compile falling back to gpu.js, named, and correct.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { current } from '../../src/backend.js';
import * as T from '../../src/index.js';
import { elementwise } from '../../src/internal.js';
import { leafPlan } from '../../src/kernels/wasm-fusion.js';
import { binaryRef, transposeRef, unaryRef } from '../parity/reference.js';
import { bitwiseEqual, EXACT, mismatch, seeded, type Tolerance, TRANS } from './helpers.js';

afterEach(() => {
  delete process.env.SPARSEKIT_WASM_THREADS;
  T.disposeBackend();
});
afterAll(() => T.disposeBackend());

type Extras = { blocks: () => number; parallelCalls: () => number; threads: number };
const extras = (): Extras => current().adapter as unknown as Extras;

const SPECIALS = [0, -0, 1, -1, 0.5, -2.5, Infinity, -Infinity, NaN, 3.4e38, -1e-30, 88, -88, 1e-7, 1e-40, -20.5];

/** `n` values: the specials, then seeded ones in [−scale, scale]. */
function values(n: number, seed: number, scale = 4): Float32Array {
  const r = seeded(n, seed, scale);
  for (let i = 0; i < Math.min(n, SPECIALS.length); i++) r[i] = SPECIALS[i];
  return r;
}

const UNARY: Record<string, [(x: T.Tensor) => T.Tensor, Tolerance]> = {
  neg: [T.neg, EXACT],
  abs: [T.abs, EXACT],
  sign: [T.sign, EXACT],
  sqrt: [T.sqrt, TRANS],
  square: [T.square, EXACT],
  exp: [T.exp, TRANS],
  log: [T.log, TRANS],
  log1p: [T.log1p, TRANS],
  relu: [T.relu, EXACT],
  leakyRelu: [(x) => T.leakyRelu(x), EXACT],
  sigmoid: [T.sigmoid, TRANS],
  tanh: [T.tanh, TRANS],
  softplus: [T.softplus, TRANS],
};
const BINARY: Record<string, [(a: T.Tensor, b: T.Tensor) => T.Tensor, Tolerance]> = {
  add: [T.add, EXACT],
  sub: [T.sub, EXACT],
  mul: [T.mul, EXACT],
  div: [T.div, TRANS],
  pow: [T.pow, TRANS],
  maximum: [T.maximum, EXACT],
  minimum: [T.minimum, EXACT],
  equal: [T.equal, EXACT],
  notEqual: [T.notEqual, EXACT],
  greater: [T.greater, EXACT],
  greaterEqual: [T.greaterEqual, EXACT],
  less: [T.less, EXACT],
  lessEqual: [T.lessEqual, EXACT],
};

// the reference of one op on float32 inputs, rounded once (the specials' sums and products
// overflow in float32 where float64 does not)
const rounded =
  (f: (...v: number[]) => number) =>
  (...v: number[]) =>
    Math.fround(f(...v.map(Math.fround)));

describe('fused elementwise chains on the wasm backend', () => {
  it('runs every unary op natively, specials and odd lengths included', () => {
    T.setBackend('wasm');
    for (const n of [1, 3, 37, 513]) {
      const x = values(n, n);
      for (const [name, [fn, tol]] of Object.entries(UNARY)) {
        const got = fn(T.tensor(x, [n])).dataSync();
        const ref = Array.from(x, rounded(unaryRef[name]));
        expect(mismatch(got, ref, tol), `${name} over ${n}`).toBeUndefined();
      }
    }
    expect(T.getBackend().fallbacks).toEqual([]);
  });

  it('runs exp, log and tanh to the transcendental tolerance over their whole float32 range', () => {
    T.setBackend('wasm');
    const n = 4099;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = Math.fround(Math.sign(i - n / 2) * 10 ** (((i % 97) / 96) * 40 - 38) * 1.7);
    const pos = x.map(Math.abs);
    const t = T.tensor(x, [n]);
    const p = T.tensor(pos, [n]);
    expect(mismatch(T.exp(t).dataSync(), Array.from(x, rounded(Math.exp)), TRANS)).toBeUndefined();
    expect(mismatch(T.log(p).dataSync(), Array.from(pos, rounded(Math.log)), TRANS)).toBeUndefined();
    expect(mismatch(T.tanh(t).dataSync(), Array.from(x, rounded(Math.tanh)), TRANS)).toBeUndefined();
    expect(T.getBackend().fallbacks).toEqual([]);
  });

  it('runs every binary op natively, with either operand broadcast, a scalar tensor or a number', () => {
    T.setBackend('wasm');
    const shapes: Array<[number[], number[]]> = [
      [
        [5, 13],
        [5, 13],
      ],
      [
        [5, 1],
        [1, 7],
      ],
      [
        [3, 4, 5],
        [4, 1],
      ],
      [[1], [6, 3]],
      [[257, 259], [259]],
    ];
    for (const [name, [fn, tol]] of Object.entries(BINARY)) {
      const f = rounded(binaryRef[name]);
      for (const [sa, sb] of shapes) {
        const a = values(
          sa.reduce((p, d) => p * d, 1),
          3,
        );
        const b = values(
          sb.reduce((p, d) => p * d, 1),
          4,
        );
        const got = fn(T.tensor(a, sa), T.tensor(b, sb));
        const ref = brute(got.shape, [
          [a, sa],
          [b, sb],
        ]).map(([x, y]) => f(x, y));
        expect(mismatch(got.dataSync(), ref, tol), `${name} ${sa} with ${sb}`).toBeUndefined();
      }
      const a = values(41, 5);
      const got = T.add(fn(T.tensor(a, [41]), 1.5 as never), 0).dataSync();
      expect(
        mismatch(
          got,
          Array.from(a, (x) => f(x, 1.5)),
          tol,
        ),
        `${name} with a number`,
      ).toBeUndefined();
    }
    expect(T.getBackend().fallbacks).toEqual([]);
  });

  it('fuses a long chain over inputs of four layouts, at lengths that are not whole vectors or blocks', () => {
    T.setBackend('wasm');
    for (const cols of [1, 3, 511, 512, 513, 1027]) {
      const rows = 3;
      const x = seeded(rows * cols, cols, 3);
      const row = seeded(cols, cols + 1, 2);
      const col = seeded(rows, cols + 2, 2);
      const one = seeded(1, cols + 3, 2);
      const y = T.tidy(() => {
        const X = T.tensor(x, [rows, cols]);
        const R = T.tensor(row, [cols]);
        const C = T.tensor(col, [rows, 1]);
        const S = T.tensor(one, [1, 1]);
        const u = T.add(T.mul(X, R), T.sub(C, S));
        const v = T.where(T.greater(u, 0), T.sqrt(T.abs(u)), T.mul(T.exp(T.neg(T.square(u))), -2));
        return T.clip(T.div(T.sigmoid(v), T.add(T.abs(R), 0.25)), -10, 3);
      });
      const ref = new Float32Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const u = x[i * cols + j] * row[j] + (col[i] - one[0]);
          const v = u > 0 ? Math.sqrt(Math.abs(u)) : Math.exp(-u * u) * -2;
          ref[i * cols + j] = Math.min(3, Math.max(-10, 1 / (1 + Math.exp(-v)) / (Math.abs(row[j]) + 0.25)));
        }
      }
      expect(mismatch(y.dataSync(), ref, { rtol: 1e-5, atol: 1e-6 }), `${rows}×${cols}`).toBeUndefined();
      y.dispose();
    }
    expect(T.getBackend().fallbacks).toEqual([]);
  });

  it('gives an empty result for an empty chain', () => {
    T.setBackend('wasm');
    const e = T.exp(T.add(T.zeros([0, 5]), 1));
    expect(e.shape).toEqual([0, 5]);
    expect(e.dataSync().length).toBe(0);
    expect(T.getBackend().fallbacks).toEqual([]);
  });

  it('computes outputs past 2²³ cells exactly', () => {
    T.setBackend('wasm');
    const [rows, cols] = [4097, 2049]; // 8,394,753 cells
    const y = T.tidy(() =>
      T.add(
        T.mul(T.tensor(seeded(cols, 11), [cols]), 2),
        T.tensor(
          Float32Array.from({ length: rows }, (_, i) => i),
          [rows, 1],
        ),
      ),
    );
    const got = y.dataSync();
    const row = seeded(cols, 11);
    for (const i of [0, 1, 2048, 2049, rows * cols - 2049, rows * cols - 1, 2 ** 23, 2 ** 23 + 1]) {
      expect(got[i], `cell ${i}`).toBe(Math.fround(Math.fround(row[i % cols] * 2) + Math.floor(i / cols)));
    }
    y.dispose();
    expect(T.getBackend().fallbacks).toEqual([]);
  });

  it('gives bitwise the same results on one and two threads, and splits large chains over the pool', () => {
    const [rows, cols] = [521, 513]; // 267,273 cells: above the split threshold, not whole blocks
    const x = seeded(rows * cols, 21, 6);
    const b = seeded(cols, 22, 2);
    const run = (threads: string): { out: Float32Array; split: number } => {
      process.env.SPARSEKIT_WASM_THREADS = threads;
      T.setBackend('wasm');
      const y = T.tidy(() => {
        const X = T.tensor(x, [rows, cols]);
        const B = T.tensor(b, [cols]);
        return T.add(T.tanh(T.mul(X, B)), T.log1p(T.exp(T.sub(X, B))));
      });
      const out = y.dataSync().slice();
      const split = extras().parallelCalls();
      y.dispose();
      expect(T.getBackend().fallbacks).toEqual([]);
      T.disposeBackend();
      return { out, split };
    };
    const one = run('1');
    const two = run('2');
    expect(one.split).toBe(0);
    expect(two.split).toBeGreaterThan(0);
    expect(bitwiseEqual(one.out, two.out)).toBe(true);
  });

  it('falls back to gpu.js, named and correct, for what it does not compile (Math.pow of signed values, more than 4 broadcast dimensions)', () => {
    T.setBackend('wasm');
    const a = seeded(12, 31, 3);
    const p = elementwise([12], [T.tensor(a, [12])], ([x]) => `Math.pow(${x}, 2.0)`).dataSync();
    expect(
      mismatch(
        p,
        Array.from(a, (v) => v ** 2),
        TRANS,
      ),
    ).toBeUndefined();
    expect(T.getBackend().fallbacks).toHaveLength(1);
    expect(T.getBackend().fallbacks[0]).toMatch(/no wasm kernel: gpu\.js cpu ran kernel/);
    const u = seeded(8, 32);
    const v = seeded(8, 33);
    const w = T.add(T.tensor(u, [2, 1, 2, 1, 2]), T.tensor(v, [1, 2, 1, 2, 2])).dataSync();
    const ref = brute(
      [2, 2, 2, 2, 2],
      [
        [u, [2, 1, 2, 1, 2]],
        [v, [1, 2, 1, 2, 2]],
      ],
    ).map(([x, y]) => Math.fround(x + y));
    expect(mismatch(w, ref, EXACT)).toBeUndefined();
    expect(T.getBackend().fallbacks).toHaveLength(2);
  });

  it('frees every result, keeping only its programs and their scratch', () => {
    T.setBackend('wasm');
    const x = T.tensor(seeded(3000, 41), [3000]);
    const first = T.tidy(() => T.exp(T.add(x, 1)));
    first.dataSync(); // uploads x and compiles the program once
    first.dispose();
    const base = extras().blocks();
    for (let i = 0; i < 5; i++) {
      const y = T.tidy(() => T.exp(T.add(x, 1)));
      y.dataSync();
      expect(extras().blocks()).toBe(base + 1);
      y.dispose();
    }
    expect(extras().blocks()).toBe(base);
  });
});

describe('transpose as a gathering program', () => {
  it('permutes axes natively up to 4 merged dimensions, odd sizes included, and falls back beyond', () => {
    T.setBackend('wasm');
    const cases: Array<[number[], number[], boolean]> = [
      [[3, 5], [1, 0], true],
      [[7, 1, 513], [2, 0, 1], true],
      [[2, 3, 4, 5, 6], [0, 1, 4, 2, 3], true], // the first two axes stay in order: 4 dimensions
      [[2, 3, 2, 3, 2, 3], [5, 4, 3, 2, 1, 0], false],
    ];
    for (const [shape, perm, native] of cases) {
      const before = T.getBackend().fallbacks.length;
      const x = seeded(
        shape.reduce((p, d) => p * d, 1),
        shape.length,
        5,
      );
      const got = T.transpose(T.tensor(x, shape), perm).dataSync();
      const ref = transposeRef({ shape, data: Float64Array.from(x) }, perm);
      expect(mismatch(got, Array.from(ref.data), EXACT), `${shape} by ${perm}`).toBeUndefined();
      expect(T.getBackend().fallbacks.length - before, `${shape} by ${perm}`).toBe(native ? 0 : 1);
    }
  });
});

describe('the fused-chain language', () => {
  it('compiles Math.max / min, &&, ||, !, nested ?: and numbers used as conditions, as JavaScript evaluates them', () => {
    T.setBackend('wasm');
    const a = values(67, 51);
    const b = values(67, 52);
    const js = (x: number, y: number): number => {
      const m = Math.max(x, y) - Math.min(x, -y);
      const c = !(x > 0 && y > 0) || x === y ? m : x / 2;
      return (x - y ? c : 7) + (x < y ? 1 : 0);
    };
    const t = elementwise(
      [67],
      [T.tensor(a, [67]), T.tensor(b, [67])],
      ([x, y]) =>
        `((${x} - ${y}) ? ((!(${x} > 0.0 && ${y} > 0.0) || ${x} == ${y}) ? (Math.max(${x}, ${y}) - Math.min(${x}, -${y})) : ${x} / 2.0) : 7.0) + (${x} < ${y})`,
    );
    const ref = Array.from(a, (x, i) => Math.fround(js(x, b[i])));
    expect(mismatch(t.dataSync(), ref, EXACT)).toBeUndefined();
    expect(T.getBackend().fallbacks).toEqual([]);
  });

  it('runs thousands of back-to-back chains on two threads, and again after the memory grew', () => {
    process.env.SPARSEKIT_WASM_THREADS = '2';
    T.setBackend('wasm');
    const n = 1 << 18;
    const x = seeded(n, 61, 2);
    const X = T.tensor(x, [n]);
    const ref = Array.from(x, (v) => Math.fround(Math.fround(v * 3) - 1));
    const run = (): Float32Array => {
      const y = T.sub(T.mul(X, 3), 1);
      const out = y.dataSync();
      y.dispose();
      return out;
    };
    const first = run();
    expect(mismatch(first, ref, EXACT)).toBeUndefined();
    for (let i = 0; i < 2000; i++) {
      const y = T.sub(T.mul(X, 3), 1);
      y.materializeSync();
      y.dispose();
    }
    expect(extras().parallelCalls()).toBeGreaterThanOrEqual(2000);
    // a large tensor grows the memory: the compiled program's views must follow
    const big = T.add(T.zeros([1 << 24]), 0);
    big.materializeSync();
    expect(bitwiseEqual(run(), first)).toBe(true);
    big.dispose();
  });
});

describe('leafPlan', () => {
  it('merges dimensions while an input stays contiguous or broadcast, and gives up past 4', () => {
    expect(leafPlan([5, 7], [5, 7])).toEqual({ dims: [1, 1, 1, 35], strides: [0, 0, 0, 1] });
    expect(leafPlan([7], [2, 5, 7])).toEqual({ dims: [1, 1, 10, 7], strides: [0, 0, 0, 1] });
    expect(leafPlan([5, 1], [2, 5, 7])).toEqual({ dims: [1, 2, 5, 7], strides: [0, 0, 1, 0] });
    expect(leafPlan([2, 1, 1], [2, 5, 7])).toEqual({ dims: [1, 1, 2, 35], strides: [0, 0, 1, 0] });
    expect(leafPlan([2, 1, 2, 1, 2], [2, 2, 2, 2, 2])).toBeNull();
  });
});

/** The operands' values at every cell of `shape` (row-major), each broadcast from its own shape. */
function brute(shape: readonly number[], operands: Array<[ArrayLike<number>, number[]]>): number[][] {
  const size = shape.reduce((p, d) => p * d, 1);
  const out: number[][] = [];
  for (let i = 0; i < size; i++) {
    const coord: number[] = [];
    let rem = i;
    for (let d = shape.length - 1; d >= 0; d--) {
      coord.unshift(rem % shape[d]);
      rem = Math.floor(rem / shape[d]);
    }
    out.push(
      operands.map(([data, s]) => {
        let at = 0;
        const off = shape.length - s.length;
        for (let d = 0; d < s.length; d++) at = at * s[d] + (s[d] === 1 ? 0 : coord[d + off]);
        return data[at];
      }),
    );
  }
  return out;
}
