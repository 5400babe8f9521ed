import { add, checkOptions, div, greater, max, mul, type Tensor, where, zeros } from '@sparsekit/tensor';
import { checkGroupSpec, type GroupSpec, groupNorm, groupView, mapGroups, solveSecular } from './groups.js';
import { checkProx, checkRadius, indicatorValue, type Projection, tensorOf } from './regularizer.js';

/** Relative slack of the indicator's membership test, for points a float32 projection just produced. */
const BALL_TOLERANCE = 1e-5;

/**
 * The L2 ball ‖w‖₂ ≤ radius.
 *
 * - project: w·min(1, radius/‖w‖₂);
 * - prox with a preconditioner s (the projection in the metric Σ (xᵢ − wᵢ)²/sᵢ): wᵢ/(1 + μ·sᵢ)
 *   with μ ≥ 0 the root of Σ wᵢ²/(1 + μ·sᵢ)² = radius² (0 inside the ball), by Newton's method
 *   on the host (a synchronous read: not on WebGPU).
 */
export function projectL2Ball(radius: number): Projection {
  checkRadius('projectL2Ball', radius);
  return ball('projectL2Ball', 'l2Ball', radius, 'tensor');
}

/** Options of {@link projectMaxNorm}. */
export interface MaxNormOptions {
  /** The groups whose norms are capped (default `'rows'`: a Linear weight's output neurons); see {@link GroupSpec}. */
  groups?: GroupSpec;
}

/**
 * The max-norm constraint ‖w_g‖₂ ≤ radius for every group — by default every neuron's
 * incoming weight vector (Srebro, Rennie & Jaakkola, 2005; with dropout, Srivastava et al.,
 * 2014; Keras' `MaxNorm`). Projection and prox are {@link projectL2Ball}'s, group by group.
 */
export function projectMaxNorm(radius: number, options?: MaxNormOptions): Projection {
  checkRadius('projectMaxNorm', radius);
  checkOptions('projectMaxNorm', options, ['groups']);
  const o = options ?? {};
  const groups = o.groups === undefined ? 'rows' : checkGroupSpec('projectMaxNorm', o.groups);
  return ball('projectMaxNorm', 'maxNorm', radius, groups);
}

function ball(op: string, name: string, radius: number, groups: GroupSpec): Projection {
  const project = (fn: string, x: Tensor): Tensor =>
    mapGroups(fn, x, groups, (t, g) => {
      const norm = groupNorm(t, g);
      const outside = greater(norm, radius);
      return mul(t, where(outside, div(radius, where(outside, norm, 1)), 1));
    });
  return {
    name,
    project: (w) => project(`${op}.project`, tensorOf(`${op}.project`, 'w', w)),
    prox(w, step, scale) {
      const x = checkProx(`${op}.prox`, w, step, scale);
      if (scale === undefined) return project(`${op}.prox`, x);
      return mapGroups(
        `${op}.prox`,
        x,
        groups,
        (t, g, s) => {
          const mu = solveSecular(t, 1, s as Tensor, 1 / radius, g);
          return div(t, add(mul(mu, s as Tensor), 1));
        },
        scale,
      );
    },
    value(w) {
      const x = tensorOf(`${op}.value`, 'w', w);
      const { x: view, grouping } = groupView(`${op}.value`, x, groups);
      return indicatorValue(greater(max(groupNorm(view, grouping)), radius * (1 + BALL_TOLERANCE)));
    },
    subgradient: (w) => zeros(tensorOf(`${op}.subgradient`, 'w', w).shape),
  };
}
