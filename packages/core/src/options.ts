import { hasBrand } from './brand.js';
import { describeValue, isVariableLike } from './describe.js';
import { ValueError } from './errors.js';
import { TENSOR_BRAND } from './tensor.js';

// Levenshtein distance, bounded: only near misses (≤ 2 edits) become suggestions.
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

function suggestion(key: string, allowed: readonly string[]): string {
  const norm = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');
  let best: string | undefined;
  let bestD = 3;
  for (const a of allowed) {
    const d = norm(a) === norm(key) ? 0 : distance(key.toLowerCase(), a.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

/**
 * Validates an options object: `undefined` passes; anything but a plain object, and any key
 * not in `allowed`, throws a {@link ValueError} naming `fn`, the argument, the bad key and the
 * allowed ones. A typo such as `{ transpose_b: true }` in plain JavaScript would otherwise be
 * ignored and give a silently wrong result. Every SparseKit function that takes options calls it.
 */
export function checkOptions(fn: string, options: unknown, allowed: readonly string[], arg = 'options'): void {
  if (options === undefined) return;
  if (
    typeof options !== 'object' ||
    options === null ||
    Array.isArray(options) ||
    hasBrand(options, TENSOR_BRAND) ||
    isVariableLike(options)
  ) {
    throw new ValueError(fn, `${arg} must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const list = allowed.length ? `allowed: ${allowed.join(', ')}` : 'it takes no options';
      throw new ValueError(fn, `unknown option '${key}' in ${arg}${suggestion(key, allowed)}; ${list}`);
    }
  }
}
