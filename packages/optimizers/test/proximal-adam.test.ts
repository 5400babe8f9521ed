import { Parameter } from '@sparsekit/autograd';
import { Random, setBackend, tensor } from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam, ProximalAdam } from '../src/index.js';

beforeAll(() => {
  setBackend('cpu');
});

// A random Lasso problem: A [60, 20] standard normal, a 4-sparse truth, a little noise.
const M = 60;
const N = 20;
const LAMBDA = 0.1;
const rng = new Random(7);
const A = Float64Array.from({ length: M * N }, () => rng.normal());
const truth = new Float64Array(N);
for (const [j, v] of [
  [2, 1.5],
  [7, -2],
  [11, 1],
  [16, -0.8],
] as const)
  truth[j] = v;
const b = Float64Array.from({ length: M }, (_, i) => {
  let s = 0.05 * rng.normal();
  for (let j = 0; j < N; j++) s += A[i * N + j] * truth[j];
  return s;
});

function smoothGradient(x: ArrayLike<number>): Float64Array {
  const r = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    let s = -b[i];
    for (let j = 0; j < N; j++) s += A[i * N + j] * x[j];
    r[i] = s;
  }
  const g = new Float64Array(N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) g[j] += (A[i * N + j] * r[i]) / M;
  return g;
}

/** Cyclic coordinate descent on (1/2m)‖Ax − b‖² + λ‖x‖₁ (the reference), in float64. */
function coordinateDescent(sweeps: number): Float64Array {
  const x = new Float64Array(N);
  const r = Float64Array.from(b, (v) => -v); // r = Ax − b
  for (let s = 0; s < sweeps; s++) {
    for (let j = 0; j < N; j++) {
      let rho = 0;
      let norm = 0;
      for (let i = 0; i < M; i++) {
        const a = A[i * N + j];
        rho += a * (a * x[j] - r[i]);
        norm += a * a;
      }
      rho /= M;
      norm /= M;
      const next = (Math.sign(rho) * Math.max(Math.abs(rho) - LAMBDA, 0)) / norm;
      for (let i = 0; i < M; i++) r[i] += A[i * N + j] * (next - x[j]);
      x[j] = next;
    }
  }
  return x;
}

function train(opt: { step(): boolean }, p: Parameter, steps: number, l1Subgradient = 0): Float32Array {
  for (let t = 0; t < steps; t++) {
    const x = p.value.dataSync();
    const g = smoothGradient(x).map((v, j) => v + l1Subgradient * Math.sign(x[j]));
    p.grad?.dispose();
    p.grad = tensor(Float32Array.from(g));
    opt.step();
  }
  return p.value.dataSync();
}

const supportOf = (x: ArrayLike<number>) => Array.from(x).flatMap((v, j) => (v !== 0 ? [j] : []));

describe('ProximalAdam (ProxGen)', () => {
  it('with L1 reaches the support of the coordinate-descent Lasso solution, with exact zeros', () => {
    const reference = coordinateDescent(500);
    const p = new Parameter(tensor(new Float32Array(N)));
    const x = train(new ProximalAdam([p], { lr: 0.01, lambda: LAMBDA }), p, 2000);
    expect(supportOf(x)).toEqual(supportOf(reference));
    x.forEach((v, j) => expect(Math.abs(v - reference[j])).toBeLessThan(5e-3));
  });

  it('where Adam on the L1 subgradient reaches no exact zero at all', () => {
    const p = new Parameter(tensor(new Float32Array(N)));
    const x = train(new Adam([p], { lr: 0.01 }), p, 2000, LAMBDA);
    expect(supportOf(x).length).toBe(N);
  });

  it('thresholds by lr·λ/denom after the Adam step (first step: denom = |g| + ε)', () => {
    // At t = 1, m̂ = g and √v̂ = |g|: the Adam step moves every coordinate by lr·sign(g), and
    // the L1 prox then shrinks by lr·λ/(|g| + ε).
    const p = new Parameter(tensor([1, 1, 1]));
    const opt = new ProximalAdam([p], { lr: 0.1, lambda: 0.5 });
    p.grad = tensor([0.1, 1, 10]);
    opt.step();
    const expected = [0.1, 1, 10].map((g) => 1 - 0.1 - (0.1 * 0.5) / (g + 1e-8));
    Array.from(p.value.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(Math.max(expected[i], 0), 6));
  });

  it('with L0 keeps u only where |u| > √(2λ·lr/denom)', () => {
    const p = new Parameter(tensor([0.2, 0.5, 1]));
    const opt = new ProximalAdam([p], { lr: 0.1, lambda: 0.5, penalty: 'l0' });
    p.grad = tensor([1, 1, 1]); // u = θ − 0.1; threshold √(2·0.5·0.1/1) ≈ 0.316
    opt.step();
    expect(Array.from(p.value.dataSync())).toEqual([0, Math.fround(0.4), Math.fround(0.9)]);
  });
});
