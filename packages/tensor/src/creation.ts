import { checkOptions, describeValue, formatShape, ShapeError, ValueError } from './errors.js';
import { hostTensor, kernelOp } from './internal.js';
import { Random } from './random.js';
import { checkFinite, checkShape, checkSize, divmod, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/** Typed arrays {@link tensor} reads natively (BigInt arrays are not: convert them to numbers first). */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

/** Nested rows of numbers or booleans; a typed array may stand for a row. */
export type NestedData = number | boolean | NumericArray | readonly NestedData[];

/**
 * Data accepted by {@link tensor}: a number or boolean, nested arrays of them, or a typed
 * array. Booleans become 1 and 0 (masks). Anything else is rejected, never coerced.
 */
export type TensorData = NestedData;

const host = hostTensor;

function isBigIntArray(x: unknown): boolean {
  return (
    (typeof BigInt64Array === 'function' && x instanceof BigInt64Array) ||
    (typeof BigUint64Array === 'function' && x instanceof BigUint64Array)
  );
}

function isNumericArray(x: unknown): x is NumericArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !isBigIntArray(x);
}

function badElement(path: string, x: unknown): ValueError {
  const hint = isBigIntArray(x) ? ' (BigInt arrays are not read: convert with Float64Array.from(x, Number))' : '';
  return new ValueError('tensor', `${path} must be a number or boolean, got ${describeValue(x)}${hint}`);
}

/**
 * A tensor from data. Nested arrays give their own shape (ragged nesting is a
 * {@link ShapeError}); a flat array or typed array takes `shape` (default: 1-D). Numbers
 * (NaN and ±Infinity included) are rounded to float32; booleans become 1 and 0. Every other
 * element — a string, `null`, a hole, an object — is a {@link ValueError} naming its path,
 * e.g. `tensor: data[1][2] must be a number or boolean, got string "abc"`.
 */
export function tensor(data: TensorData, shape?: readonly number[]): Tensor {
  const s = shape === undefined ? undefined : checkShape('tensor', shape);
  if (typeof data === 'number' || typeof data === 'boolean') {
    const dims = s ?? [];
    if (sizeOf(dims) !== 1)
      throw new ShapeError('tensor', `a single number needs a shape of size 1, got ${formatShape(dims)}`);
    return host(dims, Float32Array.of(Number(data)));
  }
  if (isNumericArray(data)) {
    const dims = s ?? [data.length];
    if (sizeOf(dims) !== data.length)
      throw new ShapeError('tensor', `shape ${formatShape(dims)} needs ${sizeOf(dims)} values, got ${data.length}`);
    checkSize('tensor', 'data of shape', dims);
    // Typed arrays convert natively; Float32Array.from() walks them generically (~5× slower).
    return host(dims, data instanceof Float32Array ? data.slice() : new Float32Array(data));
  }
  if (!Array.isArray(data)) {
    throw new ValueError(
      'tensor',
      `data must be a number, a boolean, (nested) arrays of them, or a typed array, got ${describeValue(data)}${isBigIntArray(data) ? ' (convert BigInt arrays with Float64Array.from(x, Number))' : ''}`,
    );
  }
  const inferred = inferShape(data);
  checkSize('tensor', 'data of shape', inferred);
  const flat = new Float32Array(sizeOf(inferred));
  let k = 0;
  // Paths are spelled out only for an error: building one per element cost 20× the copy.
  const at: number[] = [];
  const path = (...more: number[]): string => `data${[...at, ...more].map((i) => `[${i}]`).join('')}`;
  const like = (depth: number): string => `data${'[0]'.repeat(depth)}`;
  const walk = (x: unknown, depth: number): void => {
    const row = Array.isArray(x) || isNumericArray(x) ? (x as ArrayLike<unknown>) : null;
    if (row === null) {
      if (typeof x === 'number' || typeof x === 'boolean') {
        throw new ShapeError(
          'tensor',
          `ragged nested array: ${path()} is a number where an array of length ${inferred[depth]} was expected`,
        );
      }
      throw badElement(path(), x);
    }
    if (row.length !== inferred[depth]) {
      throw new ShapeError(
        'tensor',
        `ragged nested array: ${path()} has length ${row.length}, expected ${inferred[depth]} (like ${like(depth)})`,
      );
    }
    if (depth < inferred.length - 1) {
      for (let i = 0; i < row.length; i++) {
        at.push(i);
        walk(row[i], depth + 1);
        at.pop();
      }
    } else if (isNumericArray(row)) {
      flat.set(row, k);
      k += row.length;
    } else {
      for (let i = 0; i < row.length; i++) {
        const v = row[i];
        if (typeof v === 'number') flat[k++] = v;
        else if (typeof v === 'boolean') flat[k++] = v ? 1 : 0;
        else if (Array.isArray(v) || isNumericArray(v)) {
          throw new ShapeError(
            'tensor',
            `ragged nested array: ${path(i)} is an array where a number was expected (like ${like(depth + 1)})`,
          );
        } else throw badElement(path(i), v);
      }
    }
  };
  walk(data, 0);
  if (s === undefined) return host(inferred, flat);
  if (sizeOf(s) !== flat.length) {
    throw new ShapeError(
      'tensor',
      `shape ${formatShape(s)} needs ${sizeOf(s)} values, got data of shape ${formatShape(inferred)} (${flat.length} values)`,
    );
  }
  return host(s, flat);
}

// The shape is read along the first element of every level; the walk then checks the rest.
function inferShape(data: unknown): number[] {
  const s: number[] = [];
  let x: unknown = data;
  while (Array.isArray(x) || isNumericArray(x)) {
    const row = x as ArrayLike<unknown>;
    s.push(row.length);
    if (row.length === 0) break;
    x = row[0];
  }
  return s;
}

/** A tensor filled with `value`. */
export function full(shape: readonly number[], value: number): Tensor {
  if (typeof value !== 'number') throw new ValueError('full', `value must be a number, got ${describeValue(value)}`);
  return constant('full', shape, value);
}

/** A tensor of zeros. */
export const zeros = (shape: readonly number[]): Tensor => constant('zeros', shape, 0);
/** A tensor of ones. */
export const ones = (shape: readonly number[]): Tensor => constant('ones', shape, 1);

// Lazy: nothing is allocated until the tensor is first used, when one fill kernel writes it.
// A kernel of its own, not an inlined scalar: its consumers then compile the same kernels as
// for any realised input, so a model's first step compiles what every later step uses.
const FILL = 'function(s0) {\n  return s0;\n}';
function constant(op: string, shape: readonly number[], value: number): Tensor {
  return kernelOp(checkShape(op, shape), FILL, [], [value]);
}

/** The n×m identity (m defaults to n); like the constants, filled by a kernel when first used. */
export function eye(n: number, m = n): Tensor {
  const s = checkShape('eye', [n, m], 'size');
  const lines = ['const o = this.thread.x;', ...divmod('r', 'c', 'o', m, n * m), 'return r == c ? 1.0 : 0.0;'];
  return kernelOp(s, `function() {\n  ${lines.join('\n  ')}\n}`, []);
}

/** start, start + step, … below stop (like NumPy's arange; one argument means [0, stop)). */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  checkFinite('arange', 'start', start);
  checkFinite('arange', 'stop', stop);
  checkFinite('arange', 'step', step);
  if (step === 0) throw new ValueError('arange', 'step must be non-zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  checkSize('arange', 'the result', [n]);
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = start + i * step;
  return host([n], d);
}

/** `num` evenly spaced values from start to stop inclusive. */
export function linspace(start: number, stop: number, num: number): Tensor {
  checkFinite('linspace', 'start', start);
  checkFinite('linspace', 'stop', stop);
  if (!Number.isInteger(num) || num < 0)
    throw new ValueError('linspace', `num must be a non-negative integer, got ${num}`);
  checkSize('linspace', 'the result', [num]);
  const d = new Float32Array(num);
  for (let i = 0; i < num; i++) d[i] = num === 1 ? start : start + ((stop - start) * i) / (num - 1);
  return host([num], d);
}

/** Options of the random creators: `seed` is required for reproducibility (default 0). */
export interface RandomOptions {
  /** Seed of the xoshiro128** generator (see {@link Random}); the same seed gives the same tensor on every backend. */
  seed?: number;
}

// Checks the options object (unknown keys included) and the seed before anything is drawn.
function rng(op: string, options: unknown, keys: readonly string[]): Random {
  checkOptions(op, options, keys);
  const seed = (options as RandomOptions | undefined)?.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new ValueError(op, `seed must be a finite number, got ${describeValue(seed)}`);
  return new Random(seed);
}

/** Uniform values in [low, high) (default [0, 1)). */
export function rand(shape: readonly number[], options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const s = checkShape('rand', shape);
  const r = rng('rand', options, ['seed', 'low', 'high']);
  const low = checkFinite('rand', 'low', options.low ?? 0);
  const high = checkFinite('rand', 'high', options.high ?? 1);
  if (!(high > low)) throw new ValueError('rand', `high must be > low, got low=${low}, high=${high}`);
  const d = new Float32Array(sizeOf(s));
  for (let i = 0; i < d.length; i++) d[i] = low + (high - low) * r.uniform();
  return host(s, d);
}

/** Normal values with the given mean (default 0) and standard deviation (default 1). */
export function randn(shape: readonly number[], options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const s = checkShape('randn', shape);
  const r = rng('randn', options, ['seed', 'mean', 'std']);
  const mean = checkFinite('randn', 'mean', options.mean ?? 0);
  const std = checkFinite('randn', 'std', options.std ?? 1);
  if (std < 0) throw new ValueError('randn', `std must be >= 0, got ${std}`);
  const d = new Float32Array(sizeOf(s));
  for (let i = 0; i < d.length; i++) d[i] = mean + std * r.normal();
  return host(s, d);
}

// float32 holds every integer of magnitude ≤ 2^24 and only even ones just above: a draw from
// [0, 2^25) would come back rounded to even numbers, so such ranges are refused.
const MAX_EXACT_INT = 2 ** 24;

/**
 * Uniform integers in [low, high), stored as float32. Draws are unbiased (rejection sampling on
 * 32 random bits, see {@link Random.int}); the range must lie within ±2^24, where float32
 * represents every integer exactly.
 */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor {
  const s = checkShape('randint', shape);
  if (!Number.isInteger(low)) throw new ValueError('randint', `low must be an integer, got ${describeValue(low)}`);
  if (!Number.isInteger(high)) throw new ValueError('randint', `high must be an integer, got ${describeValue(high)}`);
  if (high <= low) throw new ValueError('randint', `high must be > low, got low=${low}, high=${high}`);
  if (low < -MAX_EXACT_INT || high - 1 > MAX_EXACT_INT) {
    throw new ValueError(
      'randint',
      `[low, high) must lie within [-2^24, 2^24] (float32 stores integers exactly only up to 2^24 = 16777216), got low=${low}, high=${high}`,
    );
  }
  const r = rng('randint', options, ['seed']);
  const d = new Float32Array(sizeOf(s));
  for (let i = 0; i < d.length; i++) d[i] = r.int(low, high);
  return host(s, d);
}

/** A random permutation of 0..n-1 as a plain `Int32Array` (for index shuffling). */
export function permutation(n: number, options: RandomOptions = {}): Int32Array {
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError('permutation', `n must be a non-negative integer, got ${describeValue(n)}`);
  return rng('permutation', options, ['seed']).permutation(n);
}
