/**
 * Reference minimisers for checking proximal maps against their definition
 * prox(w) = argminₓ R(x) + Σ (xᵢ − wᵢ)²/(2·t·sᵢ): exhaustive grids that zoom in on the best
 * cell. They assume nothing about R (non-convex and discontinuous penalties included) beyond
 * the minimiser lying within the first grid's span; 0 is always a candidate.
 */

/** argmin of f over [lo, hi]: a 20 001-point grid, then three zooms around the best point. */
export function argmin1d(f: (x: number) => number, lo: number, hi: number): number {
  let best = 0;
  let bestValue = f(0);
  let a = lo;
  let b = hi;
  for (let level = 0; level < 4; level++) {
    const n = level === 0 ? 20000 : 2000;
    const h = (b - a) / n;
    for (let i = 0; i <= n; i++) {
      const x = a + i * h;
      const v = f(x);
      if (v < bestValue) {
        best = x;
        bestValue = v;
      }
    }
    a = best - 2 * h;
    b = best + 2 * h;
  }
  return best;
}

/** argmin of a function of a short vector (length ≤ 3) over the cube center ± span: zooming grids. */
export function argminNd(f: (x: number[]) => number, center: number[], span: number): number[] {
  const d = center.length;
  const n = d === 1 ? 4000 : d === 2 ? 300 : 40;
  let best = center.map(() => 0);
  let bestValue = f(best);
  let c = center.slice();
  let r = span;
  for (let level = 0; level < 9; level++) {
    const h = (2 * r) / n;
    const idx = new Array(d).fill(0);
    for (;;) {
      const x = idx.map((k, j) => c[j] - r + k * h);
      const v = f(x);
      if (v < bestValue) {
        best = x;
        bestValue = v;
      }
      let j = 0;
      while (j < d && ++idx[j] > n) idx[j++] = 0;
      if (j === d) break;
    }
    c = best.slice();
    r = 4 * h;
  }
  return best;
}
