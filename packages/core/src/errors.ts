/**
 * The error vocabulary shared by every SparseKit package. Each message names the op,
 * the argument, what was expected and what came, so a stack trace is rarely needed.
 */
import { hasBrand } from './brand.js';

// Errors thrown by another loaded copy of this package (the CJS build beside the ESM one)
// carry the same registered brand, so `instanceof ValueError` holds across copies too.
const ERROR_BRAND = Symbol.for('sparsekit.error');

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
    if (!hasBrand(x, ERROR_BRAND)) return false;
    for (let p = Object.getPrototypeOf(x); p; p = Object.getPrototypeOf(p)) {
      if (Object.hasOwn(p, 'constructor') && p.constructor.name === this.name) return true;
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

/** Whether two shapes are equal, dimension by dimension. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
