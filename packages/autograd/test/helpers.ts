import * as T from '@sparsekit/tensor';

/**
 * A random input drawn on the host: uniform on [low, high], optionally kept at least `gap`
 * away from zero (so finite differences never straddle a kink), and optionally with
 * distinct values spaced by at least `gap` (so max/min have no near-ties).
 */
export function input(
  shape: number[],
  seed: number,
  opts: { low?: number; high?: number; gap?: number; distinct?: boolean } = {},
): T.Tensor {
  const low = opts.low ?? -2;
  const high = opts.high ?? 2;
  const gap = opts.gap ?? 0;
  const rng = new T.Random(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const out = new Float32Array(n);
  if (opts.distinct) {
    // A shuffled grid: any two values differ by at least (high − low)/n.
    const perm = rng.permutation(n);
    for (let i = 0; i < n; i++) out[i] = low + ((perm[i] + 0.5) * (high - low)) / n;
    return T.tensor(out, shape);
  }
  for (let i = 0; i < n; i++) {
    let v = low + rng.uniform() * (high - low);
    while (gap > 0 && Math.abs(v) < gap) v = low + rng.uniform() * (high - low);
    out[i] = v;
  }
  return T.tensor(out, shape);
}

export function close(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  atol = 0,
): { ok: boolean; worst: number; at: number } {
  let worst = 0;
  let at = -1;
  if (actual.length !== expected.length) return { ok: false, worst: Infinity, at: -1 };
  for (let i = 0; i < actual.length; i++) {
    const e = Math.abs(actual[i] - expected[i]) / (atol + rtol * Math.max(Math.abs(expected[i]), 1e-30));
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  return { ok: worst <= 1, worst, at };
}
