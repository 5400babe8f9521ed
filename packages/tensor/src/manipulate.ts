import { current } from './backend.js';
import { checkOptions, describeValue, formatShape, ShapeError, ValueError } from './errors.js';
import { assertTensor, elementwise, hostTensor, hostValues, kernelOp, view } from './internal.js';
import { defineKernel, runKernel } from './kernels/registry.js';
import { Random } from './random.js';
import { sum } from './reduce.js';
import { checkSize, divmod, normalizeAxis, sizeOf, stridesOf } from './shape.js';
import type { Tensor } from './tensor.js';

/** The same data under a new shape; one dimension may be −1 (inferred). No kernel runs. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('reshape', 'x', x);
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1 || shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ShapeError(
      'reshape',
      `shape must be non-negative integers with at most one -1, got ${formatShape(shape)}`,
    );
  }
  const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const out = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  if (sizeOf(out) !== x.size || !out.every(Number.isInteger)) {
    throw new ShapeError(
      'reshape',
      `cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}`,
    );
  }
  return view(out, x);
}

/** Permutes dimensions (default: reversed, i.e. the matrix transpose for 2-D). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  assertTensor('transpose', 'x', x);
  const r = x.rank;
  if (perm !== undefined && !Array.isArray(perm))
    throw new ValueError('transpose', `perm must be an array of axes, got ${describeValue(perm)}`);
  const p = perm ? perm.map((a, i) => normalizeAxis('transpose', a, r, `perm[${i}]`)) : [...Array(r).keys()].reverse();
  if (p.length !== r || new Set(p).size !== r) {
    throw new ValueError('transpose', `perm must be a permutation of 0..${r - 1}, got ${formatShape(perm ?? [])}`);
  }
  const outShape = p.map((a) => x.shape[a]);
  if (p.every((a, i) => a === i)) return view(outShape, x);
  return runKernel(TRANSPOSE, { x, perm: p, outShape });
}

/** The parameters of the `'transpose'` kernel: `x` with its axes permuted by `perm`. @internal */
export interface TransposeParams {
  x: Tensor;
  perm: number[];
  outShape: number[];
}

const TRANSPOSE = defineKernel<TransposeParams>('transpose', ({ x, perm, outShape }) => {
  const inStrides = stridesOf(x.shape);
  const outStrides = stridesOf(outShape);
  const lines = ['const rem0 = this.thread.x;', 'let idx = 0.0;'];
  for (let d = 0; d < perm.length; d++) {
    lines.push(...divmod(`c${d}`, `rem${d + 1}`, `rem${d}`, outStrides[d], x.size));
    lines.push(`idx += c${d} * ${inStrides[perm[d]]};`);
  }
  lines.push('return a0[idx];');
  return kernelOp(outShape, `function(a0) {\n  ${lines.join('\n  ')}\n}`, [x]);
});

/** Rows `start` (inclusive) to `end` (exclusive) along the first axis. */
export function sliceRows(x: Tensor, start: number, end: number): Tensor {
  assertTensor('sliceRows', 'x', x);
  if (x.rank < 1) throw new ShapeError('sliceRows', 'x must have at least one dimension');
  const n = x.shape[0];
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start > end) {
    throw new ValueError('sliceRows', `need integers 0 <= start <= end <= ${n}, got start=${start}, end=${end}`);
  }
  const row = x.size / Math.max(n, 1);
  const shape = [end - start, ...x.shape.slice(1)];
  return runKernel(SLICE_ROWS, { x, offset: start * row, shape });
}

/** Parameters of the `sliceRows` kernel: the cells from `offset` on, as `shape`. @internal */
export interface SliceRowsParams {
  readonly x: Tensor;
  readonly offset: number;
  readonly shape: readonly number[];
}

const SLICE_ROWS = defineKernel<SliceRowsParams>('sliceRows', ({ x, offset, shape }) =>
  kernelOp(shape, `function(a0) {\n  return a0[this.thread.x + ${offset}];\n}`, [x]),
);

/**
 * Gathers slices along `axis` (default 0) at integer `indices` (a tensor of whole numbers
 * or a plain array). An index that is not an integer in [0, length) is a `ValueError`, in an
 * array or a tensor alike. A tensor's indices are checked by one reduction and a one-number
 * readback (its values are read only to name a bad one); on a backend without synchronous
 * readback (WebGPU) the slices at bad indices are NaN instead.
 */
export function gather(x: Tensor, indices: Tensor | readonly number[], axis = 0): Tensor {
  assertTensor('gather', 'x', x);
  const ax = normalizeAxis('gather', axis, x.rank);
  const len = x.shape[ax];
  let idx: Tensor;
  if (Array.isArray(indices)) {
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= len) {
        throw new ValueError('gather', `indices must be integers in [0, ${len}), got ${i}`);
      }
    }
    idx = hostTensor([indices.length], Float32Array.from(indices));
  } else {
    idx = assertTensor('gather', 'indices', indices);
    if (idx.rank !== 1) throw new ShapeError('gather', `indices must be 1-D, got ${formatShape(idx.shape)}`);
  }
  const outer = sizeOf(x.shape.slice(0, ax));
  const inner = sizeOf(x.shape.slice(ax + 1));
  const k = idx.size;
  if (len === 0 && k > 0 && outer * inner > 0) {
    if (Array.isArray(indices)) idx.dispose();
    throw new ShapeError(
      'gather',
      `cannot gather ${k} indices from axis ${ax} of length 0 (x ${formatShape(x.shape)})`,
    );
  }
  const shape = [...x.shape.slice(0, ax), k, ...x.shape.slice(ax + 1)];
  try {
    checkSize('gather', 'the result', shape);
  } catch (e) {
    if (Array.isArray(indices)) idx.dispose();
    throw e;
  }
  if (!Array.isArray(indices) && k > 0 && sizeOf(shape) > 0) checkIndexTensor(idx, len);
  const out = runKernel(GATHER, { x, idx, outer, len, inner, k, shape });
  if (Array.isArray(indices)) idx.dispose();
  return out;
}

/** Parameters of the `gather` kernel: slabs of x viewed as [outer, len, inner], k indices. @internal */
export interface GatherParams {
  readonly x: Tensor;
  readonly idx: Tensor;
  readonly outer: number;
  readonly len: number;
  readonly inner: number;
  readonly k: number;
  readonly shape: readonly number[];
}

// The read is clamped so a bad index never reads outside x; its slice is NaN (s0) instead.
const GATHER = defineKernel<GatherParams>('gather', ({ x, idx, len, inner, k, shape }) => {
  const lines = [
    'const o = this.thread.x;',
    ...divmod('a', 'r', 'o', k * inner, sizeOf(shape)),
    ...divmod('j', 'c', 'r', inner, sizeOf(shape)),
    'const raw = a1[j];',
    `let g = Math.floor(raw + 0.5);`,
    `const bad = g != raw || g < 0.0 || g > ${len - 1}.0;`,
    `if (g < 0.0) { g = 0.0; }`,
    `if (g > ${len - 1}.0) { g = ${len - 1}.0; }`,
    `const v = a0[a * ${len * inner} + g * ${inner} + c];`,
    'return bad ? s0 : v;',
  ];
  return kernelOp(shape, `function(a0, a1, s0) {\n  ${lines.join('\n  ')}\n}`, [x, idx], [NaN]);
});

// Indices are realised once, here, so the check and the gather read the same values. Host
// indices (cpu, webasm) are checked where they lie; device ones by counting the valid ones in
// one kernel and reading back that count, so a valid call reads one number.
function checkIndexTensor(idx: Tensor, len: number): void {
  if (!current().info.syncReadback) return;
  idx.materializeSync();
  let values = hostValues(idx);
  if (!values) {
    const valid = sum(
      elementwise(
        idx.shape,
        [idx],
        ([v]) => `((${v} == Math.floor(${v}) && ${v} >= 0.0 && ${v} <= ${len - 1}.0) ? 1.0 : 0.0)`,
      ),
    );
    let count: number;
    try {
      count = valid.itemSync();
    } finally {
      valid.dispose();
    }
    if (count === idx.size) return;
    values = idx.dataSync();
  }
  const v = values as Float32Array;
  const i = v.findIndex((g) => !(Number.isInteger(g) && g >= 0 && g < len));
  if (i >= 0) throw new ValueError('gather', `indices[${i}] must be an integer in [0, ${len}), got ${v[i]}`);
}

/** Joins tensors along `axis` (default 0); all other dimensions must match. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!tensors || typeof tensors.length !== 'number' || tensors.length === 0)
    throw new ValueError('concat', 'tensors must be a non-empty array');
  tensors.forEach((t, i) => assertTensor('concat', `tensors[${i}]`, t));
  const first = tensors[0];
  const ax = normalizeAxis('concat', axis, first.rank);
  for (const [i, t] of tensors.entries()) {
    if (t.rank !== first.rank || t.shape.some((d, j) => j !== ax && d !== first.shape[j])) {
      throw new ShapeError(
        'concat',
        `tensors[${i}] has shape ${formatShape(t.shape)}, incompatible with ${formatShape(first.shape)} along axis ${ax}`,
      );
    }
  }
  if (tensors.length === 1) return view(first.shape, first);
  // Joined in groups so no kernel takes more arguments than a GL backend has texture units.
  if (tensors.length > 8) {
    const parts: Tensor[] = [];
    for (let i = 0; i < tensors.length; i += 8) parts.push(concat(tensors.slice(i, i + 8), ax));
    const out = concat(parts, ax);
    for (const p of parts) p.dispose();
    return out;
  }
  const inner = sizeOf(first.shape.slice(ax + 1));
  const lens = tensors.map((t) => t.shape[ax]);
  const total = lens.reduce((p, d) => p + d, 0);
  const shape = first.shape.map((d, j) => (j === ax ? total : d));
  checkSize('concat', 'the result', shape);
  // Empty pieces add nothing and are not kernel arguments (an empty array is no valid input).
  const pieces = tensors.filter((t) => t.size > 0);
  return runKernel(CONCAT, { pieces, axis: ax, inner, total, shape });
}

/** Parameters of the `concat` kernel: at most 8 non-empty pieces joined along `axis`. @internal */
export interface ConcatParams {
  readonly pieces: readonly Tensor[];
  readonly axis: number;
  readonly inner: number;
  readonly total: number;
  readonly shape: readonly number[];
}

const CONCAT = defineKernel<ConcatParams>('concat', ({ pieces, axis, inner, total, shape }) => {
  const lines = [
    'const o = this.thread.x;',
    ...divmod('a', 'r', 'o', total * inner, sizeOf(shape)),
    ...divmod('j', 'c', 'r', inner, sizeOf(shape)),
  ];
  let offset = 0;
  pieces.forEach((t, i) => {
    const l = t.shape[axis];
    lines.push(`if (j < ${offset + l}.0) { return a${i}[a * ${l * inner} + (j - ${offset}) * ${inner} + c]; }`);
    offset += l;
  });
  lines.push('return 0.0;');
  const args = pieces.map((_, i) => `a${i}`).join(', ');
  return kernelOp(shape, `function(${args}) {\n  ${lines.join('\n  ')}\n}`, [...pieces]);
});

/**
 * One-hot rows: integer class indices [n] → [n, depth] of 0/1. Out-of-range indices are
 * rejected when given as an array; inside a tensor they give an all-zero row.
 */
export function oneHot(indices: Tensor | readonly number[], depth: number): Tensor {
  if (!Number.isInteger(depth) || depth < 1)
    throw new ValueError('oneHot', `depth must be a positive integer, got ${depth}`);
  let idx: Tensor;
  if (Array.isArray(indices)) {
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= depth) {
        throw new ValueError('oneHot', `indices must be integers in [0, ${depth}), got ${i}`);
      }
    }
    checkSize('oneHot', 'the result', [indices.length, depth]);
    idx = hostTensor([indices.length], Float32Array.from(indices));
  } else {
    idx = assertTensor('oneHot', 'indices', indices);
    if (idx.rank !== 1) throw new ShapeError('oneHot', `indices must be 1-D, got ${formatShape(idx.shape)}`);
    checkSize('oneHot', 'the result', [idx.size, depth]);
  }
  const out = runKernel(ONE_HOT, { idx, depth });
  if (Array.isArray(indices)) idx.dispose();
  return out;
}

/** Parameters of the `oneHot` kernel. @internal */
export interface OneHotParams {
  readonly idx: Tensor;
  readonly depth: number;
}

const ONE_HOT = defineKernel<OneHotParams>('oneHot', ({ idx, depth }) => {
  const lines = [
    'const o = this.thread.x;',
    ...divmod('r', 'c', 'o', depth, idx.size * depth),
    'return Math.floor(a0[r] + 0.5) == c ? 1.0 : 0.0;',
  ];
  return kernelOp([idx.size, depth], `function(a0) {\n  ${lines.join('\n  ')}\n}`, [idx]);
});

/** Rows of `x` in a seeded random order (a permutation along the first axis). */
export function shuffle(x: Tensor, options: { seed?: number } = {}): Tensor {
  assertTensor('shuffle', 'x', x);
  checkOptions('shuffle', options, ['seed']);
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new ValueError('shuffle', `options.seed must be a finite number, got ${describeValue(seed)}`);
  if (x.rank < 1) throw new ShapeError('shuffle', 'x must have at least one dimension');
  const p = new Random(seed).permutation(x.shape[0]);
  return gather(x, Array.from(p), 0);
}
