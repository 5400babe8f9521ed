/**
 * The error vocabulary shared by every SparseKit package. Each message names the op,
 * the argument, what was expected and what came, so a stack trace is rarely needed.
 */

// Errors thrown by another loaded copy of this package (the CJS build beside the ESM one)
// carry the same registered brand, so `instanceof ValueError` holds across copies too.
const ERROR_BRAND = Symbol.for('sparsekit.error');
const TENSOR_BRAND = Symbol.for('sparsekit.tensor');

/** Base class of every error SparseKit throws on purpose. */
export class SparseKitError extends Error {
  /** The op or function that rejected its input, e.g. `matmul` or `Adam`. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = new.target.name;
    this.op = op;
  }

  /** @internal */
  get [ERROR_BRAND](): true {
    return true;
  }

  /**
   * The ordinary prototype check, or, for an error from another copy of the package, a
   * class of the same name on its prototype chain.
   */
  static override [Symbol.hasInstance](x: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, x)) return true;
    if (typeof x !== 'object' || x === null || (x as { [ERROR_BRAND]?: unknown })[ERROR_BRAND] !== true) return false;
    for (let p = Object.getPrototypeOf(x); p; p = Object.getPrototypeOf(p)) {
      if (Object.prototype.hasOwnProperty.call(p, 'constructor') && p.constructor.name === this.name) return true;
    }
    return false;
  }
}

/** An argument has the wrong shape, rank or size. */
export class ShapeError extends SparseKitError {}

/** An argument has a bad value: out of range, NaN/Inf where finite is required, wrong type. */
export class ValueError extends SparseKitError {}

/** A backend is unknown, unavailable, disposed, or cannot do what was asked (e.g. a sync read on webgpu). */
export class BackendError extends SparseKitError {}

/** Formats a shape for messages: `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function isBranded(x: object, brand: symbol): boolean {
  return (x as Record<symbol, unknown>)[brand] === true;
}

/**
 * Whether `x` looks like an autograd `Variable` (or `Parameter`): an object holding a tensor
 * in `.value` and a `.grad` slot. Tensor ops take the tensor, so messages point to `.value`.
 * @internal
 */
export function isVariableLike(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || isBranded(x, TENSOR_BRAND)) return false;
  const v = (x as { value?: unknown }).value;
  return typeof v === 'object' && v !== null && isBranded(v, TENSOR_BRAND) && 'grad' in x;
}

const MAX_SHOWN = 32;

/**
 * Describes a value for error messages, the same way in every SparseKit package: its type and,
 * where short, the value itself — `number NaN`, `string "abc"`, `array of length 3`,
 * `Float32Array of length 4`, `Tensor of shape [2, 3]`, `Variable — use .value`,
 * `object {length}`, `null`, `undefined`.
 */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  switch (typeof x) {
    case 'undefined':
      return 'undefined';
    case 'number':
      return `number ${Object.is(x, -0) ? '-0' : String(x)}`;
    case 'boolean':
      return `boolean ${x}`;
    case 'bigint':
      return `bigint ${x}n`;
    case 'string':
      return `string ${JSON.stringify(x.length > MAX_SHOWN ? `${x.slice(0, MAX_SHOWN)}…` : x)}`;
    case 'symbol':
      return `symbol ${x.description ?? ''}`.trimEnd();
    case 'function':
      return x.name ? `function ${x.name}` : 'function';
  }
  const o = x as object;
  if (isBranded(o, TENSOR_BRAND)) {
    const t = o as { shape: readonly number[]; isDisposed?: boolean };
    return `Tensor of shape ${formatShape(t.shape)}${t.isDisposed ? ' (disposed)' : ''}`;
  }
  if (isVariableLike(o)) {
    const name = o.constructor?.name && o.constructor.name !== 'Object' ? o.constructor.name : 'Variable';
    return `${name} — use .value`;
  }
  if (Array.isArray(o)) return `array of length ${o.length}`;
  if (ArrayBuffer.isView(o)) {
    const len = (o as unknown as { length?: number }).length;
    return len === undefined ? o.constructor.name : `${o.constructor.name} of length ${len}`;
  }
  const proto = Object.getPrototypeOf(o);
  if (proto === Object.prototype || proto === null) {
    const keys = Object.keys(o);
    const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', …' : '');
    return keys.length ? `object {${shown}}` : 'object {}';
  }
  const shape = (o as { shape?: unknown }).shape;
  const name = (o.constructor && o.constructor.name) || 'object';
  return Array.isArray(shape) ? `${name} of shape ${formatShape(shape)}` : name;
}

// Levenshtein distance, bounded: only near misses (≤ 2 edits) become suggestions.
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

function suggestion(key: string, allowed: readonly string[]): string {
  const norm = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');
  let best: string | undefined;
  let bestD = 3;
  for (const a of allowed) {
    const d = norm(a) === norm(key) ? 0 : distance(key.toLowerCase(), a.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

/**
 * Validates an options object: `undefined` passes; anything but a plain object, and any key
 * not in `allowed`, throws a {@link ValueError} naming `fn`, the argument, the bad key and the
 * allowed ones. A typo such as `{ transpose_b: true }` in plain JavaScript would otherwise be
 * ignored and give a silently wrong result. Every SparseKit function that takes options calls it.
 */
export function checkOptions(fn: string, options: unknown, allowed: readonly string[], arg = 'options'): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options) || isBranded(options, TENSOR_BRAND) || isVariableLike(options)) {
    throw new ValueError(fn, `${arg} must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const list = allowed.length ? `allowed: ${allowed.join(', ')}` : 'it takes no options';
      throw new ValueError(fn, `unknown option '${key}' in ${arg}${suggestion(key, allowed)}; ${list}`);
    }
  }
}
