import { hasBrand } from './brand.js';

/**
 * The brand every `@sparsekit/tensor` tensor carries on its prototype. A `Symbol.for` key is
 * the same in every copy of that package loaded in one realm. @internal
 */
export const TENSOR_BRAND = Symbol.for('sparsekit.tensor');

/**
 * What a package that only reads tensors needs of one, without depending on
 * `@sparsekit/tensor` (and through it on gpu.js): its shape and its values.
 */
export interface ReadableTensor {
  /** The shape, outermost dimension first. */
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** Whether `dispose()` has released it. */
  readonly isDisposed: boolean;
  /** Reads the values back to the host, on every backend (WebGPU included). */
  data(): Promise<Float32Array>;
  /** Reads the values back synchronously; backends that cannot (WebGPU) throw a `BackendError`. */
  dataSync(): Float32Array;
}

/**
 * Whether `x` is a SparseKit tensor, from any loaded copy of `@sparsekit/tensor` (ESM and CJS
 * builds side by side, or two releases): it answers by the tensor brand, not by class identity.
 */
export function isTensor(x: unknown): x is ReadableTensor {
  return hasBrand(x, TENSOR_BRAND);
}
