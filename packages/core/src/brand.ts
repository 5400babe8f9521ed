/**
 * Whether `x` carries the registered brand `brand` (a `Symbol.for` key answering `true`). A
 * registered symbol is the same in every loaded copy of a package (its ESM and CJS builds side
 * by side, or two releases in one bundle), where a class identity is not, so a brand check
 * recognises an object made by any copy. @internal
 */
export function hasBrand(x: unknown, brand: symbol): boolean {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[brand] === true;
}
