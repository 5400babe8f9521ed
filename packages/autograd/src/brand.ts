// Brands, not `instanceof`: the ESM and CJS builds (or two installed copies) of a package
// each define their own classes, so a Parameter made by one fails `instanceof` in the other.
// A registered symbol (`Symbol.for`) is the same in every copy.
/** @internal */ export const VARIABLE = Symbol.for('sparsekit.variable');
/** @internal */ export const PARAMETER = Symbol.for('sparsekit.parameter');
/** @internal */ export const MODULE = Symbol.for('sparsekit.module');

function branded(x: unknown, brand: symbol): boolean {
  return (
    x !== null && (typeof x === 'object' || typeof x === 'function') && (x as Record<symbol, unknown>)[brand] === true
  );
}

/** Whether `x` is a `Module` of any loaded copy of this package (also what `instanceof Module` answers). @internal */
export function isModule(x: unknown): boolean {
  return branded(x, MODULE);
}

/**
 * `instanceof` that also recognises instances of the same class from another copy of the
 * package: the ordinary prototype check, or (for the base class itself) the brand.
 * @internal
 */
export function brandedInstanceOf(
  cls: abstract new (...args: never[]) => unknown,
  base: abstract new (...args: never[]) => unknown,
  brand: symbol,
  x: unknown,
): boolean {
  return Function.prototype[Symbol.hasInstance].call(cls, x) || (cls === base && branded(x, brand));
}
