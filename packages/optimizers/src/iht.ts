/**
 * Iterative hard thresholding (Blumensath & Davies, 2009, "Iterative hard thresholding for
 * compressed sensing"): a gradient step, then keep the k largest magnitudes of each group
 * (the projection onto the set of k-sparse vectors, an L0 budget):
 *
 *   u = θ − lr·d          (d: the gradient, or its momentum)
 *   θ ← u ⊙ topK(|u|, k)  per group
 *
 * Exactly k coordinates per group stay non-zero (ties keep the lower index). A k larger than
 * a group (a tensor's size, or a row's length) is refused with a `ValueError` when the state
 * is made: it would keep everything and silently enforce no sparsity at all. Give parameters
 * of different sizes their own k through parameter groups.
 */
import { add, formatShape, mul, reshape, sub, type Tensor, topKMask, ValueError } from '@sparsekit/tensor';
import type { GradientTransformation, OptimizerSpec, Schedule } from './contract.js';
import { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
import { Optimizer } from './optimizer.js';
import { type CountState, chain, scaleByLearningRate, trace } from './transforms.js';

/** Hyperparameters of {@link IHT}. */
export interface IHTOptions {
  /** Learning rate, or a schedule (default 0.01). */
  lr: number | Schedule;
  /** Non-zeros kept per group, an integer ≥ 0 (default 1). */
  k: number;
  /** The groups: `'tensor'` (default: k per parameter tensor) or `'rows'` (k per row). */
  groups: 'tensor' | 'rows';
  /** Momentum μ in [0, 1) on the gradient (default 0). */
  momentum: number;
}

/** Keeps the k largest magnitudes of θ + u per group, as an update; `op` names it in errors. */
export function hardTopK(k: number, groups: 'tensor' | 'rows', op = 'hardTopK'): GradientTransformation<CountState> {
  if (!Number.isInteger(k) || k < 1) throw new ValueError(op, `k must be an integer >= 1, got ${k}`);
  if (groups !== 'tensor' && groups !== 'rows')
    throw new ValueError(op, `groups must be 'tensor' or 'rows', got ${String(groups)}`);
  return {
    name: 'hardTopK',
    init: (params) => {
      params.forEach((p, i) => {
        const size = groups === 'rows' && p.rank >= 1 ? p.size / p.shape[0] : p.size;
        if (k > size) {
          const what =
            groups === 'rows' && p.rank >= 1
              ? `a row of params[${i}] (shape ${formatShape(p.shape)}) holds ${size}`
              : `params[${i}] (shape ${formatShape(p.shape)}) holds ${size}`;
          throw new ValueError(
            op,
            `k must be at most the size of each group, got k = ${k} where ${what}; give it its own k in a parameter group`,
          );
        }
      });
      return { count: 0 };
    },
    update(updates, state, params) {
      const out = params.map((p, i) => {
        const u = add(p, updates[i]);
        let mask: Tensor;
        if (groups === 'rows' && p.rank >= 1) {
          const d = p.shape[0];
          mask = reshape(topKMask(reshape(u, [d, p.size / d]), k, { axis: 1 }), p.shape);
        } else mask = topKMask(u, k);
        return sub(mul(u, mask), p);
      });
      return { updates: out, state: { count: state.count + 1 } };
    },
  };
}

export const IHT_SPEC: OptimizerSpec<IHTOptions> = {
  name: 'IHT',
  defaults: { lr: 0.01, k: 1, groups: 'tensor', momentum: 0 },
  validate(check) {
    check.learningRate('lr');
    check.count('k', { min: 1 });
    check.oneOf('groups', ['tensor', 'rows'] as const);
    check.rate('momentum');
  },
  transformation: (o) =>
    chain(
      ...(o.momentum > 0 ? [trace({ momentum: o.momentum })] : []),
      scaleByLearningRate(o.lr),
      hardTopK(o.k, o.groups, 'IHT'),
    ),
};

/** Iterative hard thresholding as a pure transformation (see {@link IHT}). */
export const iht = pureForm(IHT_SPEC, 'iht');

/** Iterative hard thresholding: an SGD step, then the top-k magnitudes per group. */
export class IHT extends Optimizer<IHTOptions> {
  constructor(params: OptimizerParams<IHTOptions>, options: OptimizerOptions<IHTOptions> = {}) {
    super(IHT_SPEC, params, options);
  }
}
