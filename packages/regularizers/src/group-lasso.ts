import { mul, reshape, sqrt, square, sum, type Variable, where } from '@sparsekit/autograd';
import {
  add,
  checkOptions,
  div,
  greater,
  relu,
  sub,
  type Tensor,
  mul as tmul,
  where as twhere,
} from '@sparsekit/tensor';
import {
  checkGroupSpec,
  checkGroupsFit,
  type Grouping,
  type GroupSpec,
  groupNorm,
  mapGroups,
  solveSecular,
} from './groups.js';
import { checkedInput, checkLambda, checkProx, type Penalty, tensorOf } from './regularizer.js';

/** Options of {@link groupLasso}. */
export interface GroupLassoOptions {
  /** The groups (default `'rows'`: a Linear weight's output neurons); see {@link GroupSpec}. */
  groups?: GroupSpec;
}

/**
 * The group lasso R(w) = λ Σ_g ‖w_g‖₂ (Yuan & Lin, 2006), which zeroes whole groups: whole
 * neurons (`'rows'`) or whole input features (`'columns'`) of a Linear weight.
 *
 * - subgradient: λ·w_g/‖w_g‖₂ on non-zero groups, 0 on zero groups (the minimum-norm element);
 * - prox, block soft-thresholding (Parikh & Boyd, 2014, §6.5.4):
 *   prox(w, t)_g = max(0, 1 − t·λ/‖w_g‖₂)·w_g.
 *   With a per-coordinate preconditioner s the group is zero when ‖w_g/(t·s_g)‖₂ ≤ λ; otherwise
 *   x_g,i = w_g,i·r/(r + t·sᵢ·λ), where r = ‖x_g‖₂ is the root of Σᵢ w_g,i²/(r + t·sᵢ·λ)² = 1
 *   (from λx/‖x‖ + (x − w)/(t·s) = 0), found per group by Newton's method on the host
 *   (a synchronous read: not on WebGPU).
 */
export function groupLasso(lambda: number, options?: GroupLassoOptions): Penalty {
  checkLambda('groupLasso', lambda);
  checkOptions('groupLasso', options, ['groups']);
  const o = options ?? {};
  const groups = o.groups === undefined ? 'rows' : checkGroupSpec('groupLasso', o.groups);
  return {
    name: 'groupLasso',
    lambda,
    value(w) {
      const x = checkedInput('groupLasso.value', w);
      checkGroupsFit('groupLasso.value', x.shape, groups);
      const squares = groupSquares(x, groups);
      const live = greater(squares.value, 0);
      return mul(sum(mul(sqrt(where(live, squares, 1)), live)), lambda);
    },
    subgradient(w) {
      const x = tensorOf('groupLasso.subgradient', 'w', w);
      return mapGroups('groupLasso.subgradient', x, groups, (t, g) => {
        const norm = groupNorm(t, g);
        return twhere(greater(norm, 0), tmul(div(t, twhere(greater(norm, 0), norm, 1)), lambda), 0);
      });
    },
    prox(w, step, scale) {
      const x = checkProx('groupLasso.prox', w, step, scale);
      if (lambda === 0 || step === 0) return mapGroups('groupLasso.prox', x, groups, (t) => tmul(t, 1));
      if (scale === undefined) {
        return mapGroups('groupLasso.prox', x, groups, (t, g) => {
          const norm = groupNorm(t, g);
          return tmul(
            t,
            twhere(greater(norm, 0), relu(sub(1, div(step * lambda, twhere(greater(norm, 0), norm, 1)))), 0),
          );
        });
      }
      return mapGroups(
        'groupLasso.prox',
        x,
        groups,
        (t, g, s) => {
          const c = tmul(s as Tensor, step * lambda);
          const r = solveSecular(t, c, 1, 1, g);
          const d = add(r, c);
          return twhere(greater(d, 0), div(tmul(t, r), twhere(greater(d, 0), d, 1)), 0);
        },
        scale,
      );
    },
  };
}

/** Σ_g w² per group, through autograd (the group-lasso value's inner sums). */
function groupSquares(w: Variable | Tensor, groups: GroupSpec): Variable {
  const shape = w.shape;
  const n = w.shape.reduce((a, b) => a * b, 1);
  const sq = square(w);
  const grouping: Grouping | 'size' =
    typeof groups === 'object' ? 'size' : groups === 'neurons' ? 'rows' : groups === 'features' ? 'columns' : groups;
  if (grouping === 'tensor' || shape.length === 0) return sum(sq);
  if (grouping === 'size') {
    const k = (groups as { size: number }).size;
    return sum(reshape(sq, [n / k, k]), { axis: 1 });
  }
  if (grouping === 'rows') return sum(reshape(sq, [shape[0], n / shape[0]]), { axis: 1 });
  const d = shape[shape.length - 1];
  return sum(reshape(sq, [n / d, d]), { axis: 0 });
}
