import { ShapeError, ValueError, formatShape } from './errors.js';
import { Random } from './random.js';
import { checkFinite, checkShape, sizeOf } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

/** Data accepted by {@link tensor}: a number, nested arrays, or a flat array / typed array with a shape. */
export type TensorData = number | NestedArray | ArrayLike<number>;

function host(shape: number[], data: Float32Array): Tensor {
  return new Tensor(shape, data, null);
}

/**
 * A tensor from data. Nested arrays give their own shape (ragged arrays are rejected);
 * flat arrays and typed arrays need `shape` (default: 1-D). Values are rounded to float32.
 */
export function tensor(data: TensorData, shape?: readonly number[]): Tensor {
  if (typeof data === 'number') {
    const s = shape ? checkShape('tensor', shape) : [];
    if (sizeOf(s) !== 1) throw new ShapeError('tensor', `a single number needs a shape of size 1, got ${formatShape(s)}`);
    return host(s, Float32Array.of(data));
  }
  if (Array.isArray(data) && data.some((x) => Array.isArray(x))) {
    const inferred = inferShape(data);
    const flat = new Float32Array(sizeOf(inferred));
    let k = 0;
    const walk = (x: NestedArray, depth: number, path: string): void => {
      if (Array.isArray(x)) {
        if (depth >= inferred.length || x.length !== inferred[depth]) {
          throw new ShapeError('tensor', `ragged nested array at ${path || 'root'}: expected length ${inferred[depth]}, got ${x.length}`);
        }
        x.forEach((y, i) => walk(y, depth + 1, `${path}[${i}]`));
      } else {
        if (depth !== inferred.length) throw new ShapeError('tensor', `ragged nested array at ${path}: number where an array was expected`);
        if (typeof x !== 'number') throw new ValueError('tensor', `data${path} must be a number, got ${typeof x}`);
        flat[k++] = x;
      }
    };
    walk(data, 0, '');
    if (shape && sizeOf(checkShape('tensor', shape)) !== flat.length) {
      throw new ShapeError('tensor', `shape ${formatShape(shape)} does not match data of shape ${formatShape(inferred)}`);
    }
    return host(shape ? shape.slice() : inferred, flat);
  }
  const arr = data as ArrayLike<number>;
  if (arr === null || typeof arr !== 'object' || typeof arr.length !== 'number') {
    throw new ValueError('tensor', `data must be a number, nested arrays, or an array-like of numbers, got ${String(data)}`);
  }
  const s = shape ? checkShape('tensor', shape) : [arr.length];
  if (sizeOf(s) !== arr.length) {
    throw new ShapeError('tensor', `shape ${formatShape(s)} needs ${sizeOf(s)} values, got ${arr.length}`);
  }
  // Typed arrays convert natively; Float32Array.from() walks them generically (~5× slower).
  const flat = arr instanceof Float32Array ? arr.slice() : ArrayBuffer.isView(arr) ? new Float32Array(arr as unknown as ArrayLike<number>) : Float32Array.from(arr);
  return host(s, flat);
}

function inferShape(data: NestedArray): number[] {
  const s: number[] = [];
  let x: NestedArray = data;
  while (Array.isArray(x)) {
    s.push(x.length);
    x = x[0];
  }
  return s;
}

/** A tensor filled with `value`. */
export function full(shape: readonly number[], value: number): Tensor {
  const s = checkShape('full', shape);
  if (typeof value !== 'number') throw new ValueError('full', `value must be a number, got ${typeof value}`);
  return host(s, new Float32Array(sizeOf(s)).fill(value));
}

/** A tensor of zeros. */
export const zeros = (shape: readonly number[]): Tensor => full(shape, 0);
/** A tensor of ones. */
export const ones = (shape: readonly number[]): Tensor => full(shape, 1);

/** The n×m identity (m defaults to n). */
export function eye(n: number, m = n): Tensor {
  checkShape('eye', [n, m], 'size');
  const d = new Float32Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  return host([n, m], d);
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
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = start + i * step;
  return host([n], d);
}

/** `num` evenly spaced values from start to stop inclusive. */
export function linspace(start: number, stop: number, num: number): Tensor {
  checkFinite('linspace', 'start', start);
  checkFinite('linspace', 'stop', stop);
  if (!Number.isInteger(num) || num < 0) throw new ValueError('linspace', `num must be a non-negative integer, got ${num}`);
  const d = new Float32Array(num);
  for (let i = 0; i < num; i++) d[i] = num === 1 ? start : start + ((stop - start) * i) / (num - 1);
  return host([num], d);
}

/** Options of the random creators: `seed` is required for reproducibility (default 0). */
export interface RandomOptions {
  /** Seed of the xoshiro128** generator (see {@link Random}); the same seed gives the same tensor on every backend. */
  seed?: number;
}

function rng(op: string, options: RandomOptions | undefined): Random {
  const seed = options?.seed ?? 0;
  if (!Number.isFinite(seed)) throw new ValueError(op, `seed must be a finite number, got ${seed}`);
  return new Random(seed);
}

/** Uniform values in [low, high) (default [0, 1)). */
export function rand(shape: readonly number[], options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const s = checkShape('rand', shape);
  const low = checkFinite('rand', 'low', options.low ?? 0);
  const high = checkFinite('rand', 'high', options.high ?? 1);
  if (!(high > low)) throw new ValueError('rand', `high must be > low, got low=${low}, high=${high}`);
  const r = rng('rand', options);
  const d = new Float32Array(sizeOf(s));
  for (let i = 0; i < d.length; i++) d[i] = low + (high - low) * r.uniform();
  return host(s, d);
}

/** Normal values with the given mean (default 0) and standard deviation (default 1). */
export function randn(shape: readonly number[], options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const s = checkShape('randn', shape);
  const mean = checkFinite('randn', 'mean', options.mean ?? 0);
  const std = checkFinite('randn', 'std', options.std ?? 1);
  if (std < 0) throw new ValueError('randn', `std must be >= 0, got ${std}`);
  const r = rng('randn', options);
  const d = new Float32Array(sizeOf(s));
  for (let i = 0; i < d.length; i++) d[i] = mean + std * r.normal();
  return host(s, d);
}

/** Uniform integers in [low, high), stored as float32. */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor {
  const s = checkShape('randint', shape);
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError('randint', `need integers low < high, got low=${low}, high=${high}`);
  }
  const r = rng('randint', options);
  const d = new Float32Array(sizeOf(s));
  for (let i = 0; i < d.length; i++) d[i] = r.int(low, high);
  return host(s, d);
}

/** A random permutation of 0..n-1 as a plain `Int32Array` (for index shuffling). */
export function permutation(n: number, options: RandomOptions = {}): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new ValueError('permutation', `n must be a non-negative integer, got ${n}`);
  return rng('permutation', options).permutation(n);
}
