import { Tensor, ValueError } from '@sparsekit/tensor';

// Brands, not `instanceof`: the ESM and CJS builds (or two installed copies) of a package
// each define their own classes, so a Parameter made by one fails `instanceof` in the other.
// A registered symbol (`Symbol.for`) is the same in every copy.
const TENSOR = Symbol.for('sparsekit.tensor');
/** @internal */ export const VARIABLE = Symbol.for('sparsekit.variable');
/** @internal */ export const PARAMETER = Symbol.for('sparsekit.parameter');
/** @internal */ export const MODULE = Symbol.for('sparsekit.module');

function branded(x: unknown, brand: symbol): boolean {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && (x as Record<symbol, unknown>)[brand] === true;
}

/** Whether `x` is a tensor of any loaded copy of `@sparsekit/tensor`. @internal */
export function isTensorValue(x: unknown): x is Tensor {
  return x instanceof Tensor || branded(x, TENSOR);
}

/** Whether `x` is a {@link Variable} (or a {@link Parameter}) of any loaded copy of this package. */
export function isVariable(x: unknown): boolean {
  return branded(x, VARIABLE);
}

/** Whether `x` is a {@link Parameter} of any loaded copy of this package. */
export function isParameter(x: unknown): boolean {
  return branded(x, PARAMETER);
}

/** Whether `x` is a `Module` of any loaded copy of this package. */
export function isModule(x: unknown): boolean {
  return branded(x, MODULE);
}

/**
 * `instanceof` that also recognises instances of the same class from another copy of the
 * package: the ordinary prototype check, or (for the base class itself) the brand.
 * @internal
 */
export function brandedInstanceOf(cls: abstract new (...args: never[]) => unknown, base: abstract new (...args: never[]) => unknown, brand: symbol, x: unknown): boolean {
  return Function.prototype[Symbol.hasInstance].call(cls, x) || (cls === base && branded(x, brand));
}

/** Describes a value for messages: `null`, `number`, or its class name. @internal */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  if (typeof x === 'number') return String(x);
  return typeof x;
}

/**
 * Rejects option keys `fn` does not know (a typo such as `batchsize` would otherwise be
 * ignored silently in plain JavaScript), and a non-object options argument.
 * @internal
 */
export function checkOptions(fn: string, options: unknown, known: readonly string[], arg = 'options'): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options) || isTensorValue(options)) {
    throw new ValueError(fn, `${arg} must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ValueError(fn, `unknown option '${key}' in ${arg}; expected ${known.length ? `one of ${known.join(', ')}` : 'none'}`);
    }
  }
}
