// The Tensor class: its public API, its internal slots (under registered symbols) and the
// op records a lazy tensor carries. Memory bookkeeping is in memory.ts, computing values in
// realize.ts.
import { isTensor as isBrandedTensor } from '@sparsekit/core';
import type { BackendState } from './backend.js';
import { current } from './backend.js';
import { BackendError, ValueError } from './errors.js';
import type { CodeContext } from './fastmath.js';
import { formatValues, formatWithout } from './format.js';
import type { KernelProgram } from './kernels/registry.js';
import { forget, maybeFree, track } from './memory.js';
import { nest, readValue, readValueAsync, realize, realizeSync } from './realize.js';
import { sizeOf } from './shape.js';

/** A nested array of numbers, as returned by {@link Tensor.array}. */
export type NestedArray = number | NestedArray[];

/** A device-resident result: a gpu.js Texture (GL) or buffer handle (WebGPU). @internal */
export interface DeviceValue {
  toArray(): unknown;
  /** A fresh copy of exactly its values, where the value can make one directly (a readback). */
  copy?(): Float32Array;
  delete?(): void;
}

/** @internal */
export type Value = Float32Array | DeviceValue;

/**
 * An elementwise op: `code` builds the expression from its operands' expressions.
 * Consecutive elementwise ops fuse into one kernel when the result is realised.
 * @internal
 */
export interface ElementwiseOp {
  kind: 'ew';
  code: (args: string[], ctx: CodeContext) => string;
  inputs: Array<Tensor | number>;
  depth: number;
}

/**
 * A kernel op: a complete kernel program (see kernels/registry.ts) over the tensor's cells,
 * whose arguments are its tensor inputs (`a0…`) then its float scalars (`s0…`). @internal
 */
export interface KernelOp {
  kind: 'kernel';
  program: KernelProgram;
  inputs: Tensor[];
  scalars: number[];
}

/** A view: the input's data under another shape (reshape). @internal */
export interface ViewOp {
  kind: 'view';
  inputs: [Tensor];
}

/** @internal */
export type Op = ElementwiseOp | KernelOp | ViewOp;

/**
 * The brand every tensor carries. A `Symbol.for` key is the same in every copy of this
 * package loaded in one realm (the ESM and CJS builds, two releases), where a class identity
 * is not. @internal
 */
export const TENSOR_BRAND = Symbol.for('sparsekit.tensor');
// Internal slots live under symbol keys: off the public type, not reachable as named fields
// from user code, and the same keys in every copy so any copy can run another copy's tensors.
/** @internal */ export const VALUE = Symbol.for('sparsekit.tensor.value');
/** @internal */ export const OP = Symbol.for('sparsekit.tensor.op');
/** @internal pending consumers that still need this tensor's value */ export const PENDING =
  Symbol.for('sparsekit.tensor.pending');
/** @internal */ export const DISPOSED = Symbol.for('sparsekit.tensor.disposed');
/** @internal backend generation this value belongs to */ export const BACKEND = Symbol.for('sparsekit.tensor.backend');

/**
 * Whether `x` is a SparseKit {@link Tensor}, from this copy of the package or any other
 * loaded in the same realm (ESM and CJS builds side by side, or two releases). Use it rather
 * than `instanceof` in code that receives tensors from elsewhere; `instanceof Tensor` also
 * answers by the brand.
 */
export function isTensor(x: unknown): x is Tensor {
  return isBrandedTensor(x);
}

/**
 * A float32 n-dimensional tensor. Ops on tensors are lazy: they record what to compute
 * and return at once; the work runs as gpu.js kernels when a value is read
 * ({@link Tensor.data}, {@link Tensor.dataSync}) — with consecutive elementwise ops fused
 * into one kernel. The same code therefore runs on synchronous backends and on WebGPU.
 */
export class Tensor {
  /** Unique id, for debugging. */
  readonly id: number;
  /** The shape, outermost dimension first. */
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** Always `'float32'`. */
  readonly dtype = 'float32' as const;
  /** @internal */ declare [VALUE]: Value | null;
  /** @internal */ declare [OP]: Op | null;
  /** @internal */ declare [PENDING]: number;
  /** @internal */ declare [DISPOSED]: boolean;
  /** @internal */ declare readonly [BACKEND]: BackendState;

  /** Tensors come from the creation functions (`tensor`, `zeros`, …) and ops. */
  private constructor(shape: readonly number[], value: Float32Array | null, op: Op | null) {
    this.shape = Object.freeze(shape.slice());
    this.size = sizeOf(shape);
    this[VALUE] = value;
    this[OP] = op;
    this[PENDING] = 0;
    this[DISPOSED] = false;
    this[BACKEND] = current();
    if (op) for (const x of op.inputs) if (isTensor(x)) x[PENDING]++;
    this.id = track(this);
  }

  /** @internal A tensor holding `value` (host data) or computed by `op`; see internal.ts's factories. */
  static make(shape: readonly number[], value: Float32Array | null, op: Op | null): Tensor {
    return new Tensor(shape, value, op);
  }

  /** @internal The brand {@link isTensor} reads; on the prototype, so it costs no per-tensor slot. */
  get [TENSOR_BRAND](): true {
    return true;
  }

  /** Answers by the brand, so a tensor from another copy of the package passes `instanceof Tensor`. */
  static [Symbol.hasInstance](x: unknown): x is Tensor {
    return isTensor(x);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Whether {@link Tensor.dispose} was called. */
  get isDisposed(): boolean {
    return this[DISPOSED];
  }

  /** Reads the values into a new `Float32Array` (row-major). Works on every backend. */
  async data(): Promise<Float32Array> {
    this.assertLive('data');
    await realize(this, true);
    return readValueAsync(this);
  }

  /**
   * Reads the values synchronously. Throws a {@link BackendError} on WebGPU, which has
   * no synchronous readback: use `await data()` there.
   */
  dataSync(): Float32Array {
    this.assertLive('dataSync');
    if (!current().info.syncReadback) {
      throw new BackendError(
        'dataSync',
        `backend '${current().info.name}' has no synchronous readback; use await tensor.data()`,
      );
    }
    realizeSync(this);
    return readValue(this);
  }

  /** Reads the values as nested arrays matching the shape. */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape);
  }

  /** Synchronous {@link Tensor.array}; same restrictions as {@link Tensor.dataSync}. */
  arraySync(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /** Reads a one-element tensor as a number. */
  async item(): Promise<number> {
    if (this.size !== 1)
      throw new ValueError('item', `tensor must have exactly 1 element, got shape [${this.shape.join(', ')}]`);
    return (await this.data())[0];
  }

  /** Synchronous {@link Tensor.item}. */
  itemSync(): number {
    if (this.size !== 1)
      throw new ValueError('itemSync', `tensor must have exactly 1 element, got shape [${this.shape.join(', ')}]`);
    return this.dataSync()[0];
  }

  /**
   * Computes the value now and keeps it on the device (where the backend has one),
   * without reading it back. Useful to cut a long lazy chain, e.g. once per training step.
   */
  async materialize(): Promise<this> {
    this.assertLive('materialize');
    await realize(this, true);
    return this;
  }

  /** Synchronous {@link Tensor.materialize} (not on WebGPU). */
  materializeSync(): this {
    this.assertLive('materializeSync');
    if (!current().info.syncReadback) {
      throw new BackendError(
        'materializeSync',
        `backend '${current().info.name}' runs kernels asynchronously; use await tensor.materialize()`,
      );
    }
    realizeSync(this);
    return this;
  }

  /**
   * Releases this tensor. Tensors computed from it but not yet realised keep what they
   * need; the memory goes once nothing pending refers to it. Idempotent.
   */
  dispose(): void {
    if (this[DISPOSED]) return;
    this[DISPOSED] = true;
    forget(this);
    maybeFree(this);
  }

  /** @internal */
  assertLive(op: string): void {
    if (this[DISPOSED]) throw new ValueError(op, `tensor #${this.id} (shape [${this.shape.join(', ')}]) was disposed`);
    if (this[BACKEND] !== current()) {
      throw new BackendError(
        op,
        `tensor #${this.id} belongs to a backend that was replaced by setBackend(); recreate it`,
      );
    }
  }

  /**
   * The values, NumPy/PyTorch style: `Tensor([[1, 2],\n        [3, 4]], shape=[2, 2])`,
   * summarised with `...` past 1000 elements. An unrealised tensor is computed first on a
   * backend with synchronous readback; on WebGPU the text says to `await t.data()` instead.
   * Never throws: a tensor that cannot be read says why.
   */
  toString(): string {
    if (this[DISPOSED]) return formatWithout('disposed', this.shape);
    if (this[BACKEND] !== current()) return formatWithout('belongs to a backend replaced by setBackend()', this.shape);
    const v = this[VALUE];
    if (!(v instanceof Float32Array) && !current().info.syncReadback) {
      return formatWithout(`on ${current().info.name}: values need await t.data()`, this.shape);
    }
    try {
      return formatValues(v instanceof Float32Array ? v : this.dataSync(), this.shape);
    } catch (e) {
      return formatWithout(`unreadable: ${e instanceof Error ? e.message : String(e)}`, this.shape);
    }
  }

  /** Prints {@link Tensor.toString} with `console.log`. */
  print(): void {
    console.log(this.toString());
  }

  /**
   * What Node's `console.log` and `util.inspect` show: the values, not the internals. Keyed by
   * the registered symbol Node looks up, so browsers load this module without `node:util`.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
