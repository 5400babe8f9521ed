/**
 * The optimizer contract: the types a transformation, an optimizer class and a parameter
 * agree on. Types only; the machinery lives in `step.ts` (one step), `state.ts` (state
 * trees and state dicts) and `optimizer.ts` (the torch-style class).
 */
import type { Tensor } from '@sparsekit/tensor';
import type { HyperparameterCheck } from './validate.js';

/**
 * A node of an optimizer's state: plain data and tensors in arrays and plain objects, so
 * it can be walked, saved and restored without knowing which transformation made it.
 */
export type StateTree =
  | number
  | boolean
  | string
  | null
  | Tensor
  | readonly StateTree[]
  | { readonly [key: string]: StateTree };

/** What {@link GradientTransformation.update} returns: the updates to add to the parameters and the next state. */
export interface UpdateResult<S extends StateTree = StateTree> {
  /** One update per parameter, same shapes; the new parameter value is `param + update`. */
  updates: Tensor[];
  /** The next state. The input state is never modified. */
  state: S;
}

/**
 * The optimizer contract, after optax: two pure functions over lists of tensors.
 * `init(params)` makes the state; `update(grads, state, params)` turns gradients into
 * updates (to be added to the parameters) and the next state. Neither reads data back or
 * mutates its inputs: the results are lazy tensors, so a whole step fuses into few kernels.
 *
 * A transformation must not put the parameter or gradient tensors it was given into its
 * state (they are replaced or freed after the step): store a computed tensor instead.
 */
export interface GradientTransformation<S extends StateTree = StateTree> {
  /** A short name for messages (`'scaleByAdam'`, `'chain(…)'`). */
  readonly name: string;
  init(params: readonly Tensor[]): S;
  update(grads: readonly Tensor[], state: S, params: readonly Tensor[]): UpdateResult<S>;
}

/** What an optimizer updates: an `@sparsekit/autograd` `Parameter`, or anything shaped like one. */
export interface ParameterLike {
  /** The current value. */
  readonly value: Tensor;
  /** The gradient of the last backward pass, or null. */
  grad: Tensor | null;
  /** Replaces the value (and disposes the old one). */
  assign(value: Tensor): void;
  /** Drops the gradient (optional: `grad = null` after disposing it otherwise). */
  zeroGrad?(): void;
}

/** A learning-rate schedule: the rate for the update that follows `count` earlier updates (0-based). */
export type Schedule = (count: number) => number;

/** A hyperparameter value: numbers, flags, names, schedules, or objects such as a proximal operator. */
export type HyperValue = number | boolean | string | Schedule | object | undefined;

/** Hyperparameters of one optimizer: an object of named {@link HyperValue}s. */
export type Hyperparameters = object;

/** A parameter group: its parameters and the hyperparameters that differ from the optimizer's defaults. */
export type ParamGroupInput<H extends Hyperparameters> = { params: Iterable<ParameterLike> } & Partial<H>;

/** A group as the optimizer holds it: parameters, the complete hyperparameters, and the pure transformation its steps apply. */
export interface ParamGroup<H extends Hyperparameters> {
  readonly params: readonly ParameterLike[];
  readonly options: Readonly<H>;
  /** The group's {@link GradientTransformation} (what the conformance kit holds to "never mutates its input state"). */
  readonly transformation: GradientTransformation;
}

/** Options every stateful optimizer takes besides its hyperparameters. */
export interface StepOptions {
  /**
   * What a step does when a gradient holds NaN or ±Inf: `'throw'` (default) a
   * `ValueError`, or `'skip'` the step (`step()` returns false). Either way nothing changes.
   */
  nonFinite?: 'throw' | 'skip';
}

/** How an optimizer class is made from a transformation: name, defaults, validation, and the transformation per group. */
export interface OptimizerSpec<H extends Hyperparameters> {
  /** Class name for messages and state dicts (`'Adam'`). */
  name: string;
  /** Every hyperparameter with its default. */
  defaults: H;
  /** Throws a `ValueError` naming the first bad hyperparameter (use the checker's methods). */
  validate(check: HyperparameterCheck, options: H): void;
  /** The pure transformation for one group's hyperparameters. */
  transformation(options: H): GradientTransformation;
}

/** The saved state of an optimizer: plain data and `Float32Array`s (see `stateDictToJSON`). */
export interface OptimizerStateDict {
  format: 'sparsekit-optimizer';
  version: 1;
  /** The optimizer's name (`'Adam'`). */
  optimizer: string;
  /** Per group: the serialisable hyperparameters and the shapes of its parameters. */
  paramGroups: Array<{ options: Record<string, number | boolean | string>; shapes: number[][] }>;
  /** Per group: the transformation's state, tensors encoded as `{ $tensor: { shape, data } }`. */
  state: unknown[];
}
