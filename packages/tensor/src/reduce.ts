import { ShapeError, ValueError } from './errors.js';
import { expOf } from './fastmath.js';
import { assertTensor, axisArg, elementwise, kernelOp, opCodeContext, view } from './internal.js';
import { defineKernel, runKernel } from './kernels/registry.js';
import { divmod, normalizeAxis, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/** Options of the reductions; unknown keys are rejected. */
export interface ReduceOptions {
  /** Reduce over this axis only (negative counts from the end); omitted: over all elements. */
  axis?: number;
  /** Keep the reduced axis with length 1, so the result broadcasts against the input. */
  keepDims?: boolean;
}

// A reduction is described by what it does to one value (its result is finished by the
// caller's `finish`); each becomes one kernel whose output cell walks its slice with a
// literal loop bound.
/** @internal */
export interface Reducer {
  init: string; // expression of the first element `v`
  step: string; // statement updating `acc` with `v`
  map?: (v: string) => string; // applied to each element first
}

const SUM: Reducer = { init: 'v', step: 'acc += v;' };
// Selects, not branches: webasm runs a select on all four lanes at once (measured 60 µs vs
// 75 µs for a 64×1024 row max). The `v != v` term keeps NaN, and stops GLSL compilers from
// turning the select into a NaN-dropping max().
const MAX: Reducer = { init: 'v', step: 'acc = (v > acc || v != v) ? v : acc;' };
const MIN: Reducer = { init: 'v', step: 'acc = (v < acc || v != v) ? v : acc;' };

// Above this many elements a full reduction runs in two passes (partials, then a
// reduction of the partials) so every backend gets parallel work.
const TWO_PASS = 1 << 14;

interface Plan {
  len: number;
  inner: number;
  outShape: number[];
}

function plan(op: string, x: Tensor, options: ReduceOptions): Plan {
  if (options.axis === undefined) {
    return { len: x.size, inner: 1, outShape: options.keepDims ? x.shape.map(() => 1) : [] };
  }
  if (x.rank === 0) throw new ValueError(op, 'axis given for a scalar tensor');
  const ax = normalizeAxis(op, options.axis, x.rank);
  const inner = x.shape.slice(ax + 1).reduce((p, d) => p * d, 1);
  const outShape = options.keepDims ? x.shape.map((d, i) => (i === ax ? 1 : d)) : x.shape.filter((_, i) => i !== ax);
  return { len: x.shape[ax], inner, outShape };
}

function source(r: Reducer, len: number, inner: number, finish: string, cells: number): string {
  const map = r.map ?? ((v: string) => v);
  const lines = [
    'const o = this.thread.x;',
    ...sliceBase(len, inner, cells),
    `let v = ${map(`a0[base]`)};`,
    `let acc = ${r.init};`,
    `for (let p = 1; p < ${len}; p++) {`,
    `  v = ${map(`a0[base + p * ${inner}]`)};`,
    `  ${r.step}`,
    '}',
    `return ${finish};`,
  ];
  return `function(a0) {\n  ${lines.join('\n  ')}\n}`;
}

// Output cell o reduces the slice starting at `base`, stepping by `inner` (exact past 2²³ cells).
function sliceBase(len: number, inner: number, cells: number): string[] {
  return [...divmod('outer', 'innerAt', 'o', inner, cells), `const base = outer * ${len * inner} + innerAt;`];
}

/**
 * The axis of a reduction: a number (`sum(x, 1)`, `sum(x, -1)`) or options
 * (`sum(x, { axis: 1, keepDims: true })`); omitted, the reduction runs over every element.
 */
export type AxisArg = number | ReduceOptions;

const REDUCE_KEYS = ['axis', 'keepDims'] as const;

function reduce(
  op: string,
  x: Tensor,
  arg: AxisArg | undefined,
  r: Reducer,
  combine: Reducer,
  finish: (acc: string, len: number) => string,
): Tensor {
  assertTensor(op, 'x', x);
  const options = axisArg(op, x, arg, REDUCE_KEYS);
  const p = plan(op, x, options);
  if (p.len === 0) {
    // An empty sum is 0 (and so are its norms); the mean of nothing is NaN, as in NumPy and
    // PyTorch. A maximum or minimum of nothing has no value.
    if (r.step === SUM.step) return elementwise(p.outShape, [op === 'mean' ? NaN : 0], ([v]) => v);
    throw new ShapeError(
      op,
      `cannot reduce an empty axis: x has shape [${x.shape.join(', ')}], expected at least one element to reduce`,
    );
  }
  return runKernel(REDUCE, {
    x,
    r,
    combine,
    finish: finish('acc', p.len),
    len: p.len,
    inner: p.inner,
    all: options.axis === undefined,
    outShape: p.outShape,
  });
}

/**
 * The parameters of the `'reduce'` kernel: reduce `x`'s slices of `len` elements, `inner`
 * apart, with `r` (`combine` merges partial results), and return `finish` of the accumulator
 * `acc`. `all`: every element at once. @internal
 */
export interface ReduceParams {
  x: Tensor;
  r: Reducer;
  combine: Reducer;
  finish: string;
  len: number;
  inner: number;
  all: boolean;
  outShape: number[];
}

const REDUCE = defineKernel<ReduceParams>('reduce', ({ x, r, combine, finish, len, inner, all, outShape }) => {
  if (all && len > TWO_PASS) {
    const chunk = Math.ceil(Math.sqrt(len));
    const parts = Math.ceil(len / chunk);
    const map = r.map ?? ((v: string) => v);
    const lines = [
      'const o = this.thread.x;',
      `const base = o * ${chunk};`,
      `let acc = ${r.init.replace(/\bv\b/g, map('a0[base]'))};`,
      'let v = acc;',
      `for (let p = 1; p < ${chunk}; p++) {`,
      `  if (base + p < ${len}) {`,
      `    v = ${map('a0[base + p]')};`,
      `    ${r.step}`,
      '  }',
      '}',
      'return acc;',
    ];
    const partial = kernelOp([parts], `function(a0) {\n  ${lines.join('\n  ')}\n}`, [x]);
    const total = kernelOp([1], source(combine, parts, 1, finish, 1), [partial]);
    partial.dispose();
    if (outShape.length === 1 && outShape[0] === 1) return total;
    const out = view(outShape, total);
    total.dispose();
    return out;
  }
  return kernelOp(outShape, source(r, len, inner, finish, sizeOf(outShape)), [x]);
});

const id = (acc: string): string => acc;

/** Sum over all elements or one axis. */
export const sum = (x: Tensor, axis?: AxisArg): Tensor => reduce('sum', x, axis, SUM, SUM, id);
/** Arithmetic mean over all elements or one axis. */
export const mean = (x: Tensor, axis?: AxisArg): Tensor =>
  reduce('mean', x, axis, SUM, SUM, (acc, len) => `(${acc} / ${len}.0)`);
/** Maximum over all elements or one axis (NaN if any is NaN). */
export const max = (x: Tensor, axis?: AxisArg): Tensor => reduce('max', x, axis, MAX, MAX, id);
/** Minimum over all elements or one axis (NaN if any is NaN). */
export const min = (x: Tensor, axis?: AxisArg): Tensor => reduce('min', x, axis, MIN, MIN, id);
/** ‖x‖₁ = Σ|xᵢ| over all elements or one axis. */
export const normL1 = (x: Tensor, axis?: AxisArg): Tensor =>
  reduce('normL1', x, axis, { ...SUM, map: (v) => `Math.abs(${v})` }, SUM, id);
/** ‖x‖₂ = √Σxᵢ² over all elements or one axis. */
export const normL2 = (x: Tensor, axis?: AxisArg): Tensor =>
  reduce('normL2', x, axis, { ...SUM, map: (v) => `(${v} * ${v})` }, SUM, (acc) => `Math.sqrt(${acc})`);
/** ‖x‖∞ = max|xᵢ| over all elements or one axis. */
export const normLInf = (x: Tensor, axis?: AxisArg): Tensor =>
  reduce('normLInf', x, axis, { ...MAX, map: (v) => `Math.abs(${v})` }, MAX, id);

function argReduce(op: string, x: Tensor, arg: AxisArg | undefined, better: '>' | '<'): Tensor {
  assertTensor(op, 'x', x);
  const p = plan(op, x, axisArg(op, x, arg, REDUCE_KEYS, -1));
  if (p.len === 0)
    throw new ShapeError(
      op,
      `cannot reduce an empty axis: x has shape [${x.shape.join(', ')}], expected at least one element to reduce`,
    );
  return runKernel(ARG_REDUCE, { x, better, len: p.len, inner: p.inner, outShape: p.outShape });
}

/** The parameters of the `'argReduce'` kernel: the index of the `better` element of each slice. @internal */
export interface ArgReduceParams {
  x: Tensor;
  better: '>' | '<';
  len: number;
  inner: number;
  outShape: number[];
}

const ARG_REDUCE = defineKernel<ArgReduceParams>('argReduce', ({ x, better, len, inner, outShape }) => {
  // NaN counts as the extreme (PyTorch's convention); ties go to the first index.
  const lines = [
    'const o = this.thread.x;',
    ...sliceBase(len, inner, sizeOf(outShape)),
    'let best = a0[base];',
    'let at = 0;',
    `for (let p = 1; p < ${len}; p++) {`,
    `  const v = a0[base + p * ${inner}];`,
    `  if (best == best && (v ${better} best || v != v)) { best = v; at = p; }`,
    '}',
    'return at;',
  ];
  return kernelOp(outShape, `function(a0) {\n  ${lines.join('\n  ')}\n}`, [x]);
});

/** Index of the maximum along `axis` (default last; first on ties; NaN wins), as float32 values. */
export const argmax = (x: Tensor, axis?: AxisArg): Tensor => argReduce('argmax', x, axis, '>');
/** Index of the minimum along `axis` (default last; first on ties; NaN wins), as float32 values. */
export const argmin = (x: Tensor, axis?: AxisArg): Tensor => argReduce('argmin', x, axis, '<');

/**
 * log Σ exp(x) along `axis` (default last), stable: m + log Σ exp(x − m) with m the
 * maximum, in one kernel with two passes over each slice. ±Inf maxima pass through.
 */
export function logSumExp(x: Tensor, axis?: AxisArg): Tensor {
  assertTensor('logSumExp', 'x', x);
  const p = plan('logSumExp', x, axisArg('logSumExp', x, axis, REDUCE_KEYS, -1));
  // log Σ over nothing is log 0 = −Inf (PyTorch's logsumexp), so softmax of an empty axis is empty.
  if (p.len === 0) return elementwise(p.outShape, [-Infinity], ([v]) => v);
  return runKernel(LOG_SUM_EXP, { x, len: p.len, inner: p.inner, outShape: p.outShape });
}

/** The parameters of the `'logSumExp'` and `'softmax'` kernels: `x`'s slices of `len` elements, `inner` apart. @internal */
export interface SliceParams {
  x: Tensor;
  len: number;
  inner: number;
  outShape: number[];
}

const LOG_SUM_EXP = defineKernel<SliceParams>('logSumExp', ({ x, len, inner, outShape }) => {
  const constants: Record<string, Float32Array> = {};
  const lines = [
    'const o = this.thread.x;',
    ...sliceBase(len, inner, sizeOf(outShape)),
    'let m = a0[base];',
    `for (let p = 1; p < ${len}; p++) {`,
    `  const v = a0[base + p * ${inner}];`,
    '  if (v > m || v != v) { m = v; }',
    '}',
    'if (m != m || m > 3.0e38 || m < -3.0e38) { return m; }',
    'let s = 0.0;',
    `for (let p = 0; p < ${len}; p++) {`,
    ...expLoopBody(`a0[base + p * ${inner}] - m`, constants),
    '}',
    'return m + Math.log(s);',
  ];
  return kernelOp(outShape, { source: `function(a0) {\n  ${lines.join('\n  ')}\n}`, constants }, [x]);
});

/** softmax along `axis` (default last): exp(x − logSumExp(x)), stable for large inputs. */
export function softmax(x: Tensor, axis?: number | { axis?: number }): Tensor {
  return softmaxOf('softmax', x, axis, false);
}

/** log softmax along `axis` (default last): x − logSumExp(x). */
export function logSoftmax(x: Tensor, axis?: number | { axis?: number }): Tensor {
  return softmaxOf('logSoftmax', x, axis, true);
}

function softmaxOf(op: string, x: Tensor, axis: number | { axis?: number } | undefined, log: boolean): Tensor {
  assertTensor(op, 'x', x);
  const a = axisArg(op, x, axis, ['axis'], -1).axis as number;
  return runKernel(SOFTMAX, { x, axis: a, log });
}

/** The parameters of the `'softmax'` kernel: along `axis` of `x`; `log`: log-softmax. @internal */
export interface SoftmaxParams {
  x: Tensor;
  axis: number;
  log: boolean;
}

// logSumExp's kernel, then one elementwise op that fuses with what follows.
const SOFTMAX = defineKernel<SoftmaxParams>('softmax', ({ x, axis, log }) => {
  const lse = logSumExp(x, { axis, keepDims: true });
  const out = log
    ? elementwise(x.shape, [x, lse], ([v, l]) => `(${v} - ${l})`)
    : elementwise(x.shape, [x, lse], ([v, l], ctx) => expOf(ctx, `${v} - ${l}`));
  lse.dispose();
  return out;
});

function expLoopBody(arg: string, constants: Record<string, Float32Array>): string[] {
  const lines: string[] = [];
  const e = expOf(opCodeContext(lines, 'e', constants), arg);
  lines.push(`s += ${e};`);
  return lines.map((l) => `  ${l}`);
}
