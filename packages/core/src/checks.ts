import { describeValue } from './describe.js';
import { ValueError } from './errors.js';

/** Which ends of a range are open; closed unless said. */
export interface RangeBounds {
  lo?: boolean;
  hi?: boolean;
}

/**
 * Returns `v` if it is a finite number in [`lo`, `hi`] (an end is excluded where `open` says),
 * else throws a {@link ValueError} naming `fn`, the argument, the range and what came:
 * `checkRange('prune', 'sparsity', 1.5, 0, 1, { hi: true })` →
 * "prune: sparsity must be a finite number in [0, 1), got number 1.5".
 */
export function checkRange(
  fn: string,
  name: string,
  v: unknown,
  lo: number,
  hi: number,
  open: RangeBounds = {},
): number {
  const ok =
    typeof v === 'number' && Number.isFinite(v) && (open.lo ? v > lo : v >= lo) && (open.hi ? v < hi : v <= hi);
  if (!ok) {
    const range = `${open.lo ? '(' : '['}${lo}, ${hi}${open.hi ? ')' : ']'}`;
    throw new ValueError(fn, `${name} must be a finite number in ${range}, got ${describeValue(v)}`);
  }
  return v as number;
}

/**
 * Returns `v` if it is an integer in [`min`, `max`] (`max` defaults to the largest safe
 * integer), else throws a {@link ValueError} naming `fn`, the argument, the range and what came.
 */
export function checkInteger(fn: string, name: string, v: unknown, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ValueError(fn, `${name} must be an integer ${range}, got ${describeValue(v)}`);
  }
  return v;
}
