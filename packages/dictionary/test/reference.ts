import { Random } from '@sparsekit/tensor';

/** Row-major random matrix with N(0, 1) entries, rows scaled to unit norm when `unit`. */
export function randomMatrix(rows: number, cols: number, seed: number, unit = false): Float32Array {
  const rng = new Random(seed);
  const m = new Float32Array(rows * cols);
  for (let i = 0; i < m.length; i++) m[i] = rng.normal();
  if (unit) {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += m[r * cols + c]! ** 2;
      const inv = 1 / Math.sqrt(s);
      for (let c = 0; c < cols; c++) m[r * cols + c]! *= inv;
    }
  }
  return m;
}

/** A·Bᵀ in float64 for row-major A (m×n) and B (p×n). */
export function abt(A: ArrayLike<number>, B: ArrayLike<number>, m: number, p: number, n: number): Float64Array {
  const out = new Float64Array(m * p);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += A[i * n + t]! * B[j * n + t]!;
      out[i * p + j] = s;
    }
  }
  return out;
}

/** Solves the small dense system Mx = b by Gaussian elimination with partial pivoting. */
export function solve(M: number[][], b: number[]): number[] {
  const n = b.length;
  const a = M.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let q = c; q <= n; q++) a[r]![q]! -= f * a[c]![q]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r]![n]!;
    for (let q = r + 1; q < n; q++) s -= a[r]![q]! * x[q]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}

/**
 * Textbook OMP on one signal x (length n) with atoms as rows of D (k×n): explicit residual,
 * least squares on the support by the normal equations. The brute-force reference.
 */
export function naiveOmp(
  x: ArrayLike<number>,
  D: ArrayLike<number>,
  k: number,
  n: number,
  s: number,
): Map<number, number> {
  const r = Float64Array.from(x as ArrayLike<number>);
  const support: number[] = [];
  let coef: number[] = [];
  for (let it = 0; it < s; it++) {
    let best = -1;
    let lam = -1;
    for (let j = 0; j < k; j++) {
      if (support.includes(j)) continue;
      let c = 0;
      for (let t = 0; t < n; t++) c += D[j * n + t]! * r[t]!;
      if (Math.abs(c) > best) {
        best = Math.abs(c);
        lam = j;
      }
    }
    support.push(lam);
    const M = support.map((a) =>
      support.map((b) => {
        let g = 0;
        for (let t = 0; t < n; t++) g += D[a * n + t]! * D[b * n + t]!;
        return g;
      }),
    );
    const rhs = support.map((a) => {
      let g = 0;
      for (let t = 0; t < n; t++) g += D[a * n + t]! * x[t]!;
      return g;
    });
    coef = solve(M, rhs);
    for (let t = 0; t < n; t++) {
      let v = x[t]!;
      support.forEach((a, i) => (v -= coef[i]! * D[a * n + t]!));
      r[t] = v;
    }
  }
  return new Map(support.map((a, i) => [a, coef[i]!]));
}
