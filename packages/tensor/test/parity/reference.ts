/**
 * The one reference result of every tensor op: plain TypeScript in float64, rounded to
 * float32 only at the end. Every backend is compared with these.
 */

export interface Dense {
  shape: number[];
  data: Float64Array;
}

export const sizeOf = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

export function dense(shape: number[], data: ArrayLike<number>): Dense {
  return { shape, data: Float64Array.from(data) };
}

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let k = r; k >= 1; k--) {
    const x = a.length - k >= 0 ? a[a.length - k] : 1;
    const y = b.length - k >= 0 ? b[b.length - k] : 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Flat index into `x` of every element of shape `to` under broadcasting (stride 0 on size-1 dims). */
function broadcastOffsets(x: Dense, to: readonly number[]): Int32Array | Float64Array {
  const r = to.length;
  const padded = [...new Array(r - x.shape.length).fill(1), ...x.shape];
  const xs = strides(padded).map((st, d) => (padded[d] === 1 ? 0 : st));
  const n = sizeOf(to);
  const out = n < 2 ** 31 ? new Int32Array(n) : new Float64Array(n);
  // Odometer over the output's coordinates: no division per element, so references of
  // 2²⁴-element broadcasts stay fast enough for the fuzz suite.
  const coord = new Array<number>(r).fill(0);
  let idx = 0;
  for (let i = 0; i < n; i++) {
    out[i] = idx;
    for (let d = r - 1; d >= 0; d--) {
      coord[d]++;
      idx += xs[d];
      if (coord[d] < to[d]) break;
      idx -= xs[d] * coord[d];
      coord[d] = 0;
    }
  }
  return out;
}

export function map(xs: Dense[], f: (...v: number[]) => number): Dense {
  let shape: number[] = xs[0].shape;
  for (const x of xs.slice(1)) shape = broadcastShape(shape, x.shape);
  const n = sizeOf(shape);
  const offsets = xs.map((x) => broadcastOffsets(x, shape));
  const out = new Float64Array(n);
  const args = new Array<number>(xs.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < xs.length; j++) args[j] = xs[j].data[offsets[j][i]];
    out[i] = f(...args);
  }
  return { shape, data: out };
}

export const f32 = (x: number): number => Math.fround(x);

export const unaryRef: Record<string, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  sqrt: Math.sqrt,
  square: (x) => x * x,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  relu: (x) => Math.max(x, 0),
  leakyRelu: (x) => (x < 0 ? 0.01 * x : x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
};

export const binaryRef: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a === b ? 0 : 1),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
};

export function matmulRef(a: Dense, b: Dense, ta = false, tb = false): Dense {
  const batched = a.shape.length === 3 || b.shape.length === 3;
  // A 2-D operand is shared by every batch of the other (an empty batch included).
  const B = a.shape.length === 3 ? a.shape[0] : b.shape.length === 3 ? b.shape[0] : 1;
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = ta ? ac : ar;
  const k = ta ? ar : ac;
  const n = tb ? br : bc;
  const out = new Float64Array(B * m * n);
  for (let bi = 0; bi < B; bi++) {
    const ao = a.shape.length === 3 ? bi * ar * ac : 0;
    const bo = b.shape.length === 3 ? bi * br * bc : 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const x = a.data[ao + (ta ? p * m + i : i * k + p)];
          const y = b.data[bo + (tb ? j * k + p : p * n + j)];
          s += x * y;
        }
        out[bi * m * n + i * n + j] = s;
      }
    }
  }
  return { shape: batched ? [B, m, n] : [m, n], data: out };
}

/** Reduces along `axis` (or everything when undefined) with `f` over each slice. */
export function reduceRef(x: Dense, axis: number | undefined, f: (v: number[]) => number, keepDims = false): Dense {
  if (axis === undefined) {
    return { shape: keepDims ? x.shape.map(() => 1) : [], data: Float64Array.of(f(Array.from(x.data))) };
  }
  const ax = axis < 0 ? axis + x.shape.length : axis;
  const outer = sizeOf(x.shape.slice(0, ax));
  const len = x.shape[ax];
  const inner = sizeOf(x.shape.slice(ax + 1));
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const v: number[] = [];
      for (let p = 0; p < len; p++) v.push(x.data[o * len * inner + p * inner + i]);
      out[o * inner + i] = f(v);
    }
  }
  const shape = keepDims ? x.shape.map((d, i) => (i === ax ? 1 : d)) : x.shape.filter((_, i) => i !== ax);
  return { shape, data: out };
}

export const sumRef = (v: number[]): number => v.reduce((p, x) => p + x, 0);
export const maxRef = (v: number[]): number => (v.some(Number.isNaN) ? NaN : Math.max(...v));
export const minRef = (v: number[]): number => (v.some(Number.isNaN) ? NaN : Math.min(...v));
export const argRef =
  (better: (a: number, b: number) => boolean) =>
  (v: number[]): number => {
    let at = 0;
    for (let p = 1; p < v.length; p++) {
      if (Number.isNaN(v[at])) break;
      if (Number.isNaN(v[p]) || better(v[p], v[at])) at = p;
    }
    return at;
  };
export const lseRef = (v: number[]): number => {
  const m = Math.max(...v);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(v.reduce((p, x) => p + Math.exp(x - m), 0));
};

export function transposeRef(x: Dense, perm: number[]): Dense {
  const shape = perm.map((p) => x.shape[p]);
  const os = strides(shape);
  const is = strides(x.shape);
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    let rem = i;
    let idx = 0;
    for (let d = 0; d < shape.length; d++) {
      const c = Math.floor(rem / os[d]);
      rem -= c * os[d];
      idx += c * is[perm[d]];
    }
    out[i] = x.data[idx];
  }
  return { shape, data: out };
}

export function topKMaskRef(v: number[], k: number): number[] {
  // NaN ranks above every magnitude; ties go to the lower index.
  const order = v
    .map((x, i) => [Number.isNaN(x) ? Infinity : Math.abs(f32(x)), i])
    .sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : b[0] - a[0]));
  const out = new Array(v.length).fill(0);
  for (let r = 0; r < Math.min(k, v.length); r++) out[order[r][1]] = 1;
  return out;
}
