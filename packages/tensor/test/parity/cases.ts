/**
 * The backend-parity suite: every op against its plain-TypeScript reference
 * (./reference.ts), on random and edge shapes. It takes the tensor module as an argument
 * so the same cases run under vitest in Node (cpu, webasm, headlessgl) and bundled into
 * headless Chromium (webgl2, webgpu). Reads use `await data()`, the one read every
 * backend has.
 *
 * Tolerances (|got − ref| ≤ atol + rtol·|ref|, with NaN = NaN and ±Inf exact):
 * - EXACT — data movement, comparisons, sign/abs/relu, +, −, ×: rtol 1e-6 against the
 *   float32-rounded reference (one rounding, so at most half an ulp apart).
 * - TRANSCENDENTAL — exp, log, sqrt, pow, sigmoid, tanh, softplus, log1p, ÷: rtol 2e-5,
 *   atol 1e-6 on cpu/webasm; GLSL's and WGSL's builtins are only specified to a few ulp,
 *   so rtol 2e-4, atol 1e-5 on the GPU backends.
 * - ACCUMULATED — reductions, matmul, softmax: rtol 1e-4, atol 1e-5 × (length of the sum),
 *   since float32 summation order differs between backends.
 *
 * NaN and ±Inf: every backend but WebGPU must propagate them as IEEE 754 says (the ops
 * guard against GLSL compilers that drop NaN). WGSL lets implementations assume finite
 * math — Chromium's compiler deletes `x != x` — so on WebGPU elements whose reference is
 * NaN or ±Inf are not compared, and NaN-tie-breaking cases use finite data.
 */
import type * as TensorModule from '../../src/index.js';
import {
  argRef,
  binaryRef,
  type Dense,
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
  topKMaskRef,
  transposeRef,
  unaryRef,
} from './reference.js';

type T = typeof TensorModule;
type Tensor = TensorModule.Tensor;

export interface ParityCase {
  name: string;
  run: () => Promise<void>;
}

export interface Tolerance {
  rtol: number;
  atol: number;
}

const GPU_BACKENDS = new Set(['webgl2', 'webgl', 'headlessgl', 'webgpu']);

export function parityCases(T: T): ParityCase[] {
  const gpu = (): boolean => GPU_BACKENDS.has(T.getBackend().name);
  const ieee = (): boolean => T.getBackend().name !== 'webgpu';
  const EXACT: Tolerance = { rtol: 1e-6, atol: 0 };
  const TRANS = (): Tolerance => (gpu() ? { rtol: 2e-4, atol: 1e-5 } : { rtol: 2e-5, atol: 1e-6 });
  const ACC = (n: number): Tolerance => ({ rtol: 1e-4, atol: 1e-5 * Math.max(1, n) });

  let seed = 1;
  const randomDense = (shape: number[], lo = -3, hi = 3): Dense => {
    const r = new T.Random(seed++);
    const d = new Float64Array(sizeOf(shape));
    for (let i = 0; i < d.length; i++) d[i] = f32(lo + (hi - lo) * r.uniform());
    return { shape, data: d };
  };
  const specials = (shape: number[]): Dense => {
    const vals = [0, -0, 1, -1, 0.5, -2.5, Infinity, -Infinity, NaN, 3.4e38, -1e-30, 88, -88, 1e-7];
    const d = new Float64Array(sizeOf(shape));
    for (let i = 0; i < d.length; i++) d[i] = vals[i % vals.length];
    return { shape, data: d };
  };
  const up = (x: Dense): Tensor => T.tensor(Float32Array.from(x.data), x.shape);

  async function check(name: string, got: Tensor, ref: Dense, tol: Tolerance): Promise<void> {
    if (got.shape.join(',') !== ref.shape.join(',')) {
      throw new Error(`${name}: shape [${got.shape}] differs from reference [${ref.shape}]`);
    }
    const data = await got.data();
    for (let i = 0; i < data.length; i++) {
      const g = data[i];
      const r = f32(ref.data[i]);
      if (!ieee() && !Number.isFinite(r)) continue;
      if (Number.isNaN(r) || Number.isNaN(g)) {
        if (Number.isNaN(r) && Number.isNaN(g)) continue;
        throw new Error(`${name}: element ${i} is ${g}, reference ${r}`);
      }
      if (!Number.isFinite(r) || !Number.isFinite(g)) {
        if (g === r) continue;
        throw new Error(`${name}: element ${i} is ${g}, reference ${r}`);
      }
      if (Math.abs(g - r) > tol.atol + tol.rtol * Math.abs(r)) {
        throw new Error(
          `${name}: element ${i} is ${g}, reference ${r} (|diff| ${Math.abs(g - r)}, rtol ${tol.rtol}, atol ${tol.atol})`,
        );
      }
    }
  }

  const cases: ParityCase[] = [];
  const add = (name: string, run: () => Promise<void>): void => {
    cases.push({ name, run });
  };

  // Shapes: 1×1, 1×n, n×1, sizes not a multiple of 4, and one large enough for thread pools.
  const SHAPES: number[][] = [
    [1, 1],
    [1, 7],
    [7, 1],
    [5, 13],
    [3, 4, 5],
    [257, 259],
  ];
  const exactUnary = new Set(['neg', 'abs', 'sign', 'relu', 'leakyRelu', 'square']);
  const unaryOps: Record<string, (x: Tensor) => Tensor> = {
    neg: T.neg,
    abs: T.abs,
    sign: T.sign,
    sqrt: T.sqrt,
    square: T.square,
    exp: T.exp,
    log: T.log,
    log1p: T.log1p,
    relu: T.relu,
    leakyRelu: (x) => T.leakyRelu(x),
    sigmoid: T.sigmoid,
    tanh: T.tanh,
    softplus: T.softplus,
  };
  for (const [name, fn] of Object.entries(unaryOps)) {
    const positive = name === 'sqrt' || name === 'log';
    for (const shape of SHAPES) {
      add(`${name} ${JSON.stringify(shape)}`, async () => {
        const x = randomDense(shape, positive ? 0.01 : -5, 5);
        await check(name, fn(up(x)), map([x], unaryRef[name]), exactUnary.has(name) ? EXACT : TRANS());
      });
    }
    add(`${name} propagates NaN/Inf and edge values`, async () => {
      const x = specials([2, 7]);
      const ref = map([x], unaryRef[name]);
      // float32 overflows where float64 does not: compare with the float32 semantics.
      if (name === 'square')
        for (let i = 0; i < ref.data.length; i++) ref.data[i] = f32(f32(x.data[i]) * f32(x.data[i]));
      await check(`${name} specials`, fn(up(x)), ref, exactUnary.has(name) ? EXACT : TRANS());
    });
  }

  const exactBinary = new Set([
    'add',
    'sub',
    'mul',
    'maximum',
    'minimum',
    'equal',
    'notEqual',
    'greater',
    'greaterEqual',
    'less',
    'lessEqual',
  ]);
  const binaryOps: Record<string, (a: Tensor | number, b: Tensor | number) => Tensor> = {
    add: T.add,
    sub: T.sub,
    mul: T.mul,
    div: T.div,
    pow: T.pow,
    maximum: T.maximum,
    minimum: T.minimum,
    equal: T.equal,
    notEqual: T.notEqual,
    greater: T.greater,
    greaterEqual: T.greaterEqual,
    less: T.less,
    lessEqual: T.lessEqual,
  };
  const PAIRS: Array<[number[], number[]]> = [
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
    [[3, 1, 5], [5]],
    [
      [1, 1],
      [6, 3],
    ],
    [[257, 259], [259]],
  ];
  for (const [name, fn] of Object.entries(binaryOps)) {
    const tol = (): Tolerance => (exactBinary.has(name) ? EXACT : TRANS());
    for (const [sa, sb] of PAIRS) {
      add(`${name} ${JSON.stringify(sa)} with ${JSON.stringify(sb)}`, async () => {
        const a = randomDense(sa, name === 'pow' ? 0.1 : -4, 4);
        const b = name === 'pow' ? randomDense(sb, -2, 2) : randomDense(sb, -4, 4);
        // Ties for the comparisons and equal.
        if (name.includes('qual'))
          for (let i = 0; i < Math.min(a.data.length, b.data.length); i += 3) b.data[i] = a.data[i];
        await check(name, fn(up(a), up(b)), map([a, b], binaryRef[name]), tol());
      });
    }
    add(`${name} with a scalar on either side`, async () => {
      const a = randomDense([4, 9], name === 'pow' ? 0.1 : -4, 4);
      const s = name === 'pow' ? 2 : 1.5;
      await check(
        `${name}(t, s)`,
        fn(up(a), s),
        map([a], (x) => binaryRef[name](x, s)),
        tol(),
      );
      if (name !== 'pow')
        await check(
          `${name}(s, t)`,
          fn(s, up(a)),
          map([a], (x) => binaryRef[name](s, x)),
          tol(),
        );
    });
    add(`${name} propagates NaN/Inf`, async () => {
      const a = specials([2, 7]);
      const b = dense([1, 7], [1, -1, 0, 2, Infinity, NaN, -0.5]);
      const ref = map([a, b], binaryRef[name]);
      if (name === 'mul' || name === 'add' || name === 'sub')
        for (let i = 0; i < ref.data.length; i++) ref.data[i] = f32(ref.data[i]);
      await check(`${name} specials`, fn(up(a), up(b)), ref, tol());
    });
  }
  add('pow keeps the sign of negative bases with integer exponents', async () => {
    const a = dense([6], [-2, -2, -3, 0, 4, -1.5]);
    const b = dense([6], [2, 3, 0, 0, 0.5, 2]);
    await check('pow negative base', T.pow(up(a), up(b)), map([a, b], Math.pow), TRANS());
  });

  add('clip, where, softThreshold, hardThreshold (with NaN)', async () => {
    const x = randomDense([9, 11], -3, 3);
    x.data[5] = NaN;
    await check(
      'clip',
      T.clip(up(x), -1, 0.5),
      map([x], (v) => (v < -1 ? -1 : Math.min(v, 0.5))),
      EXACT,
    );
    await check(
      'softThreshold',
      T.softThreshold(up(x), 0.75),
      map([x], (v) => (Number.isNaN(v) ? NaN : Math.sign(v) * Math.max(Math.abs(v) - 0.75, 0))),
      EXACT,
    );
    await check(
      'hardThreshold',
      T.hardThreshold(up(x), 0.75),
      map([x], (v) => (Number.isNaN(v) ? NaN : Math.abs(v) > 0.75 ? v : 0)),
      EXACT,
    );
    const c = randomDense([9, 1], -1, 1);
    const y = randomDense([11], -1, 1);
    await check(
      'where',
      T.where(T.greater(up(c), 0), up(x), up(y)),
      map([c, x, y], (cv, xv, yv) => (cv > 0 ? xv : yv)),
      EXACT,
    );
    const t = randomDense([1, 11], 0, 1);
    await check(
      'softThreshold tensor t',
      T.softThreshold(up(x), up(t)),
      map([x, t], (v, s) => (Number.isNaN(v) ? NaN : Math.sign(v) * Math.max(Math.abs(v) - s, 0))),
      EXACT,
    );
  });

  add('a fused chain of 12 ops equals the op-by-op reference', async () => {
    const x = randomDense([33, 65], -2, 2);
    let t = up(x);
    let r = x;
    const steps: Array<[(u: Tensor) => Tensor, (v: number) => number]> = [
      [(u) => T.mul(u, 1.5), (v) => f32(v * 1.5)],
      [(u) => T.add(u, 0.25), (v) => f32(v + 0.25)],
      [T.relu, (v) => Math.max(v, 0)],
      [(u) => T.sub(u, 1), (v) => f32(v - 1)],
      [T.tanh, Math.tanh],
      [T.exp, Math.exp],
      [T.sqrt, Math.sqrt],
      [(u) => T.div(u, 3), (v) => v / 3],
      [T.sigmoid, unaryRef.sigmoid],
      [T.log, Math.log],
      [T.neg, (v) => -v],
      [T.softplus, unaryRef.softplus],
    ];
    for (const [f, g] of steps) {
      t = f(t);
      r = map([r], g);
    }
    await check('chain', t, r, TRANS());
  });

  // Matmul: square, rectangular, k not a multiple of 4, transposes, batched.
  const MM: Array<[number[], number[], boolean, boolean]> = [
    [[1, 1], [1, 1], false, false],
    [[1, 7], [7, 1], false, false],
    [[7, 1], [1, 5], false, false],
    [[13, 9], [9, 6], false, false],
    [[9, 13], [9, 6], true, false],
    [[13, 9], [6, 9], false, true],
    [[9, 13], [6, 9], true, true],
    [[2, 5, 3], [2, 3, 4], false, false],
    [[2, 5, 3], [3, 4], false, false],
    [[3, 5], [2, 4, 5], false, true],
    [[96, 70], [70, 130], false, false],
    // m and k multiples of 4: webasm's four-rows-per-thread kernel, sync and threaded.
    [[16, 12], [12, 9], false, false],
    [[12, 16], [12, 9], true, false],
    [[16, 12], [9, 12], false, true],
    [[12, 16], [9, 12], true, true],
    [[256, 128], [128, 256], false, false],
  ];
  for (const [sa, sb, ta, tb] of MM) {
    add(`matmul ${JSON.stringify(sa)}${ta ? 'ᵀ' : ''} · ${JSON.stringify(sb)}${tb ? 'ᵀ' : ''}`, async () => {
      const a = randomDense(sa, -1, 1);
      const b = randomDense(sb, -1, 1);
      const k = ta ? sa[sa.length - 2] : sa[sa.length - 1];
      await check(
        'matmul',
        T.matmul(up(a), up(b), { transposeA: ta, transposeB: tb }),
        matmulRef(a, b, ta, tb),
        ACC(k),
      );
    });
  }

  // Reductions over everything and over each axis, with keepDims, and large inputs (two-pass).
  const reducers: Array<[string, (x: Tensor, o: TensorModule.ReduceOptions) => Tensor, (v: number[]) => number]> = [
    ['sum', T.sum, sumRef],
    ['mean', T.mean, (v) => sumRef(v) / v.length],
    ['max', T.max, maxRef],
    ['min', T.min, minRef],
    ['normL1', T.normL1, (v) => sumRef(v.map(Math.abs))],
    ['normL2', T.normL2, (v) => Math.sqrt(sumRef(v.map((x) => x * x)))],
    ['normLInf', T.normLInf, (v) => maxRef(v.map(Math.abs))],
  ];
  for (const [name, fn, ref] of reducers) {
    for (const shape of [
      [1, 1],
      [7, 1],
      [1, 7],
      [3, 4, 5],
    ]) {
      add(`${name} over all and each axis of ${JSON.stringify(shape)}`, async () => {
        const x = randomDense(shape);
        await check(`${name} all`, fn(up(x), {}), reduceRef(x, undefined, ref), ACC(x.data.length));
        for (let ax = -shape.length; ax < shape.length; ax++) {
          await check(
            `${name} axis ${ax}`,
            fn(up(x), { axis: ax }),
            reduceRef(x, ax, ref),
            ACC(shape[(ax + shape.length) % shape.length]),
          );
          await check(
            `${name} axis ${ax} keepDims`,
            fn(up(x), { axis: ax, keepDims: true }),
            reduceRef(x, ax, ref, true),
            ACC(shape[(ax + shape.length) % shape.length]),
          );
        }
      });
    }
    add(`${name} over 100003 elements (two passes)`, async () => {
      const x = randomDense([100003], 0, 1);
      await check(`${name} large`, fn(up(x), {}), reduceRef(x, undefined, ref), { rtol: 1e-4, atol: 1e-4 });
    });
    add(`${name} propagates NaN`, async () => {
      const x = randomDense([4, 6]);
      x.data[7] = NaN;
      await check(`${name} NaN`, fn(up(x), { axis: 1 }), reduceRef(x, 1, ref), ACC(6));
    });
  }

  add('argmax / argmin along each axis, ties to the first index, NaN wins', async () => {
    const x = randomDense([4, 5, 6]);
    x.data[3] = x.data[1];
    if (ieee()) x.data[40] = NaN;
    for (let ax = 0; ax < 3; ax++) {
      await check(
        `argmax ${ax}`,
        T.argmax(up(x), ax),
        reduceRef(
          x,
          ax,
          argRef((a, b) => a > b),
        ),
        EXACT,
      );
      await check(
        `argmin ${ax}`,
        T.argmin(up(x), ax),
        reduceRef(
          x,
          ax,
          argRef((a, b) => a < b),
        ),
        EXACT,
      );
    }
  });

  add('logSumExp, softmax and logSoftmax are stable for large logits', async () => {
    const x = randomDense([64, 1024], -10, 10);
    for (let i = 0; i < 1024; i++) x.data[i] = x.data[i] * 100 + 1000;
    const lse = reduceRef(x, -1, lseRef, true);
    await check('logSumExp', T.logSumExp(up(x), { axis: -1, keepDims: true }), lse, { rtol: 1e-5, atol: 1e-4 });
    await check(
      'softmax',
      T.softmax(up(x)),
      map([x, lse], (v, l) => Math.exp(v - l)),
      { rtol: 1e-3, atol: 1e-6 },
    );
    await check(
      'logSoftmax',
      T.logSoftmax(up(x)),
      map([x, lse], (v, l) => v - l),
      { rtol: 1e-4, atol: 1e-3 },
    );
    const y = randomDense([3, 4, 5]);
    await check(
      'softmax axis 0',
      T.softmax(up(y), 0),
      map([y, reduceRef(y, 0, lseRef, true)], (v, l) => Math.exp(v - l)),
      { rtol: 1e-4, atol: 1e-6 },
    );
  });

  add('transpose 2-D and 3-D permutations', async () => {
    const x = randomDense([7, 5]);
    await check('transpose 2-D', T.transpose(up(x)), transposeRef(x, [1, 0]), EXACT);
    const y = randomDense([3, 4, 5]);
    for (const perm of [
      [0, 2, 1],
      [2, 0, 1],
      [1, 2, 0],
      [2, 1, 0],
    ]) {
      await check(`transpose ${perm}`, T.transpose(up(y), perm), transposeRef(y, perm), EXACT);
    }
  });

  add('gather checks tensor indices, computed on the device too', async () => {
    const x = randomDense([6, 5]);
    const colsRef = (cols: number[]): Dense => ({
      shape: [6, cols.length],
      data: Float64Array.from([...Array(6).keys()].flatMap((r) => cols.map((c) => x.data[r * 5 + c]))),
    });
    // Indices computed by a kernel (device-resident on GL and WebGPU): 0.5·[4, 2] = [2, 1].
    await check('gather computed cols', T.gather(up(x), T.mul(T.tensor([4, 2]), 0.5), 1), colsRef([2, 1]), EXACT);
    const bad = T.mul(T.tensor([4, 12]), 0.5); // [2, 6]: 6 is past the 5 columns
    if (T.getBackend().syncReadback) {
      let err: unknown;
      try {
        T.gather(up(x), bad, 1);
      } catch (e) {
        err = e;
      }
      if (!(err instanceof T.ValueError) || err.message !== 'gather: indices[1] must be an integer in [0, 5), got 6') {
        throw new Error(`expected gather's ValueError for index 6, got ${String(err)}`);
      }
    } else {
      // No synchronous readback (WebGPU): the slices at a bad index are NaN instead.
      const d = await T.gather(up(x), bad, 1).data();
      for (let r = 0; r < 6; r++) {
        if (d[r * 2] !== Math.fround(x.data[r * 5 + 2]) || !Number.isNaN(d[r * 2 + 1])) {
          throw new Error(`row ${r}: expected [x[${r}, 2], NaN], got [${d[r * 2]}, ${d[r * 2 + 1]}]`);
        }
      }
    }
  });

  add('reshape, sliceRows, gather, concat, oneHot', async () => {
    const x = randomDense([6, 5]);
    await check('reshape', T.reshape(up(x), [3, -1]), { shape: [3, 10], data: x.data }, EXACT);
    await check('sliceRows', T.sliceRows(up(x), 2, 5), { shape: [3, 5], data: x.data.slice(10, 25) }, EXACT);
    const rows = [4, 0, 4, 1];
    await check(
      'gather rows',
      T.gather(up(x), rows),
      { shape: [4, 5], data: Float64Array.from(rows.flatMap((r) => Array.from(x.data.slice(r * 5, r * 5 + 5)))) },
      EXACT,
    );
    const cols = [2, 2, 0];
    await check(
      'gather cols',
      T.gather(up(x), T.tensor(cols), 1),
      {
        shape: [6, 3],
        data: Float64Array.from([...Array(6).keys()].flatMap((r) => cols.map((c) => x.data[r * 5 + c]))),
      },
      EXACT,
    );
    const y = randomDense([6, 2]);
    const cat = new Float64Array(6 * 7);
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 5; c++) cat[r * 7 + c] = x.data[r * 5 + c];
      for (let c = 0; c < 2; c++) cat[r * 7 + 5 + c] = y.data[r * 2 + c];
    }
    await check('concat axis 1', T.concat([up(x), up(y)], 1), { shape: [6, 7], data: cat }, EXACT);
    await check(
      'concat axis 0',
      T.concat([up(x), up(x)], 0),
      { shape: [12, 5], data: Float64Array.from([...x.data, ...x.data]) },
      EXACT,
    );
    const labels = [3, 0, 9, 3];
    const oh = new Float64Array(40);
    labels.forEach((l, i) => (oh[i * 10 + l] = 1));
    await check('oneHot', T.oneHot(labels, 10), { shape: [4, 10], data: oh }, EXACT);
  });

  add('topKMask per row and over the whole tensor, ties to the lower index', async () => {
    const x = randomDense([6, 9]);
    x.data[1] = -x.data[0];
    const perRow = new Float64Array(54);
    for (let r = 0; r < 6; r++)
      topKMaskRef(Array.from(x.data.slice(r * 9, r * 9 + 9)), 3).forEach((m, c) => (perRow[r * 9 + c] = m));
    await check('topKMask rows', T.topKMask(up(x), 3, { axis: -1 }), { shape: [6, 9], data: perRow }, EXACT);
    await check(
      'topKMask all',
      T.topKMask(up(x), 10),
      { shape: [6, 9], data: Float64Array.from(topKMaskRef(Array.from(x.data), 10)) },
      EXACT,
    );
  });
  add('topKMask on large groups (bitonic sort): whole tensor, rows, columns; ties and NaN', async () => {
    const x = randomDense([60, 50]);
    for (let i = 0; i < 40; i++) x.data[i * 7] = i % 2 ? 0.5 : -0.5; // ties across the threshold
    if (ieee()) x.data[13] = NaN; // NaN ranks above everything
    const all = Float64Array.from(topKMaskRef(Array.from(x.data), 700));
    await check('topKMask 3000 → 700', T.topKMask(up(x), 700), { shape: [60, 50], data: all }, EXACT);
    const y = randomDense([3, 2100]);
    const rows = new Float64Array(y.data.length);
    for (let r = 0; r < 3; r++)
      topKMaskRef(Array.from(y.data.slice(r * 2100, (r + 1) * 2100)), 333).forEach((m, c) => (rows[r * 2100 + c] = m));
    await check('topKMask rows of 2100', T.topKMask(up(y), 333, { axis: -1 }), { shape: [3, 2100], data: rows }, EXACT);
    const z = transposeRef(y, [1, 0]);
    await check(
      'topKMask columns of 2100',
      T.topKMask(up(z), 333, { axis: 0 }),
      transposeRef({ shape: [3, 2100], data: rows }, [1, 0]),
      EXACT,
    );
    await check('topKMask k >= n', T.topKMask(up(dense([3], [Infinity, 1, NaN])), 3), dense([3], [1, 1, 1]), EXACT);
  });

  add('columnNorms and normalizeColumns (zero columns untouched)', async () => {
    const x = randomDense([8, 5]);
    for (let r = 0; r < 8; r++) x.data[r * 5 + 2] = 0;
    const norms = reduceRef(x, 0, (v) => Math.sqrt(sumRef(v.map((a) => a * a))), true);
    await check('columnNorms', T.columnNorms(up(x)), norms, ACC(8));
    await check(
      'normalizeColumns',
      T.normalizeColumns(up(x)),
      map([x, norms], (v, n) => (n > 1e-12 ? v / n : v)),
      TRANS(),
    );
  });

  add('CSR round-trips and sparse × dense equals dense matmul', async () => {
    const a = randomDense([37, 23]);
    for (let i = 0; i < a.data.length; i++) if (i % 3 !== 0) a.data[i] = 0;
    a.data.fill(0, 23, 46); // an empty row
    const csr = T.CsrTensor.fromArray(Float32Array.from(a.data), [37, 23]);
    if (csr.nnz !== Array.from(a.data).filter((v) => v !== 0).length) throw new Error('csr nnz');
    await check('csr toDense', csr.toDense(), a, EXACT);
    const b = randomDense([23, 11]);
    await check('spmm', T.spmm(csr, up(b)), matmulRef(a, b), ACC(23));
  });

  add('creation: eye, arange, linspace, full; seeded rand is identical on every backend', async () => {
    await check('eye', T.eye(3, 4), dense([3, 4], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]), EXACT);
    await check('arange', T.arange(2, 11, 3), dense([3], [2, 5, 8]), EXACT);
    await check('linspace', T.linspace(0, 1, 5), dense([5], [0, 0.25, 0.5, 0.75, 1]), EXACT);
    // The generator runs on the host: these exact values are the same everywhere.
    const r = await T.rand([3], { seed: 42 }).data();
    const again = await T.rand([3], { seed: 42 }).data();
    if (r.join() !== again.join()) throw new Error('rand is not reproducible');
    const rng = new T.Random(42);
    await check(
      'rand seed 42',
      T.add(T.rand([3], { seed: 42 }), 0),
      dense([3], [rng.uniform(), rng.uniform(), rng.uniform()]),
      EXACT,
    );
  });

  // Empty dimensions: every op gives the empty (or, for an empty sum, the identity) result that
  // the reference gives, on every backend, with no kernel reading an empty input.
  add('empty shapes: elementwise, broadcasting, transpose, reshape', async () => {
    for (const shape of [[0], [3, 0], [0, 4], [2, 0, 3]]) {
      const x = randomDense(shape);
      await check(`exp ${JSON.stringify(shape)}`, T.exp(up(x)), map([x], Math.exp), EXACT);
      await check(
        `add ${JSON.stringify(shape)}`,
        T.add(up(x), 1),
        map([x], (v) => v + 1),
        EXACT,
      );
    }
    const a = randomDense([3, 0]);
    const b = randomDense([1, 1]);
    await check(
      'add [3,0] + [1,1]',
      T.add(up(a), up(b)),
      map([a, b], (u, v) => u + v),
      EXACT,
    );
    const c = randomDense([0, 1]);
    await check(
      'mul [0,1] · [1,5]',
      T.mul(up(c), up(randomDense([1, 5]))),
      { shape: [0, 5], data: new Float64Array(0) },
      EXACT,
    );
    await check(
      'transpose [2,0,3]',
      T.transpose(up(randomDense([2, 0, 3])), [2, 0, 1]),
      transposeRef(randomDense([2, 0, 3]), [2, 0, 1]),
      EXACT,
    );
    await check(
      'reshape [3,0] → [0,-1]',
      T.reshape(up(a), [0, 5]),
      { shape: [0, 5], data: new Float64Array(0) },
      EXACT,
    );
  });
  add('empty shapes: matmul with an empty inner dimension is zeros; empty outer dimensions are empty', async () => {
    const MM0: Array<[number[], number[], boolean, boolean]> = [
      [[3, 0], [0, 4], false, false],
      [[4, 0], [0, 8], false, false], // the webasm four-row kernel's shape class, k = 0
      [[0, 3], [0, 5], true, false],
      [[0, 3], [3, 4], false, false],
      [[3, 4], [4, 0], false, false],
      [[2, 3, 0], [2, 0, 5], false, false],
      [[0, 3, 2], [2, 4], false, false],
      [[5, 0], [7, 0], false, true],
    ];
    for (const [sa, sb, ta, tb] of MM0) {
      const a = randomDense(sa);
      const b = randomDense(sb);
      await check(
        `matmul ${JSON.stringify(sa)}·${JSON.stringify(sb)}`,
        T.matmul(up(a), up(b), { transposeA: ta, transposeB: tb }),
        matmulRef(a, b, ta, tb),
        EXACT,
      );
    }
  });
  add('empty shapes: sums of nothing are 0, means NaN, logSumExp −Inf, softmax empty', async () => {
    const x = randomDense([3, 0]);
    await check('sum all of [3,0]', T.sum(up(x), {}), reduceRef(x, undefined, sumRef), EXACT);
    await check('sum axis 1 of [3,0]', T.sum(up(x), { axis: 1 }), reduceRef(x, 1, sumRef), EXACT);
    await check('sum axis 0 of [3,0]', T.sum(up(x), { axis: 0 }), reduceRef(x, 0, sumRef), EXACT);
    await check(
      'normL1 axis 1 of [3,0]',
      T.normL1(up(x), { axis: 1 }),
      reduceRef(x, 1, (v) => sumRef(v.map(Math.abs))),
      EXACT,
    );
    await check(
      'normL2 axis 1 of [3,0]',
      T.normL2(up(x), { axis: 1, keepDims: true }),
      reduceRef(x, 1, (v) => Math.sqrt(sumRef(v.map((u) => u * u))), true),
      EXACT,
    );
    if (ieee())
      await check(
        'mean axis 1 of [3,0]',
        T.mean(up(x), { axis: 1 }),
        reduceRef(x, 1, (v) => sumRef(v) / v.length),
        EXACT,
      );
    await check('max axis 0 of [3,0]', T.max(up(x), { axis: 0 }), reduceRef(x, 0, maxRef), EXACT);
    await check(
      'argmax axis 0 of [3,0]',
      T.argmax(up(x), 0),
      reduceRef(
        x,
        0,
        argRef((a, b) => a > b),
      ),
      EXACT,
    );
    if (ieee())
      await check('logSumExp axis 1 of [3,0]', T.logSumExp(up(x), { axis: 1 }), reduceRef(x, 1, lseRef), EXACT);
    await check('softmax axis 1 of [3,0]', T.softmax(up(x), 1), { shape: [3, 0], data: new Float64Array(0) }, EXACT);
  });
  add('empty shapes: gather, concat, sliceRows, oneHot, topKMask, CSR', async () => {
    const x = randomDense([4, 3]);
    await check('gather no rows', T.gather(up(x), []), { shape: [0, 3], data: new Float64Array(0) }, EXACT);
    await check(
      'gather from [0,3]',
      T.gather(up(randomDense([0, 3])), [1, 0], 1),
      { shape: [0, 2], data: new Float64Array(0) },
      EXACT,
    );
    const e = randomDense([4, 0]);
    await check('concat with an empty piece', T.concat([up(e), up(x), up(e)], 1), x, EXACT);
    await check(
      'concat of empty pieces',
      T.concat([up(e), up(e)], 0),
      { shape: [8, 0], data: new Float64Array(0) },
      EXACT,
    );
    await check('sliceRows 2..2', T.sliceRows(up(x), 2, 2), { shape: [0, 3], data: new Float64Array(0) }, EXACT);
    await check('oneHot of no labels', T.oneHot([], 4), { shape: [0, 4], data: new Float64Array(0) }, EXACT);
    await check(
      'topKMask of [0]',
      T.topKMask(up(randomDense([0])), 2),
      { shape: [0], data: new Float64Array(0) },
      EXACT,
    );
    await check(
      'topKMask rows of [0,5]',
      T.topKMask(up(randomDense([0, 5])), 2, { axis: -1 }),
      { shape: [0, 5], data: new Float64Array(0) },
      EXACT,
    );
    const none = T.CsrTensor.fromArray(new Float32Array(0), [3, 0]);
    await check(
      'spmm with k = 0',
      T.spmm(none, up(randomDense([0, 4]))),
      matmulRef(randomDense([3, 0]), randomDense([0, 4])),
      EXACT,
    );
    const zeroRows = T.CsrTensor.fromArray(new Float32Array(6), [2, 3]);
    await check(
      'spmm of an all-zero CSR',
      T.spmm(zeroRows, up(randomDense([3, 4]))),
      { shape: [2, 4], data: new Float64Array(8) },
      EXACT,
    );
  });

  // Past 2²³ output cells a float32 `i + 0.5` is no longer exact: the index arithmetic every
  // backend runs must still floor each cell into its own row and column.
  add('outputs past 2^23 cells: broadcast add, matmul with k = 3, transpose (2049 × 4097)', async () => {
    const m = 2049;
    const n = 4097;
    const col = randomDense([m, 1]);
    const row = randomDense([1, n]);
    await check(
      'add past 2^23',
      T.add(up(col), up(row)),
      map([col, row], (a, b) => a + b),
      EXACT,
    );
    const a = randomDense([m, 3], -1, 1);
    const b = randomDense([3, n], -1, 1);
    await check('matmul past 2^23', T.matmul(up(a), up(b)), matmulRef(a, b), ACC(3));
    const g = randomDense([m, n]);
    await check('transpose past 2^23', T.transpose(up(g)), transposeRef(g, [1, 0]), EXACT);
  });

  // No waste: kernels compile once per op × shape, and data stays on the device between ops.
  add('a chain of 10 elementwise ops costs one upload, one launch and one readback', async () => {
    const x = T.rand([1000], { seed: 3 });
    let y = x;
    for (let i = 0; i < 10; i++) y = i % 2 ? T.relu(T.add(y, 0.1)) : T.mul(y, 0.9);
    // 5 × (add + relu) + 5 × mul = 15 ops, all elementwise.
    const before = T.kernelStats();
    await y.data();
    const after = T.kernelStats();
    const d = {
      uploads: after.uploads - before.uploads,
      calls: after.calls - before.calls,
      readbacks: after.readbacks - before.readbacks,
    };
    if (d.uploads !== 1 || d.calls !== 1 || d.readbacks !== 1)
      throw new Error(`expected 1 upload, 1 launch, 1 readback; got ${JSON.stringify(d)}`);
  });
  add('matmul → bias → relu → row sums keeps intermediates on resident backends', async () => {
    const a = T.rand([16, 32], { seed: 4 });
    const w = T.rand([32, 8], { seed: 5 });
    const b = T.rand([8], { seed: 6 });
    const out = T.sum(T.relu(T.add(T.matmul(a, w), b)), { axis: 1 });
    const before = T.kernelStats();
    await out.data();
    const after = T.kernelStats();
    const calls = after.calls - before.calls;
    const readbacks = after.readbacks - before.readbacks;
    const uploads = after.uploads - before.uploads;
    if (calls !== 3) throw new Error(`expected 3 launches (matmul, fused bias+relu, sum), got ${calls}`);
    // On cpu/webasm every intermediate lives on the host, so it is handed back in again.
    const resident = T.getBackend().resident;
    if (uploads !== (resident ? 3 : 5)) throw new Error(`expected ${resident ? 3 : 5} uploads, got ${uploads}`);
    const expected = resident ? 1 : 3;
    if (readbacks !== expected)
      throw new Error(`expected ${expected} readbacks on ${T.getBackend().name}, got ${readbacks}`);
  });
  add('1,000 identical training-style steps compile nothing after the first', async () => {
    let w = T.randn([8, 4], { seed: 7 });
    const x = T.randn([16, 8], { seed: 8 });
    const step = async (): Promise<void> => {
      const next = T.tidy(() => {
        const g = T.matmul(x, T.tanh(T.matmul(x, w)), { transposeA: true });
        return T.sub(w, T.mul(g, 0.001));
      });
      await next.materialize();
      w.dispose();
      w = next;
    };
    await step();
    const compiled = T.kernelStats().compiled;
    const live = T.memory().liveTensors;
    for (let i = 1; i < 1000; i++) await step();
    const extra = T.kernelStats().compiled - compiled;
    if (extra !== 0) throw new Error(`${extra} kernels compiled after the first step`);
    if (T.memory().liveTensors !== live) throw new Error(`live tensors went from ${live} to ${T.memory().liveTensors}`);
    const v = await w.data();
    if (!v.every(Number.isFinite)) throw new Error('weights went non-finite');
  });

  return cases;
}
