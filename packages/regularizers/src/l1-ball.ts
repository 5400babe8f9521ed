import { add, greater, mul, normL1, softThreshold, type Tensor, ValueError, zeros } from '@sparsekit/tensor';
import { checkProx, checkRadius, indicatorValue, type Projection, tensorOf } from './regularizer.js';

/** Relative slack of the indicator's membership test, for points a float32 projection just produced. */
const BALL_TOLERANCE = 1e-5;

/**
 * The L1 ball ‖w‖₁ ≤ radius, projected onto exactly.
 *
 * - project: soft-thresholding sign(w)·max(|w| − θ, 0) with θ = 0 inside the ball, else the
 *   θ > 0 that lands on the sphere, found by sorting |w| in decreasing order u₁ ≥ u₂ ≥ … and
 *   taking ρ = max{j : u_j > (Σ_{i≤j} uᵢ − radius)/j}, θ = (Σ_{i≤ρ} uᵢ − radius)/ρ (Held,
 *   Wolfe & Crowder, 1974; Duchi, Shalev-Shwartz, Singer & Chandra, 2008), O(n log n).
 * - prox with a preconditioner s (the projection in the metric Σ (xᵢ − wᵢ)²/sᵢ):
 *   sign(w)·max(|w| − θ·s, 0), the same search over the breakpoints |wᵢ|/sᵢ with
 *   θ = (Σ_{i≤ρ} |wᵢ| − radius)/Σ_{i≤ρ} sᵢ.
 *
 * θ is found on the host (the tensor is read back synchronously, so not on WebGPU, whose
 * reads are asynchronous); the thresholding runs as a kernel.
 */
export function projectL1Ball(radius: number): Projection {
  checkRadius('projectL1Ball', radius);
  const project = (op: string, x: Tensor, scale?: Tensor): Tensor => {
    const values = x.dataSync();
    const weights = scale === undefined ? undefined : add(mul(x, 0), scale).dataSync();
    const theta = l1BallThreshold(op, values, weights, radius);
    return softThreshold(x, weights === undefined ? theta : mul(scale as Tensor, theta));
  };
  return {
    name: 'l1Ball',
    project: (w) => project('projectL1Ball.project', tensorOf('projectL1Ball.project', 'w', w)),
    prox: (w, step, scale) => project('projectL1Ball.prox', checkProx('projectL1Ball.prox', w, step, scale), scale),
    value: (w) =>
      indicatorValue(greater(normL1(tensorOf('projectL1Ball.value', 'w', w)), radius * (1 + BALL_TOLERANCE))),
    subgradient: (w) => zeros(tensorOf('projectL1Ball.subgradient', 'w', w).shape),
  };
}

/** θ of the (weighted) L1-ball projection; 0 when w is inside. */
function l1BallThreshold(op: string, w: Float32Array, s: Float32Array | undefined, radius: number): number {
  let total = 0;
  for (let i = 0; i < w.length; i++) {
    const a = Math.abs(w[i]);
    if (!Number.isFinite(a)) throw new ValueError(op, `w must be finite, got ${w[i]} at index ${i}`);
    if (s !== undefined && !(s[i] > 0 && Number.isFinite(s[i])))
      throw new ValueError(op, `scale must be finite and > 0, got ${s[i]} at index ${i}`);
    total += a;
  }
  if (total <= radius) return 0;
  // Breakpoints |wᵢ|/sᵢ in decreasing order; θ_j = (Σ_{i≤j} |wᵢ| − r)/Σ_{i≤j} sᵢ is valid while it stays below the j-th breakpoint.
  const order = Array.from(w.keys()).sort((i, j) => Math.abs(w[j]) / (s?.[j] ?? 1) - Math.abs(w[i]) / (s?.[i] ?? 1));
  let sumA = 0;
  let sumS = 0;
  let theta = 0;
  for (const i of order) {
    const si = s?.[i] ?? 1;
    const a = Math.abs(w[i]);
    const next = (sumA + a - radius) / (sumS + si);
    if (a / si <= next) break;
    sumA += a;
    sumS += si;
    theta = next;
  }
  return theta;
}
