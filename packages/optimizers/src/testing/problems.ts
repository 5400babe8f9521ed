import { Random, ValueError } from '@sparsekit/tensor';

/** A test problem: parameter shapes, a start, the analytic gradient (float64, on the host) and the solution. */
export interface Problem {
  readonly name: string;
  readonly shapes: number[][];
  readonly start: Float64Array[];
  readonly solution: Float64Array[];
  /** Max |θ − θ*| allowed at the end. */
  readonly tolerance: number;
  /** The loss and its gradient at `values`. */
  gradient(values: ArrayLike<number>[]): { loss: number; grads: Float64Array[] };
}

function uniform(rng: Random, n: number, lo: number, hi: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rng.uniform();
  return out;
}

function gaussian(rng: Random, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

/**
 * ½ Σ hᵢ (θᵢ − cᵢ)² over a [3, 4] weight and a [4] bias, curvatures h in [0.5, 2]
 * (condition number 4), centres c in [−1, 1], start in [−1, 1]. Tolerance 1e-2.
 */
export function quadraticProblem(): Problem {
  const rng = new Random(101);
  const shapes = [[3, 4], [4]];
  const h = shapes.map((s) =>
    uniform(
      rng,
      s.reduce((a, b) => a * b, 1),
      0.5,
      2,
    ),
  );
  const c = shapes.map((s) =>
    uniform(
      rng,
      s.reduce((a, b) => a * b, 1),
      -1,
      1,
    ),
  );
  const start = shapes.map((s) =>
    uniform(
      rng,
      s.reduce((a, b) => a * b, 1),
      -1,
      1,
    ),
  );
  return {
    name: 'quadratic',
    shapes,
    start,
    solution: c,
    tolerance: 1e-2,
    gradient(values) {
      let loss = 0;
      const grads = values.map((v, k) => {
        const g = new Float64Array(v.length);
        for (let i = 0; i < v.length; i++) {
          const d = v[i] - c[k][i];
          loss += 0.5 * h[k][i] * d * d;
          g[i] = h[k][i] * d;
        }
        return g;
      });
      return { loss, grads };
    },
  };
}

/**
 * Two independent Rosenbrock valleys Σ (1 − xⱼ)² + 100·(yⱼ − xⱼ²)² over parameters x [2] and
 * y [2], from (−1.2, 1) and (−0.5, 0.5); minimum at (1, 1). Tolerance 5e-2.
 */
export function rosenbrockProblem(): Problem {
  return {
    name: 'rosenbrock',
    shapes: [[2], [2]],
    start: [Float64Array.of(-1.2, -0.5), Float64Array.of(1, 0.5)],
    solution: [Float64Array.of(1, 1), Float64Array.of(1, 1)],
    tolerance: 5e-2,
    gradient([x, y]) {
      let loss = 0;
      const gx = new Float64Array(2);
      const gy = new Float64Array(2);
      for (let j = 0; j < 2; j++) {
        const r = y[j] - x[j] * x[j];
        loss += (1 - x[j]) ** 2 + 100 * r * r;
        gx[j] = -2 * (1 - x[j]) - 400 * x[j] * r;
        gy[j] = 200 * r;
      }
      return { loss, grads: [gx, gy] };
    },
  };
}

/** (1/2m)‖Aθ − b‖² with A [24, 6] standard normal, b = Aθ* (consistent), θ* in [−1, 1], from 0. Tolerance 1e-2. */
export function leastSquaresProblem(): Problem {
  const rng = new Random(202);
  const m = 24;
  const n = 6;
  const A = gaussian(rng, m * n);
  const truth = uniform(rng, n, -1, 1);
  const b = matVec(A, truth, m, n);
  return {
    name: 'leastSquares',
    shapes: [[n]],
    start: [new Float64Array(n)],
    solution: [truth],
    tolerance: 1e-2,
    gradient: ([theta]) => leastSquaresGradient(A, b, theta, m, n),
  };
}

/** A Lasso problem with a known solution, for the sparsity check. */
export interface LassoProblem extends Problem {
  /** λ of the L1 penalty λ‖θ‖₁ the optimizer must add (the loss and gradient are the smooth part only). */
  readonly lambda: number;
  /** Number of non-zeros of the solution. */
  readonly k: number;
  /** Indices of the non-zeros. */
  readonly support: number[];
}

/**
 * min (1/2m)‖Aθ − b‖² + λ‖θ‖₁ with A [40, 10] standard normal and λ = 0.1, built from its
 * KKT conditions so the solution is known exactly: θ̂ has 3 non-zeros of magnitude in [1, 2];
 * b = Aθ̂ + r with A_Sᵀr/m = λ·sign(θ̂_S), and the design is checked to keep
 * |A_jᵀr/m| ≤ 0.6·λ off the support (strict complementarity, so θ̂ is the unique solution and
 * its zeros are robust). The loss and gradient given are the smooth part. Tolerance 2e-2.
 */
export function lassoProblem(): LassoProblem {
  const m = 40;
  const n = 10;
  const k = 3;
  const lambda = 0.1;
  for (let seed = 303; seed < 403; seed++) {
    const rng = new Random(seed);
    const A = gaussian(rng, m * n);
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const support = perm.slice(0, k).sort((a, b) => a - b);
    const theta = new Float64Array(n);
    for (const j of support) theta[j] = (1 + rng.uniform()) * (rng.uniform() < 0.5 ? -1 : 1);
    // r = m·λ·A_S (A_SᵀA_S)⁻¹ s_S, so that A_Sᵀ r / m = λ s_S.
    const G = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) G[a * k + c] = colDot(A, support[a], support[c], m, n);
    const w = solve(
      G,
      Float64Array.from(support, (j) => Math.sign(theta[j])),
      k,
    );
    const r = new Float64Array(m);
    for (let i = 0; i < m; i++) for (let a = 0; a < k; a++) r[i] += m * lambda * A[i * n + support[a]] * w[a];
    const corr = matTVec(A, r, m, n).map((x) => x / m);
    const offOk = Array.from({ length: n }, (_, j) => j).every(
      (j) => support.includes(j) || Math.abs(corr[j]) <= 0.6 * lambda,
    );
    if (!offOk) continue;
    const b = matVec(A, theta, m, n).map((x, i) => x + r[i]);
    return {
      name: 'lasso',
      shapes: [[n]],
      start: [uniform(rng, n, -0.5, 0.5)],
      solution: [theta],
      tolerance: 2e-2,
      lambda,
      k,
      support,
      gradient: ([x]) => leastSquaresGradient(A, b, x, m, n),
    };
  }
  throw new ValueError(
    'lassoProblem',
    'no design met the strict-complementarity margin (cannot happen with the fixed seeds)',
  );
}

/** (1/2m)‖Ax − b‖² and its gradient Aᵀ(Ax − b)/m. */
function leastSquaresGradient(
  A: Float64Array,
  b: Float64Array,
  x: ArrayLike<number>,
  m: number,
  n: number,
): { loss: number; grads: Float64Array[] } {
  const r = matVec(A, x, m, n);
  let loss = 0;
  for (let i = 0; i < m; i++) {
    r[i] -= b[i];
    loss += (r[i] * r[i]) / (2 * m);
  }
  return { loss, grads: [matTVec(A, r, m, n).map((v) => v / m)] };
}

function matVec(A: Float64Array, x: ArrayLike<number>, m: number, n: number): Float64Array {
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
    out[i] = s;
  }
  return out;
}

function matTVec(A: Float64Array, y: ArrayLike<number>, m: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j] += A[i * n + j] * y[i];
  return out;
}

function colDot(A: Float64Array, a: number, c: number, m: number, n: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += A[i * n + a] * A[i * n + c];
  return s;
}

/** Solves G x = y (k×k, symmetric positive definite) by Gaussian elimination with partial pivoting. */
function solve(G: Float64Array, y: Float64Array, k: number): Float64Array {
  const M = Float64Array.from(G);
  const x = Float64Array.from(y);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r * k + c]) > Math.abs(M[p * k + c])) p = r;
    for (let j = 0; j < k; j++) [M[c * k + j], M[p * k + j]] = [M[p * k + j], M[c * k + j]];
    [x[c], x[p]] = [x[p], x[c]];
    for (let r = c + 1; r < k; r++) {
      const f = M[r * k + c] / M[c * k + c];
      for (let j = c; j < k; j++) M[r * k + j] -= f * M[c * k + j];
      x[r] -= f * x[c];
    }
  }
  for (let c = k - 1; c >= 0; c--) {
    let s = x[c];
    for (let j = c + 1; j < k; j++) s -= M[c * k + j] * x[j];
    x[c] = s / M[c * k + c];
  }
  return x;
}
