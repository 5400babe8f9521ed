/**
 * Property-based fuzzing of every op family against the float64 reference
 * (./parity/reference.ts), on cpu and webasm. Shapes are drawn with dimensions 0, 1, small
 * non-multiples of 4 and multiples of 4 (webasm's four-row matmul); one property draws outputs
 * past 2²³ cells, where float32 index arithmetic stops being exact without correction.
 *
 * The seed is fixed so CI is reproducible; `FUZZ_RUNS=500` (and `FUZZ_SEED=…`) run longer or
 * different searches locally. A failure prints fast-check's counterexample and seed.
 *
 * Tolerances are the parity suite's (|got − ref| ≤ atol + rtol·|ref|, NaN = NaN, ±Inf exact):
 * data movement and +, −, × exact to float32 rounding; transcendental ops rtol 2e-5, atol 1e-6;
 * sums and products rtol 1e-4, atol 1e-5 × (terms summed).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import {
  argRef,
  binaryRef,
  type Dense,
  f32,
  lseRef,
  map,
  matmulRef,
  maxRef,
  minRef,
  reduceRef,
  sizeOf,
  sumRef,
  topKMaskRef,
  transposeRef,
  unaryRef,
} from './parity/reference.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const LARGE_RUNS = Math.max(1, Math.ceil(RUNS / 12));
// vitest's per-test limit, scaled with the runs asked for (FUZZ_RUNS=500 takes minutes).
const TIMEOUT = 60_000 + RUNS * 2_000;
const settings = (runs = RUNS): { numRuns: number; seed: number; endOnFailure: boolean } => ({
  numRuns: runs,
  seed: SEED,
  endOnFailure: true,
});

interface Tolerance {
  rtol: number;
  atol: number;
}
const EXACT: Tolerance = { rtol: 1e-6, atol: 0 };
const TRANS: Tolerance = { rtol: 2e-5, atol: 1e-6 };
const ACC = (n: number): Tolerance => ({ rtol: 1e-4, atol: 1e-5 * Math.max(1, n) });

/** Dimensions: 0 and 1 often, small odd sizes, and multiples of 4. */
const dim = fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 2, max: 9 }), fc.constantFrom(4, 8, 12, 13, 17));
const shape = (minRank = 1, maxRank = 3): fc.Arbitrary<number[]> =>
  fc.array(dim, { minLength: minRank, maxLength: maxRank });
const seed = fc.integer({ min: 1, max: 2 ** 30 });

function random(shape: number[], s: number, lo = -3, hi = 3): Dense {
  const r = new T.Random(s);
  const d = new Float64Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = f32(lo + (hi - lo) * r.uniform());
  return { shape, data: d };
}
const up = (x: Dense): T.Tensor => T.tensor(Float32Array.from(x.data), x.shape);

async function expectClose(what: string, got: T.Tensor, ref: Dense, tol: Tolerance): Promise<void> {
  expect(got.shape, `${what}: shape`).toEqual(ref.shape);
  const data = await got.data();
  for (let i = 0; i < data.length; i++) {
    const g = data[i];
    const r = f32(ref.data[i]);
    const ok = Number.isNaN(r)
      ? Number.isNaN(g)
      : !Number.isFinite(r) || !Number.isFinite(g)
        ? g === r
        : Math.abs(g - r) <= tol.atol + tol.rtol * Math.abs(r);
    if (!ok) throw new Error(`${what}: element ${i} of shape [${ref.shape}] is ${g}, reference ${r}`);
  }
  got.dispose();
}

/** A shape that broadcasts against `s`: some dimensions set to 1, some leading ones dropped. */
const broadcastPartner = (s: number[]): fc.Arbitrary<number[]> =>
  fc
    .tuple(fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }), fc.integer({ min: 0, max: s.length }))
    .map(([ones, drop]) => s.map((d, i) => (ones[i] ? 1 : d)).slice(drop));

const UNARY = [
  'neg',
  'abs',
  'sign',
  'sqrt',
  'square',
  'exp',
  'log',
  'log1p',
  'relu',
  'sigmoid',
  'tanh',
  'softplus',
] as const;
const EXACT_UNARY = new Set(['neg', 'abs', 'sign', 'relu', 'square']);
const BINARY = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'greater', 'lessEqual', 'equal'] as const;
const EXACT_BINARY = new Set(['add', 'sub', 'mul', 'maximum', 'minimum', 'greater', 'lessEqual', 'equal']);
const REDUCERS: Array<[string, (x: T.Tensor, o: T.ReduceOptions) => T.Tensor, (v: number[]) => number, boolean]> = [
  ['sum', T.sum, sumRef, true],
  ['mean', T.mean, (v) => sumRef(v) / v.length, true],
  ['normL1', T.normL1, (v) => sumRef(v.map(Math.abs)), true],
  ['normL2', T.normL2, (v) => Math.sqrt(sumRef(v.map((x) => x * x))), true],
  ['max', T.max, maxRef, false],
  ['min', T.min, minRef, false],
  ['normLInf', T.normLInf, (v) => maxRef(v.map(Math.abs)), false],
];

for (const backend of ['cpu', 'webasm', 'wasm'] as const) {
  describe(`fuzz on ${backend} (seed ${SEED}, ${RUNS} runs per property)`, () => {
    beforeAll(() => {
      T.setBackend(backend);
    });
    afterAll(() => T.disposeBackend());

    it(
      'unary elementwise ops match the reference on any shape',
      async () => {
        await fc.assert(
          fc.asyncProperty(shape(0), fc.constantFrom(...UNARY), seed, async (s, op, sd) => {
            const x = random(s, sd, op === 'sqrt' || op === 'log' ? 0.01 : -5, 5);
            const fn = T[op] as (t: T.Tensor) => T.Tensor;
            await expectClose(`${op}`, fn(up(x)), map([x], unaryRef[op]), EXACT_UNARY.has(op) ? EXACT : TRANS);
          }),
          settings(),
        );
      },
      TIMEOUT,
    );

    it(
      'binary ops broadcast like NumPy, in either order',
      async () => {
        const arb = shape(0).chain((s) =>
          fc.tuple(fc.constant(s), broadcastPartner(s), fc.boolean(), fc.constantFrom(...BINARY), seed),
        );
        await fc.assert(
          fc.asyncProperty(arb, async ([sa, sb, swap, op, sd]) => {
            const [p, q] = swap ? [sb, sa] : [sa, sb];
            const a = random(p, sd);
            const b = random(q, sd + 1);
            const fn = T[op] as (x: T.Tensor, y: T.Tensor) => T.Tensor;
            await expectClose(
              `${op} [${p}] with [${q}]`,
              fn(up(a), up(b)),
              map([a, b], binaryRef[op]),
              EXACT_BINARY.has(op) ? EXACT : TRANS,
            );
          }),
          settings(),
        );
      },
      TIMEOUT,
    );

    it(
      'reductions over everything or one axis, with keepDims; empty slices give the identity or a ShapeError',
      async () => {
        const arb = shape(1).chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.option(fc.integer({ min: -s.length, max: s.length - 1 })),
            fc.boolean(),
            fc.integer({ min: 0, max: REDUCERS.length - 1 }),
            seed,
          ),
        );
        await fc.assert(
          fc.asyncProperty(arb, async ([s, axis, keepDims, which, sd]) => {
            const [name, fn, ref, hasIdentity] = REDUCERS[which];
            const x = random(s, sd);
            const len = axis === null ? sizeOf(s) : s[(axis + s.length) % s.length];
            const opts = axis === null ? { keepDims } : { axis, keepDims };
            if (len === 0 && !hasIdentity) {
              expect(() => fn(up(x), opts)).toThrow(T.ShapeError);
              return;
            }
            await expectClose(
              `${name} axis ${axis}`,
              fn(up(x), opts),
              reduceRef(x, axis ?? undefined, ref, keepDims),
              ACC(len),
            );
          }),
          settings(),
        );
      },
      TIMEOUT,
    );

    it(
      'argmax, argmin, logSumExp and softmax along an axis',
      async () => {
        const arb = shape(1).chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: 0, max: s.length - 1 }), seed));
        await fc.assert(
          fc.asyncProperty(arb, async ([s, axis, sd]) => {
            const x = random(s, sd, -4, 4);
            const lse = reduceRef(x, axis, lseRef, true);
            await expectClose('logSumExp', T.logSumExp(up(x), { axis, keepDims: true }), lse, {
              rtol: 1e-5,
              atol: 1e-5,
            });
            await expectClose(
              'softmax',
              T.softmax(up(x), axis),
              map([x, lse], (v, l) => Math.exp(v - l)),
              { rtol: 1e-4, atol: 1e-6 },
            );
            if (s[axis] === 0) {
              expect(() => T.argmax(up(x), axis)).toThrow(T.ShapeError);
              return;
            }
            await expectClose(
              'argmax',
              T.argmax(up(x), axis),
              reduceRef(
                x,
                axis,
                argRef((a, b) => a > b),
              ),
              EXACT,
            );
            await expectClose(
              'argmin',
              T.argmin(up(x), axis),
              reduceRef(
                x,
                axis,
                argRef((a, b) => a < b),
              ),
              EXACT,
            );
          }),
          settings(),
        );
      },
      TIMEOUT,
    );

    it(
      'where, clip, soft/hard thresholds, sliceRows and oneHot',
      async () => {
        const arb = shape(1).chain((s) =>
          fc.tuple(
            fc.constant(s),
            broadcastPartner(s),
            fc.float({ min: 0, max: 2, noNaN: true }),
            fc.nat(),
            fc.nat(),
            fc.array(fc.nat(), { maxLength: 5 }),
            dim,
            seed,
          ),
        );
        await fc.assert(
          fc.asyncProperty(arb, async ([s, sc, t, i0, i1, labels, depth, sd]) => {
            const x = random(s, sd);
            const c = random(sc, sd + 1, -1, 1);
            const y = random(sc, sd + 2);
            const th = Math.fround(t);
            await expectClose(
              'where',
              T.where(T.greater(up(c), 0), up(x), up(y)),
              map([c, x, y], (cv, xv, yv) => (cv > 0 ? xv : yv)),
              EXACT,
            );
            await expectClose(
              'clip',
              T.clip(up(x), -th, th),
              map([x], (v) => (v < -th ? -th : Math.min(v, th))),
              EXACT,
            );
            await expectClose(
              'softThreshold',
              T.softThreshold(up(x), th),
              map([x], (v) => Math.sign(v) * Math.max(Math.abs(v) - th, 0)),
              EXACT,
            );
            await expectClose(
              'hardThreshold',
              T.hardThreshold(up(x), th),
              map([x], (v) => (Math.abs(v) > th ? v : 0)),
              EXACT,
            );
            const [start, end] = [i0 % (s[0] + 1), i1 % (s[0] + 1)].sort((a, b) => a - b);
            const row = sizeOf(s.slice(1));
            await expectClose(
              `sliceRows ${start}..${end}`,
              T.sliceRows(up(x), start, end),
              { shape: [end - start, ...s.slice(1)], data: x.data.slice(start * row, end * row) },
              EXACT,
            );
            if (depth > 0) {
              const ls = labels.map((l) => l % depth);
              const oh = new Float64Array(ls.length * depth);
              ls.forEach((l, r) => (oh[r * depth + l] = 1));
              await expectClose(
                `oneHot depth ${depth}`,
                T.oneHot(ls, depth),
                { shape: [ls.length, depth], data: oh },
                EXACT,
              );
            }
          }),
          settings(),
        );
      },
      TIMEOUT,
    );

    it(
      'matmul of any m, k, n (0 included), transposed or batched',
      async () => {
        const arb = fc.record({
          m: dim,
          k: dim,
          n: dim,
          ta: fc.boolean(),
          tb: fc.boolean(),
          batch: fc.constantFrom(0, 1, 2, 3),
          shared: fc.constantFrom('none', 'a', 'b'),
          sd: seed,
        });
        await fc.assert(
          fc.asyncProperty(arb, async ({ m, k, n, ta, tb, batch, shared, sd }) => {
            const two = (r: number, c: number, t: boolean): number[] => (t ? [c, r] : [r, c]);
            const sa = two(m, k, ta);
            const sb = two(k, n, tb);
            const bat = batch > 0;
            const a = random(bat && shared !== 'a' ? [batch, ...sa] : sa, sd, -1, 1);
            const b = random(bat && shared !== 'b' ? [batch, ...sb] : sb, sd + 1, -1, 1);
            await expectClose(
              `matmul [${a.shape}]${ta ? 'ᵀ' : ''}·[${b.shape}]${tb ? 'ᵀ' : ''}`,
              T.matmul(up(a), up(b), { transposeA: ta, transposeB: tb }),
              matmulRef(a, b, ta, tb),
              ACC(k),
            );
          }),
          settings(),
        );
      },
      TIMEOUT,
    );

    it(
      'transpose, gather and concat move data exactly',
      async () => {
        const arb = shape(1).chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray(
              s.map((_, i) => i),
              { minLength: s.length, maxLength: s.length },
            ),
            fc.integer({ min: 0, max: s.length - 1 }),
            fc.array(fc.nat(), { maxLength: 6 }),
            dim,
            seed,
          ),
        );
        await fc.assert(
          fc.asyncProperty(arb, async ([s, perm, axis, picks, extra, sd]) => {
            const x = random(s, sd);
            await expectClose(`transpose [${s}] by ${perm}`, T.transpose(up(x), perm), transposeRef(x, perm), EXACT);
            if (s[axis] > 0) {
              const idx = picks.map((p) => p % s[axis]);
              const outer = sizeOf(s.slice(0, axis));
              const inner = sizeOf(s.slice(axis + 1));
              const ref = new Float64Array(outer * idx.length * inner);
              for (let o = 0; o < outer; o++)
                for (let j = 0; j < idx.length; j++)
                  for (let c = 0; c < inner; c++)
                    ref[(o * idx.length + j) * inner + c] = x.data[(o * s[axis] + idx[j]) * inner + c];
              const shapeOut = s.map((d, i) => (i === axis ? idx.length : d));
              await expectClose(
                `gather [${s}] axis ${axis}`,
                T.gather(up(x), idx, axis),
                { shape: shapeOut, data: ref },
                EXACT,
              );
            }
            const ys = s.map((d, i) => (i === axis ? extra : d));
            const y = random(ys, sd + 7);
            const outer = sizeOf(s.slice(0, axis));
            const inner = sizeOf(s.slice(axis + 1));
            const cat = new Float64Array(x.data.length + y.data.length);
            let at = 0;
            for (let o = 0; o < outer; o++) {
              for (const part of [x, y]) {
                const rows = part.shape[axis] * inner;
                cat.set(part.data.subarray(o * rows, (o + 1) * rows), at);
                at += rows;
              }
            }
            await expectClose(
              `concat [${s}] + [${ys}] axis ${axis}`,
              T.concat([up(x), up(y)], axis),
              { shape: s.map((d, i) => (i === axis ? d + extra : d)), data: cat },
              EXACT,
            );
          }),
          settings(),
        );
      },
      TIMEOUT,
    );

    it(
      'topKMask keeps exactly min(k, n) per group, ties to the lower index',
      async () => {
        const arb = shape(1, 2).chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.option(fc.integer({ min: 0, max: s.length - 1 })),
            fc.integer({ min: 0, max: 20 }),
            seed,
          ),
        );
        await fc.assert(
          fc.asyncProperty(arb, async ([s, axis, k, sd]) => {
            const x = random(s, sd);
            for (let i = 0; i < x.data.length; i += 5) x.data[i] = 0.5; // ties
            let ref: Dense;
            if (axis === null) ref = { shape: s, data: Float64Array.from(topKMaskRef(Array.from(x.data), k)) };
            else {
              const moved = s.length === 2 && axis === 0 ? transposeRef(x, [1, 0]) : x;
              const len = s[axis];
              const rows = new Float64Array(moved.data.length);
              for (let g = 0; g * len < moved.data.length; g++) {
                topKMaskRef(Array.from(moved.data.subarray(g * len, (g + 1) * len)), k).forEach(
                  (v, c) => (rows[g * len + c] = v),
                );
              }
              ref =
                s.length === 2 && axis === 0
                  ? transposeRef({ shape: moved.shape, data: rows }, [1, 0])
                  : { shape: s, data: rows };
            }
            await expectClose(
              `topKMask [${s}] k ${k} axis ${axis}`,
              T.topKMask(up(x), k, axis === null ? {} : { axis }),
              ref,
              EXACT,
            );
          }),
          settings(),
        );
      },
      TIMEOUT,
    );

    it(
      'topKMask on groups longer than 2048 (the bitonic-sort path)',
      async () => {
        const arb = fc.record({
          groups: fc.integer({ min: 1, max: 3 }),
          len: fc.integer({ min: 2049, max: 2300 }),
          k: fc.integer({ min: 1, max: 2300 }),
          ties: fc.boolean(),
          sd: seed,
        });
        await fc.assert(
          fc.asyncProperty(arb, async ({ groups, len, k, ties, sd }) => {
            const x = random([groups, len], sd);
            if (ties) for (let i = 0; i < x.data.length; i += 3) x.data[i] = i % 2 ? 0.5 : -0.5;
            const rows = new Float64Array(x.data.length);
            for (let g = 0; g < groups; g++)
              topKMaskRef(Array.from(x.data.subarray(g * len, (g + 1) * len)), k).forEach(
                (v, c) => (rows[g * len + c] = v),
              );
            await expectClose(
              `topKMask [${groups},${len}] k ${k}`,
              T.topKMask(up(x), k, { axis: -1 }),
              { shape: [groups, len], data: rows },
              EXACT,
            );
          }),
          settings(LARGE_RUNS),
        );
      },
      60_000 + LARGE_RUNS * 20_000,
    );

    it(
      'spmm equals the dense product for any sparsity, empty rows and k = 0 included',
      async () => {
        const arb = fc.record({ m: dim, k: dim, n: dim, density: fc.constantFrom(0, 0.1, 0.5, 1), sd: seed });
        await fc.assert(
          fc.asyncProperty(arb, async ({ m, k, n, density, sd }) => {
            const a = random([m, k], sd, -1, 1);
            const r = new T.Random(sd + 3);
            for (let i = 0; i < a.data.length; i++) if (r.uniform() >= density) a.data[i] = 0;
            const b = random([k, n], sd + 1, -1, 1);
            const csr = T.CsrTensor.fromArray(Float32Array.from(a.data), [m, k]);
            await expectClose(
              `spmm [${m},${k}]·[${k},${n}] density ${density}`,
              T.spmm(csr, up(b)),
              matmulRef(a, b),
              ACC(k),
            );
          }),
          settings(),
        );
      },
      TIMEOUT,
    );

    it(
      'outputs past 2^23 cells: broadcasts, matmul with k not a multiple of 4, transpose',
      async () => {
        // m × n in (2²³, 2²⁴]: the range where `i + 0.5` is no longer exact in float32.
        const arb = fc.record({
          m: fc.integer({ min: 2049, max: 2080 }),
          n: fc.integer({ min: 4097, max: 4160 }),
          k: fc.constantFrom(1, 2, 3, 5),
          sd: seed,
        });
        await fc.assert(
          fc.asyncProperty(arb, async ({ m, n, k, sd }) => {
            const col = random([m, 1], sd);
            const row = random([1, n], sd + 1);
            await expectClose(
              `add [${m},1] + [1,${n}]`,
              T.add(up(col), up(row)),
              map([col, row], (x, y) => x + y),
              EXACT,
            );
            const a = random([m, k], sd + 2, -1, 1);
            const b = random([k, n], sd + 3, -1, 1);
            await expectClose(`matmul [${m},${k}]·[${k},${n}]`, T.matmul(up(a), up(b)), matmulRef(a, b), ACC(k));
            const g = random([m, n], sd + 4);
            await expectClose(`transpose [${m},${n}]`, T.transpose(up(g)), transposeRef(g, [1, 0]), EXACT);
          }),
          settings(LARGE_RUNS),
        );
      },
      60_000 + LARGE_RUNS * 20_000,
    );
  });
}
