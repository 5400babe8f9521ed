import { describeValue, formatShape, isTensor, ShapeError, ValueError } from '@sparsekit/core';

/**
 * A host matrix: row-major `data` with a 2-D `shape` `[rows, cols]`, or an array of
 * equal-length rows. A tensor reads into the first form with
 * `{ data: await t.data(), shape: t.shape }`.
 */
export type MatrixLike = { data: ArrayLike<number>; shape: readonly number[] } | ArrayLike<ArrayLike<number>>;

/** A matrix after validation: row-major finite values. @internal */
export interface HostMatrix {
  data: ArrayLike<number>;
  rows: number;
  cols: number;
}

/**
 * Checks that `x` is an array-like of finite numbers and returns it. NaN, ±Infinity and
 * non-numbers throw a {@link ValueError} naming the first bad index.
 */
export function finiteVector(op: string, arg: string, x: unknown): ArrayLike<number> {
  if (typeof x !== 'object' || x === null || typeof (x as ArrayLike<number>).length !== 'number' || isTensor(x)) {
    throw new ValueError(
      op,
      `${arg} must be an array-like of numbers (number[], Float32Array, …), got ${describeValue(x)}`,
    );
  }
  const v = x as ArrayLike<number>;
  const typed = ArrayBuffer.isView(v);
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    // `e - e` is NaN for NaN and ±Infinity, 0 for every finite number.
    if ((!typed && typeof e !== 'number') || e - e !== 0) {
      throw new ValueError(op, `${arg}[${i}] must be a finite number, got ${describeValue(e)}`);
    }
  }
  return v;
}

/** {@link finiteVector} that also rejects the empty vector. */
export function nonEmptyVector(op: string, arg: string, x: unknown): ArrayLike<number> {
  return nonEmpty(op, arg, finiteVector(op, arg, x));
}

/**
 * Like {@link nonEmptyVector}, but leaves the NaN/±Infinity check of a Float32Array or
 * Float64Array to the measure's own pass over the data (one pass over 1e7 values
 * instead of two); the measure must then call {@link finiteVector} when its sums come out
 * non-finite, which throws naming the index.
 */
export function measureInput(op: string, arg: string, x: unknown, allowEmpty = false): ArrayLike<number> {
  const v = x instanceof Float32Array || x instanceof Float64Array ? x : finiteVector(op, arg, x);
  return allowEmpty ? v : nonEmpty(op, arg, v);
}

function nonEmpty(op: string, arg: string, v: ArrayLike<number>): ArrayLike<number> {
  if (v.length === 0) throw new ShapeError(op, `${arg} must have at least one element, got length 0`);
  return v;
}

/** Checks two vectors of equal, non-zero length (targets and predictions). */
export function pairedVectors(
  op: string,
  a: [string, unknown],
  b: [string, unknown],
): [ArrayLike<number>, ArrayLike<number>] {
  const x = nonEmptyVector(op, a[0], a[1]);
  const y = nonEmptyVector(op, b[0], b[1]);
  if (x.length !== y.length) {
    throw new ShapeError(op, `${a[0]} and ${b[0]} must have the same length, got ${x.length} and ${y.length}`);
  }
  return [x, y];
}

/** Checks an optional tolerance: a finite number ≥ 0 (default 0). */
export function tolerance(op: string, tol: unknown): number {
  if (tol === undefined) return 0;
  if (typeof tol !== 'number' || !(tol >= 0) || !Number.isFinite(tol)) {
    throw new ValueError(op, `options.tol must be a finite number >= 0, got ${describeValue(tol)}`);
  }
  return tol;
}

/**
 * Runs `fn` on a host vector now, or on a tensor's values once `await t.data()` has read
 * them (works on every backend, WebGPU included); a tensor therefore gets a Promise.
 */
export function onHostOrTensor<R>(x: unknown, fn: (v: unknown) => R): R | Promise<R> {
  if (isTensor(x))
    return Promise.resolve()
      .then(() => x.data())
      .then(fn);
  return fn(x);
}

/** Validates a {@link MatrixLike} of finite numbers. */
export function hostMatrix(op: string, arg: string, m: unknown): HostMatrix {
  if (isTensor(m)) {
    throw new ValueError(
      op,
      `${arg} must be a host matrix; read a tensor first with { data: await t.data(), shape: t.shape }`,
    );
  }
  if (typeof m === 'object' && m !== null && 'shape' in m && 'data' in m) {
    const { data, shape } = m as { data: unknown; shape: unknown };
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new ShapeError(
        op,
        `${arg}.shape must be [rows, cols] of non-negative integers, got ${describeValue(shape)}`,
      );
    }
    const v = finiteVector(op, `${arg}.data`, data);
    if (v.length !== shape[0] * shape[1]) {
      throw new ShapeError(
        op,
        `${arg}.data has ${v.length} values but ${arg}.shape ${formatShape(shape)} needs ${shape[0] * shape[1]}`,
      );
    }
    return { data: v, rows: shape[0], cols: shape[1] };
  }
  if (typeof m !== 'object' || m === null || typeof (m as ArrayLike<unknown>).length !== 'number') {
    throw new ValueError(
      op,
      `${arg} must be { data, shape: [rows, cols] } or an array of rows, got ${describeValue(m)}`,
    );
  }
  const rowsIn = m as ArrayLike<unknown>;
  const rows = rowsIn.length;
  const first = rows > 0 ? rowsIn[0] : [];
  const cols = typeof first === 'object' && first !== null ? ((first as ArrayLike<number>).length ?? -1) : -1;
  if (cols < 0)
    throw new ValueError(
      op,
      `${arg} must be { data, shape: [rows, cols] } or an array of rows, got rows of ${describeValue(first)}`,
    );
  const data = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = finiteVector(op, `${arg}[${r}]`, rowsIn[r]);
    if (row.length !== cols)
      throw new ShapeError(op, `${arg} rows must all have length ${cols}, got ${row.length} at row ${r}`);
    for (let c = 0; c < cols; c++) data[r * cols + c] = row[c];
  }
  return { data, rows, cols };
}
