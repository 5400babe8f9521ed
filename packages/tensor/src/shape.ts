import { current } from './backend.js';
import { describeValue, formatShape, ShapeError, ValueError } from './errors.js';

/** Number of elements of a shape (1 for a scalar shape `[]`). @internal */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Validates a user-given shape: non-negative integers. @internal */
export function checkShape(op: string, shape: readonly number[], arg = 'shape'): number[] {
  if (!Array.isArray(shape))
    throw new ShapeError(op, `${arg} must be an array of non-negative integers, got ${String(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(op, `${arg} must be an array of non-negative integers, got ${formatShape(shape)}`);
    }
  }
  checkSize(op, arg, shape);
  return shape.slice();
}

/**
 * Refuses a tensor of `shape` larger than the backend's per-tensor limit
 * (`getBackend().maxElements`, 2²⁴), before anything is allocated or recorded. @internal
 */
export function checkSize(op: string, arg: string, shape: readonly number[]): void {
  const n = sizeOf(shape);
  const info = current().info;
  if (n > info.maxElements) {
    throw new ShapeError(
      op,
      `${arg} ${formatShape(shape)} has ${n} elements; expected at most ${info.maxElements} (2^24) per tensor on backend '${info.name}'`,
    );
  }
}

/** NumPy broadcasting of two shapes, or a ShapeError naming both. @internal */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  const out = new Array<number>(r);
  for (let k = 1; k <= r; k++) {
    const x = a.length - k >= 0 ? a[a.length - k] : 1;
    const y = b.length - k >= 0 ? b[b.length - k] : 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new ShapeError(
        op,
        `shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast (dimension ${r - k}: ${x} vs ${y})`,
      );
    }
    out[r - k] = x === 1 ? y : x;
  }
  // the message is built only when the check fails (this runs on every elementwise op)
  if (sizeOf(out) > current().info.maxElements)
    checkSize(op, `the broadcast of ${formatShape(a)} and ${formatShape(b)}`, out);
  return out;
}

/**
 * Resolves a possibly negative axis against a rank (NumPy's rule): a non-integer is a
 * ValueError, an axis outside [−rank, rank) a ShapeError, as in the reductions. @internal
 */
export function normalizeAxis(op: string, axis: number, rank: number, arg = 'axis'): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis))
    throw new ValueError(op, `${arg} must be an integer, got ${describeValue(axis)}`);
  if (axis < -rank || axis >= rank) {
    throw new ShapeError(
      op,
      `${arg} ${axis} is out of range for rank ${rank}; expected an integer in [${-rank}, ${rank - 1}]`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** Checks a finite number argument. @internal */
export function checkFinite(op: string, arg: string, x: unknown): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new ValueError(op, `${arg} must be a finite number, got ${String(x)}`);
  }
  return x;
}

/** Row-major strides of a shape. @internal */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

// Below 2²³, `i + 0.5` is exact in float32 and ⌊(i + 0.5) / d⌋ stays exact under GL's
// approximate division (the quotient sits half a step away from every integer). From 2²³ on
// `i + 0.5` rounds to i or i + 1, which floored the last column of a row into the next row.
const HALF_STEP_EXACT = 2 ** 23;

/**
 * Kernel statements binding `q = ⌊num / d⌋` and (when `r` is given) `r = num − q·d`, exact
 * in float32 for integers 0 ≤ num < `bound` ≤ 2²⁴ on every backend. Below 2²³ it is the
 * half-step floor; above, that estimate (off by at most a few units) is corrected once with
 * the remainder, whose own half-step floor is exact because it is small. `num` is read more
 * than once, so pass a name or `this.thread.x`. @internal
 */
export function divmod(q: string, r: string | null, num: string, d: number | string, bound: number): string[] {
  if (bound <= HALF_STEP_EXACT) {
    const lines = [`const ${q} = Math.floor((${num} + 0.5) / ${d});`];
    if (r !== null) lines.push(`const ${r} = ${num} - ${q} * ${d};`);
    return lines;
  }
  const lines = [
    `const ${q}_e = Math.floor((${num} + 0.5) / ${d});`,
    `const ${q}_r = ${num} - ${q}_e * ${d};`,
    `const ${q}_c = Math.floor((${q}_r + 0.5) / ${d});`,
    `const ${q} = ${q}_e + ${q}_c;`,
  ];
  if (r !== null) lines.push(`const ${r} = ${q}_r - ${q}_c * ${d};`);
  return lines;
}
