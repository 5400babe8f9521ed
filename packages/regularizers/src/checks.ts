import { describeValue, ValueError } from '@sparsekit/tensor';

export { checkOptions } from '@sparsekit/tensor';

/** A finite number in [lo, hi] (bounds inclusive unless `open` says otherwise). @internal */
export function checkRange(
  fn: string,
  name: string,
  v: unknown,
  lo: number,
  hi: number,
  open: { lo?: boolean; hi?: boolean } = {},
): number {
  const ok =
    typeof v === 'number' && Number.isFinite(v) && (open.lo ? v > lo : v >= lo) && (open.hi ? v < hi : v <= hi);
  if (!ok) {
    const range = `${open.lo ? '(' : '['}${lo}, ${hi}${open.hi ? ')' : ']'}`;
    throw new ValueError(fn, `${name} must be a finite number in ${range}, got ${describeValue(v)}`);
  }
  return v as number;
}

/** An integer ≥ `min`. @internal */
export function checkInteger(fn: string, name: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new ValueError(fn, `${name} must be an integer >= ${min}, got ${describeValue(v)}`);
  return v;
}
