/**
 * Small gradient transformations, composed with {@link chain} into optimizers (after optax's
 * `chain`, `scale_by_learning_rate`, `add_decayed_weights`, `clip_by_global_norm`, `trace`).
 * Every one is a pure `init` / `update` pair over lists of lazy tensors.
 */
import {
  add,
  checkOptions,
  describeValue,
  div,
  maximum,
  mul,
  sqrt,
  sub,
  sum,
  type Tensor,
  tidy,
  ValueError,
  zeros,
} from '@sparsekit/tensor';
import type { GradientTransformation, Schedule, StateTree, UpdateResult } from './contract.js';
import { APPLY, APPLY_SCALED, type Apply, type Fusable, LEARNING_RATE } from './fused.js';
import type { Prox } from './prox.js';

/** State of the transformations that only count their updates. */
export type CountState = {
  readonly count: number;
  readonly [key: string]: StateTree;
};

/**
 * Runs transformations one after another: each one's updates are the next one's gradients.
 * The state is the list of their states.
 */
export function chain(...transforms: GradientTransformation[]): GradientTransformation<StateTree[]> {
  transforms.forEach((t, i) => {
    if (!t || typeof t.init !== 'function' || typeof t.update !== 'function') {
      throw new ValueError(
        'chain',
        `argument ${i} must be a gradient transformation (init, update), got ${describeValue(t)}`,
      );
    }
  });
  // every transformation but the last `skip` ones: their updates and states
  const run = (grads: readonly Tensor[], state: StateTree[], params: readonly Tensor[], skip: number) => {
    let updates: readonly Tensor[] = grads;
    const next: StateTree[] = [];
    transforms.slice(0, transforms.length - skip).forEach((t, i) => {
      const r: UpdateResult = t.update(updates, state[i], params);
      updates = r.updates;
      next.push(r.state);
    });
    return { updates: updates as Tensor[], next };
  };
  const out: Fusable<StateTree[]> = {
    name: `chain(${transforms.map((t) => t.name).join(', ')})`,
    init: (params) => transforms.map((t) => t.init(params)),
    update(grads, state, params) {
      const { updates, next } = run(grads, state, params, 0);
      return { updates, state: next };
    },
  };
  // …, X, scaleByLearningRate(lr) where X has a whole-step shortcut (fused.ts): the same
  // updates up to X, then X's shortcut at lr, and scaleByLearningRate's own state
  const [pre, last] = transforms.length >= 2 ? (transforms.slice(-2) as Fusable[]) : [];
  const applyScaled = pre?.[APPLY_SCALED];
  const lrStep = last?.[LEARNING_RATE];
  if (applyScaled && lrStep) {
    const apply: Apply<StateTree[]> = (grads, state, params) => {
      const { updates, next } = run(grads, state, params, 2);
      const lr = lrStep(state[state.length - 1] as CountState);
      return () => {
        const r = applyScaled(updates, state[state.length - 2], params, lr.rate);
        return { params: r.params, state: [...next, r.state, lr.state] };
      };
    };
    out[APPLY] = apply;
  }
  return out;
}

/** Passes gradients through unchanged (a placeholder in a chain). */
export function identity(): GradientTransformation<null> {
  return { name: 'identity', init: () => null, update: (grads) => ({ updates: grads.slice(), state: null }) };
}

/** Multiplies the updates by a constant. */
export function scale(factor: number): GradientTransformation<null> {
  if (typeof factor !== 'number' || !Number.isFinite(factor))
    throw new ValueError('scale', `factor must be a finite number, got ${describeValue(factor)}`);
  return {
    name: 'scale',
    init: () => null,
    update: (grads) => ({ updates: grads.map((g) => mul(g, factor)), state: null }),
  };
}

/** The learning rate for the update after `count` earlier ones: the number, or the schedule's value (checked). */
export function learningRateAt(lr: number | Schedule, count: number, op = 'schedule'): number {
  if (typeof lr === 'number') return lr;
  const v = lr(count);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ValueError(
      op,
      `the learning-rate schedule must return a finite number >= 0, got ${String(v)} at step ${count}`,
    );
  }
  return v;
}

/**
 * Multiplies the updates by −lr (a descent step), with lr a number or a {@link Schedule}
 * evaluated at the number of earlier updates.
 */
export function scaleByLearningRate(lr: number | Schedule): GradientTransformation<CountState> {
  if (typeof lr !== 'function' && !(typeof lr === 'number' && Number.isFinite(lr) && lr > 0)) {
    throw new ValueError(
      'scaleByLearningRate',
      `lr must be a finite number > 0 or a schedule, got ${describeValue(lr)}`,
    );
  }
  const step = (state: { readonly count: number }) => ({
    rate: learningRateAt(lr, state.count, 'scaleByLearningRate'),
    state: { count: state.count + 1 },
  });
  const out: Fusable<CountState> = {
    name: 'scaleByLearningRate',
    init: () => ({ count: 0 }),
    update(grads, state) {
      const r = step(state);
      return { updates: grads.map((g) => mul(g, -r.rate)), state: r.state };
    },
  };
  out[LEARNING_RATE] = step;
  return out;
}

/**
 * Adds `weightDecay · θ` to the updates. Before the preconditioner it is coupled L2
 * regularisation (PyTorch's `weight_decay` in SGD/Adam); after it and before the learning
 * rate, decoupled weight decay (AdamW).
 */
export function addDecayedWeights(weightDecay: number): GradientTransformation<null> {
  if (typeof weightDecay !== 'number' || !(Number.isFinite(weightDecay) && weightDecay >= 0)) {
    throw new ValueError(
      'addDecayedWeights',
      `weightDecay must be a finite number >= 0, got ${describeValue(weightDecay)}`,
    );
  }
  return {
    name: 'addDecayedWeights',
    init: () => null,
    update(grads, state, params) {
      if (weightDecay === 0) return { updates: grads.slice(), state };
      return { updates: grads.map((g, i) => add(g, mul(params[i], weightDecay))), state };
    },
  };
}

/**
 * Scales all updates together so their global L2 norm is at most `maxNorm`:
 * u ← u · min(1, maxNorm / ‖u‖₂). The norm stays on the device (a lazy scalar).
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<null> {
  if (typeof maxNorm !== 'number' || !(Number.isFinite(maxNorm) && maxNorm > 0))
    throw new ValueError('clipByGlobalNorm', `maxNorm must be a finite number > 0, got ${describeValue(maxNorm)}`);
  return {
    name: 'clipByGlobalNorm',
    init: () => null,
    update(grads, state) {
      const factor = tidy(() => {
        let sq: Tensor | null = null;
        for (const g of grads) {
          const s = sum(mul(g, g));
          sq = sq ? add(sq, s) : s;
        }
        const norm = sqrt(sq as Tensor);
        // maxNorm / max(norm, maxNorm) = min(1, maxNorm / norm), and 1 when the norm is 0.
        return div(maxNorm, maximum(norm, maxNorm));
      });
      const updates = grads.map((g) => mul(g, factor));
      factor.dispose();
      return { updates, state };
    },
  };
}

/**
 * Momentum as in `torch.optim.SGD`: b ← μ·b + (1 − dampening)·g (b = g on the first
 * step); the update is b, or g + μ·b with Nesterov momentum (Sutskever et al., 2013).
 */
export function trace(options: {
  momentum: number;
  dampening?: number;
  nesterov?: boolean;
}): GradientTransformation<{ count: number; momentum: Tensor[] }> {
  if (options === null || typeof options !== 'object')
    throw new ValueError(
      'trace',
      `options must be an object { momentum, dampening?, nesterov? }, got ${describeValue(options)}`,
    );
  checkOptions('trace', options, ['momentum', 'dampening', 'nesterov']);
  const { momentum, dampening = 0, nesterov = false } = options;
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum < 1))
    throw new ValueError('trace', `momentum must be a finite number >= 0 and < 1, got ${describeValue(momentum)}`);
  if (typeof dampening !== 'number' || !(dampening >= 0 && dampening <= 1))
    throw new ValueError('trace', `dampening must be a number in [0, 1], got ${describeValue(dampening)}`);
  if (typeof nesterov !== 'boolean')
    throw new ValueError('trace', `nesterov must be true or false, got ${describeValue(nesterov)}`);
  return {
    name: 'trace',
    init: (params) => ({ count: 0, momentum: params.map((p) => zeros(p.shape)) }),
    update(grads, state) {
      const bufs = grads.map((g, i) =>
        state.count === 0
          ? add(g, 0)
          : add(mul(state.momentum[i], momentum), dampening === 0 ? g : mul(g, 1 - dampening)),
      );
      const updates = nesterov ? grads.map((g, i) => add(g, mul(bufs[i], momentum))) : bufs.slice();
      return { updates, state: { count: state.count + 1, momentum: bufs } };
    },
  };
}

/**
 * A proximal step after a descent step: with u the incoming (already scaled) update,
 * θ' = prox(θ + u, lr), returned as the update θ' − θ. Place it last in a chain.
 * Exact zeros of the prox stay exact: θ + (0 − θ) = 0 in floating point.
 */
export function applyProx(prox: Prox, lr: number | Schedule): GradientTransformation<CountState> {
  if (!prox || typeof prox.prox !== 'function')
    throw new ValueError(
      'applyProx',
      `prox must have a prox(w, step, scale?) method, got ${prox === null ? 'null' : typeof prox}`,
    );
  return {
    name: 'applyProx',
    init: () => ({ count: 0 }),
    update(grads, state, params) {
      const rate = learningRateAt(lr, state.count, 'applyProx');
      const updates = grads.map((u, i) => sub(prox.prox(add(params[i], u), rate), params[i]));
      return { updates, state: { count: state.count + 1 } };
    },
  };
}
