/**
 * Whole-step shortcuts. Optax's chain `scaleByAdam → scaleByLearningRate`, then θ + u, costs a
 * pass that writes Adam's direction and one more that reads it back with θ; the tensor
 * package's `adamStep` gives bitwise the same θ′ in the first pass (on the `wasm` backend: one
 * kernel over θ, g, m and v). A transformation offers such a shortcut under
 * {@link APPLY_SCALED}, `scaleByLearningRate` names its rate under {@link LEARNING_RATE}, and
 * {@link chain} (transforms.ts) joins a chain ending in the two into {@link APPLY}, which the
 * step (step.ts) uses in place of `update` + `applyUpdates`. Nothing of this is public: the pure
 * core reads as before, and a chain without the pair steps as before.
 * @internal
 */
import type { Tensor } from '@sparsekit/tensor';
import type { GradientTransformation, StateTree } from './contract.js';

/** The state of a transformation that counts its updates. @internal */
type CountLike = { readonly count: number };

/**
 * New parameters and state straight from gradients, state and parameters, in two phases: the
 * call runs everything that may throw (earlier transformations, the learning-rate schedule)
 * and consumes nothing; the function it returns computes the step, and may consume the
 * parameters and state (dispose them, reusing their memory), which the step disposes after
 * anyway. The step calls every group's first phase before any group's second. @internal
 */
export type Apply<S extends StateTree = StateTree> = (
  grads: readonly Tensor[],
  state: S,
  params: readonly Tensor[],
) => () => { params: Tensor[]; state: S };

/** {@link Apply} given the learning rate of the scaleByLearningRate that follows. @internal */
export type ApplyScaled<S extends StateTree = StateTree> = (
  grads: readonly Tensor[],
  state: S,
  params: readonly Tensor[],
  rate: number,
) => { params: Tensor[]; state: S };

/** Where a transformation keeps its {@link ApplyScaled}. @internal */
export const APPLY_SCALED: unique symbol = Symbol('sparsekit.optimizers.applyScaled');
/** Where scaleByLearningRate keeps its step: the rate for a state, and the next state. @internal */
export const LEARNING_RATE: unique symbol = Symbol('sparsekit.optimizers.learningRate');
/** Where a chain keeps its {@link Apply}. @internal */
export const APPLY: unique symbol = Symbol('sparsekit.optimizers.apply');

/** A transformation that may carry the shortcuts. @internal */
export type Fusable<S extends StateTree = StateTree> = GradientTransformation<S> & {
  [APPLY_SCALED]?: ApplyScaled<S>;
  [LEARNING_RATE]?: (state: CountLike) => { rate: number; state: CountLike };
  [APPLY]?: Apply<S>;
};
