// Helpers every op uses: argument checks, the lazy-tensor factories (host, elementwise,
// kernel, view) and the axis argument of reductions.
import { current } from './backend.js';
import { BackendError, checkOptions, describeValue, formatShape, ShapeError, ValueError } from './errors.js';
import { type CodeContext, codeContext } from './fastmath.js';
import type { KernelProgram } from './kernels/registry.js';
import { BACKEND, type ElementwiseOp, isTensor, type KernelOp, OP, Tensor, VALUE } from './tensor.js';

/** Checks that `x` is a live tensor of the current backend. @internal */
export function assertTensor(op: string, arg: string, x: unknown): Tensor {
  if (!isTensor(x)) {
    throw new ValueError(op, `${arg} must be a Tensor, got ${describeValue(x)}`);
  }
  if (x.isDisposed) throw new ValueError(op, `${arg} (tensor #${x.id}) was disposed`);
  if (x[BACKEND] !== current()) {
    throw new BackendError(op, `${arg} (tensor #${x.id}) belongs to a backend replaced by setBackend(); recreate it`);
  }
  return x;
}

/** A tensor over host data (taken, not copied). The one host-tensor factory. @internal */
export function hostTensor(shape: readonly number[], data: Float32Array): Tensor {
  return Tensor.make(shape, data, null);
}

/** A lazy elementwise tensor. @internal */
export function elementwise(
  shape: readonly number[],
  inputs: Array<Tensor | number>,
  code: (args: string[], ctx: CodeContext) => string,
): Tensor {
  let depth = 0;
  for (const x of inputs) {
    if (isTensor(x) && !x[VALUE] && x[OP]?.kind === 'ew') depth = Math.max(depth, x[OP].depth);
  }
  const op: ElementwiseOp = { kind: 'ew', code, inputs, depth: depth + 1 };
  return Tensor.make(shape, null, op);
}

/** A lazy tensor computed by one complete kernel (a program, or just its source). @internal */
export function kernelOp(
  shape: readonly number[],
  program: KernelProgram | string,
  inputs: Tensor[],
  scalars: number[] = [],
): Tensor {
  const op: KernelOp = {
    kind: 'kernel',
    program: typeof program === 'string' ? { source: program } : program,
    inputs,
    scalars,
  };
  return Tensor.make(shape, null, op);
}

/**
 * A code context for kernel source written by an op (not fused): formulated for the current
 * backend's codegen profile, its constant tables collected into `constants`. @internal
 */
export function opCodeContext(lines: string[], prefix: string, constants: Record<string, Float32Array>): CodeContext {
  return codeContext(lines, prefix, current().adapter.codegen, constants);
}

/** `x`'s values when they already lie on the host (no kernel pending, no device buffer). @internal */
export function hostValues(x: Tensor): Float32Array | null {
  const v = x[VALUE];
  return v instanceof Float32Array ? v : null;
}

/** A lazy reshape of `x`. @internal */
export function view(shape: readonly number[], x: Tensor): Tensor {
  // Host data is shared at once; device buffers and pending values are shared when realised.
  if (x[VALUE] instanceof Float32Array) return Tensor.make(shape, x[VALUE], null);
  return Tensor.make(shape, null, { kind: 'view', inputs: [x] });
}

/** Formats a number as a float literal for kernel source. @internal */
export function lit(x: number): string {
  if (Number.isNaN(x)) throw new ValueError('kernel', 'NaN cannot be a kernel literal');
  if (!Number.isFinite(x)) return x > 0 ? '3.4028234663852886e38' : '-3.4028234663852886e38';
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** A parsed axis argument: the non-negative axis (undefined: every element) and keepDims. @internal */
export interface AxisSpec {
  axis: number | undefined;
  keepDims: boolean;
}

/**
 * Parses the axis argument every reduction shares: a number (NumPy's and TensorFlow.js's
 * positional axis) or an options object `{ axis, keepDims }` whose keys are checked against
 * `keys`. Negative axes count from the end as in NumPy; an axis outside [−rank, rank) is a
 * {@link ShapeError}, a non-integer one a {@link ValueError}. `x` must already be checked.
 * @internal
 */
export function axisArg(op: string, x: Tensor, arg: unknown, keys: readonly string[], defaultAxis?: number): AxisSpec {
  let axis: unknown = defaultAxis;
  let keepDims: unknown = false;
  if (typeof arg === 'number') axis = arg;
  else if (arg !== undefined) {
    if (typeof arg !== 'object' || arg === null || Array.isArray(arg) || isTensor(arg)) {
      throw new ValueError(
        op,
        `axis must be an integer or an options object { ${keys.join(', ')} }, got ${describeValue(arg)}`,
      );
    }
    checkOptions(op, arg, keys);
    const o = arg as { axis?: unknown; keepDims?: unknown };
    if (o.axis !== undefined) axis = o.axis;
    if (o.keepDims !== undefined) keepDims = o.keepDims;
  }
  if (typeof keepDims !== 'boolean')
    throw new ValueError(op, `keepDims must be a boolean, got ${describeValue(keepDims)}`);
  if (axis === undefined) return { axis: undefined, keepDims };
  if (typeof axis !== 'number' || !Number.isInteger(axis))
    throw new ValueError(op, `axis must be an integer, got ${describeValue(axis)}`);
  const rank = x.rank;
  if (axis < -rank || axis >= rank) {
    const range = rank === 0 ? 'none: x is a scalar (omit the axis)' : `an integer in [${-rank}, ${rank - 1}]`;
    throw new ShapeError(op, `axis ${axis} is out of range for x of shape ${formatShape(x.shape)}; expected ${range}`);
  }
  return { axis: axis < 0 ? axis + rank : axis, keepDims };
}
