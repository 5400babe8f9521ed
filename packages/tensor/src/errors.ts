/**
 * The error vocabulary shared by every SparseKit package. Each message names the op,
 * the argument, what was expected and what came, so a stack trace is rarely needed.
 */

/** Base class of every error SparseKit throws on purpose. */
export class SparseKitError extends Error {
  /** The op or function that rejected its input, e.g. `matmul` or `Adam`. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = new.target.name;
    this.op = op;
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
