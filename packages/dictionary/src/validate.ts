import {
  checkInteger,
  checkOptions,
  checkRange,
  describeValue,
  formatShape,
  ShapeError,
  Tensor,
  ValueError,
} from '@sparsekit/tensor';
import { runSync, type Steps } from './steps.js';

// The shared argument checks, from the one implementation in @sparsekit/core.
export { checkInteger, checkOptions, checkRange };

/**
 * A matrix argument: a 2-D {@link Tensor}, an array of equal-length rows, or row-major `data`
 * with its `shape` `[rows, cols]`. A Tensor is read with `dataSync()` by the synchronous
 * functions and with `await data()` by their `…Async` forms (the only read WebGPU has).
 */
export type MatrixInput = Tensor | ArrayLike<ArrayLike<number>> | { data: ArrayLike<number>; shape: readonly number[] };

/** A vector argument: a 1-D {@link Tensor} or an array-like of numbers. */
export type VectorInput = Tensor | ArrayLike<number>;

/** A validated matrix: a private row-major float64 copy, so callers' data is never touched. @internal */
export interface HostMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

// v·0 is 0 for every finite v and NaN for NaN and ±Infinity, so one branch-free sum says
// whether anything is bad (only then is the first bad index looked for). One function per
// array type keeps each loop monomorphic: a shared one runs ~4× slower.
function allFinite64(a: Float64Array): boolean {
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  let i = 0;
  for (; i + 4 <= a.length; i += 4) {
    p0 += a[i]! * 0;
    p1 += a[i + 1]! * 0;
    p2 += a[i + 2]! * 0;
    p3 += a[i + 3]! * 0;
  }
  for (; i < a.length; i++) p0 += a[i]! * 0;
  return p0 + p1 + p2 + p3 === 0;
}

function allFinite32(a: Float32Array): boolean {
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  let i = 0;
  for (; i + 4 <= a.length; i += 4) {
    p0 += a[i]! * 0;
    p1 += a[i + 1]! * 0;
    p2 += a[i + 2]! * 0;
    p3 += a[i + 3]! * 0;
  }
  for (; i < a.length; i++) p0 += a[i]! * 0;
  return p0 + p1 + p2 + p3 === 0;
}

/** A matrix as given, without a copy: typed data is only read. @internal */
export interface HostMatrixView {
  data: Float64Array | Float32Array;
  rows: number;
  cols: number;
}

/**
 * Checks that every value is finite and returns the data as float64 (`'copy'`: always a
 * private copy; `'float64'`: a Float64Array input as is) or, for `'view'`, a Float32Array
 * or Float64Array input as is. Other array-likes are converted.
 */
function finiteData(
  fn: string,
  arg: string,
  src: ArrayLike<number>,
  cols: number,
  mode: 'copy' | 'float64' | 'view',
  deferTyped = false,
): Float64Array | Float32Array {
  let out: Float64Array | Float32Array;
  if (src instanceof Float64Array || src instanceof Float32Array) {
    const asIs = mode === 'view' || (mode === 'float64' && src instanceof Float64Array);
    // Typed input converts in one native pass.
    out = asIs ? src : new Float64Array(src);
  } else {
    const f = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      f[i] = typeof v === 'number' ? v : Number.NaN;
    }
    out = f;
  }
  if (deferTyped && out === src) return out;
  if (!(out instanceof Float64Array ? allFinite64(out) : allFinite32(out))) {
    for (let i = 0; i < out.length; i++) {
      const v = out[i]!;
      if (v - v !== 0) {
        const where = cols > 0 ? `[${Math.floor(i / cols)}][${i % cols}]` : `[${i}]`;
        throw new ValueError(fn, `${arg}${where} must be a finite number, got ${describeValue(src[i])}`);
      }
    }
  }
  return out;
}

/**
 * Validates a {@link MatrixInput}: 2-D, at least one row and column, every value finite.
 * The result is a private float64 copy unless `copy` is false and the input already holds a
 * Float64Array, which is then returned as is, for callers that only read it.
 * @internal
 */
export function toMatrix(fn: string, arg: string, x: unknown, copy = true): HostMatrix {
  return runSync(toMatrixSteps(fn, arg, x, copy));
}

/** {@link toMatrix} as steps (see steps.ts): a Tensor input is yielded to the driver to be read. @internal */
export function toMatrixSteps(fn: string, arg: string, x: unknown, copy = true): Steps<HostMatrix> {
  return readMatrix(fn, arg, x, copy ? 'copy' : 'float64') as Steps<HostMatrix>;
}

/** {@link toMatrix} that also passes Float32Array data through uncopied, for callers that only read it. @internal */
export function toMatrixView(fn: string, arg: string, x: unknown): HostMatrixView {
  return runSync(readMatrix(fn, arg, x, 'view'));
}

/**
 * {@link toMatrix} without copying a Float64Array and without its finiteness pass over typed
 * data, for a caller whose own first pass over the data sums every value anyway: it must call
 * {@link assertFinite} when those sums come out non-finite. Shapes are checked here as
 * always, and non-typed data is checked in full.
 * @internal
 */
export function toMatrixDeferred(fn: string, arg: string, x: unknown): HostMatrix {
  return runSync(readMatrix(fn, arg, x, 'float64', true)) as HostMatrix;
}

/** Throws the {@link ValueError} of {@link toMatrix} for the first non-finite entry of `m`, if any. @internal */
export function assertFinite(fn: string, arg: string, m: HostMatrixView): void {
  finiteData(fn, arg, m.data, m.cols, 'view');
}

/** Validates a matrix argument; a Tensor's values are yielded for the driver to read (steps.ts). */
function* readMatrix(
  fn: string,
  arg: string,
  x: unknown,
  mode: 'copy' | 'float64' | 'view',
  deferTyped = false,
): Steps<HostMatrixView> {
  let flat: ArrayLike<number>;
  let rows: number;
  let cols: number;
  if (x instanceof Tensor) {
    if (x.rank !== 2) throw new ShapeError(fn, `${arg} must be a 2-D tensor, got shape ${formatShape(x.shape)}`);
    [rows, cols] = x.shape as [number, number];
    flat = yield x;
  } else if (x !== null && typeof x === 'object' && 'shape' in x && 'data' in x) {
    const { data, shape } = x as { data: unknown; shape: unknown };
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ShapeError(fn, `${arg}.shape must be [rows, cols], got ${describeValue(shape)}`);
    }
    [rows, cols] = shape as [number, number];
    if (data === null || typeof data !== 'object' || typeof (data as ArrayLike<number>).length !== 'number') {
      throw new ValueError(fn, `${arg}.data must be an array-like of numbers, got ${describeValue(data)}`);
    }
    flat = data as ArrayLike<number>;
    if (flat.length !== rows * cols) {
      throw new ShapeError(
        fn,
        `${arg}.data must hold ${rows}×${cols} = ${rows * cols} values for shape ${formatShape(shape)}, got ${flat.length}`,
      );
    }
  } else if (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as ArrayLike<unknown>).length === 'number' &&
    !ArrayBuffer.isView(x)
  ) {
    const arr = x as ArrayLike<unknown>;
    rows = arr.length;
    const first = arr[0];
    if (
      rows === 0 ||
      first === null ||
      typeof first !== 'object' ||
      typeof (first as ArrayLike<number>).length !== 'number'
    ) {
      throw new ValueError(
        fn,
        `${arg} must be a 2-D matrix (rows of numbers, a Tensor, or { data, shape }), got ${describeValue(x)}`,
      );
    }
    cols = (first as ArrayLike<number>).length;
    const out = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = arr[r] as ArrayLike<number> | null;
      if (row === null || typeof row !== 'object' || row.length !== cols) {
        throw new ShapeError(fn, `${arg} must have rows of equal length ${cols}, got row ${r} ${describeValue(row)}`);
      }
      for (let c = 0; c < cols; c++) {
        const v = row[c];
        if (typeof v !== 'number')
          throw new ValueError(fn, `${arg}[${r}][${c}] must be a finite number, got ${describeValue(v)}`);
        out[r * cols + c] = v;
      }
    }
    flat = out;
    if (mode === 'copy') mode = 'float64';
  } else {
    throw new ValueError(
      fn,
      `${arg} must be a 2-D matrix (rows of numbers, a Tensor, or { data, shape }), got ${describeValue(x)}`,
    );
  }
  if (rows === 0 || cols === 0)
    throw new ShapeError(fn, `${arg} must have at least one row and one column, got ${rows}×${cols}`);
  return { data: finiteData(fn, arg, flat, cols, mode, deferTyped), rows, cols };
}

/** Validates a {@link VectorInput} of finite numbers and returns a float64 copy. @internal */
export function toVector(fn: string, arg: string, x: unknown): Float64Array {
  if (x instanceof Tensor) {
    if (x.rank !== 1) throw new ShapeError(fn, `${arg} must be a 1-D tensor, got shape ${formatShape(x.shape)}`);
    return finiteData(fn, arg, x.dataSync(), 0, 'copy') as Float64Array;
  }
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<number>).length !== 'number') {
    throw new ValueError(
      fn,
      `${arg} must be a vector (an array-like of numbers or a 1-D Tensor), got ${describeValue(x)}`,
    );
  }
  return finiteData(fn, arg, x as ArrayLike<number>, 0, 'copy') as Float64Array;
}

/** A finite number > 0 (or ≥ 0 with `allowZero`). @internal */
export function checkPositive(fn: string, name: string, v: unknown, allowZero = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (allowZero ? v < 0 : v <= 0)) {
    throw new ValueError(fn, `${name} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${describeValue(v)}`);
  }
  return v;
}

/** A boolean. @internal */
export function checkBoolean(fn: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ValueError(fn, `${name} must be true or false, got ${describeValue(v)}`);
  return v;
}

/** The signals X and the dictionary D (atoms as rows) must have the same width. @internal */
export function checkSameWidth(fn: string, X: HostMatrixView, D: HostMatrixView): void {
  if (X.cols !== D.cols) {
    throw new ShapeError(
      fn,
      `D must have as many columns as X (atoms are rows of D, signals rows of X): X is ${X.rows}×${X.cols}, D is ${D.rows}×${D.cols}`,
    );
  }
}

/**
 * Validates the signals X and the dictionary D of a sparse-coding call, as float64 copies or,
 * with `view`, as given when typed (for callers that only read them).
 * @internal
 */
export function readCoding(fn: string, X: unknown, D: unknown): { X: HostMatrix; D: HostMatrix };
export function readCoding(fn: string, X: unknown, D: unknown, view: true): { X: HostMatrixView; D: HostMatrixView };
export function readCoding(fn: string, X: unknown, D: unknown, view = false): { X: HostMatrixView; D: HostMatrixView } {
  return runSync(readCodingSteps(fn, X, D, view ? 'view' : 'copy'));
}

/** {@link readCoding} as steps (see steps.ts): Tensor inputs are yielded to the driver to be read. @internal */
export function* readCodingSteps(
  fn: string,
  X: unknown,
  D: unknown,
  mode: 'copy' | 'view',
): Steps<{ X: HostMatrixView; D: HostMatrixView }> {
  const x = yield* readMatrix(fn, 'X', X, mode);
  const d = yield* readMatrix(fn, 'D', D, mode);
  checkSameWidth(fn, x, d);
  return { X: x, D: d };
}
