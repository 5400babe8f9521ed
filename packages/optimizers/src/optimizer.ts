import { ShapeError, type Tensor, ValueError, add, checkOptions, describeValue, formatShape, isTensor, keep, maximum, normLInf, tensor, tidy } from '@sparsekit/tensor';
import { HyperparameterCheck } from './validate.js';

/**
 * A node of an optimizer's state: plain data and tensors in arrays and plain objects, so
 * it can be walked, saved and restored without knowing which transformation made it.
 */
export type StateTree = number | boolean | string | null | Tensor | readonly StateTree[] | { readonly [key: string]: StateTree };

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

/** `params[i] + updates[i]` for every parameter (lazy). */
export function applyUpdates(params: readonly Tensor[], updates: readonly Tensor[]): Tensor[] {
  if (!Array.isArray(params)) throw new ValueError('applyUpdates', `params must be an array of Tensors, got ${describeValue(params)}`);
  if (!Array.isArray(updates)) throw new ValueError('applyUpdates', `updates must be an array of Tensors, got ${describeValue(updates)}`);
  params.forEach((p, i) => {
    if (!isTensor(p)) throw new ValueError('applyUpdates', `params[${i}] must be a Tensor, got ${describeValue(p)}`);
    if (i < updates.length && !isTensor(updates[i])) throw new ValueError('applyUpdates', `updates[${i}] must be a Tensor, got ${describeValue(updates[i])}`);
    if (i < updates.length && !sameShape(p.shape, updates[i].shape)) {
      throw new ShapeError('applyUpdates', `updates[${i}] must have the shape of params[${i}] ${formatShape(p.shape)}, got ${formatShape(updates[i].shape)}`);
    }
  });
  if (params.length !== updates.length) {
    throw new ValueError('applyUpdates', `expected one update per parameter (${params.length}), got ${updates.length}`);
  }
  return params.map((p, i) => add(p, updates[i]));
}

/** What {@link applyStep} returns: the new parameters and state, realised. */
export interface StepResult<S extends StateTree = StateTree> {
  params: Tensor[];
  state: S;
}

/** Options of {@link applyStep}. */
export interface ApplyStepOptions {
  /**
   * What a NaN or ±Inf gradient does: `'throw'` (default) a `ValueError`, or `'skip'` the
   * step (the inputs come back unchanged). Either way nothing is consumed.
   */
  nonFinite?: 'throw' | 'skip';
}

/**
 * One step of the pure core done right: `tx.update`, then θ + u, with the new parameters
 * and state realised together (synchronous kernels; every backend but WebGPU, use
 * {@link applyStepAsync} there) and the old ones disposed. The `params` and `state` passed in
 * are consumed — keep only what it returns:
 *
 * ```js
 * ({ params, state } = applyStep(tx, grads, state, params));
 * ```
 *
 * Written by hand, a loop must realise the new values every step (else the update fuses into
 * the next step's kernels, which then compile anew) and free the old state and parameters
 * (else ~10 tensors per parameter leak per step); this helper does both. Gradients stay the
 * caller's. Everything is checked before anything is consumed: one gradient per parameter of
 * its shape, finite (one reduction per gradient, one readback).
 */
export function applyStep<S extends StateTree>(tx: GradientTransformation<S>, grads: readonly Tensor[], state: S, params: readonly Tensor[], options: ApplyStepOptions = {}): StepResult<S> {
  const nonFinite = checkStepInputs('applyStep', tx as GradientTransformation<never>, grads, state, params, options);
  const probe = nonFiniteProbe(grads);
  let finite: boolean;
  try {
    finite = Number.isFinite(probe.itemSync());
  } finally {
    probe.dispose();
  }
  if (!finite) return rejectPure('applyStep', nonFinite, state, params);
  const next = computePure(tx, grads, state, params);
  try {
    for (const t of [...stateTensors(next.state), ...next.params]) t.materializeSync();
  } catch (e) {
    discardPure(next, state);
    throw e;
  }
  return commitPure(next, state, params);
}

/** {@link applyStep} with asynchronous kernels: works on every backend, WebGPU included. */
export async function applyStepAsync<S extends StateTree>(tx: GradientTransformation<S>, grads: readonly Tensor[], state: S, params: readonly Tensor[], options: ApplyStepOptions = {}): Promise<StepResult<S>> {
  const nonFinite = checkStepInputs('applyStepAsync', tx as GradientTransformation<never>, grads, state, params, options);
  const probe = nonFiniteProbe(grads);
  let finite: boolean;
  try {
    finite = Number.isFinite(await probe.item());
  } finally {
    probe.dispose();
  }
  if (!finite) return rejectPure('applyStepAsync', nonFinite, state, params);
  const next = computePure(tx, grads, state, params);
  try {
    for (const t of [...stateTensors(next.state), ...next.params]) await t.materialize();
  } catch (e) {
    discardPure(next, state);
    throw e;
  }
  return commitPure(next, state, params);
}

function checkStepInputs(op: string, tx: GradientTransformation<never>, grads: readonly Tensor[], state: StateTree, params: readonly Tensor[], options: ApplyStepOptions): 'throw' | 'skip' {
  if (tx === null || typeof tx !== 'object' || typeof tx.update !== 'function' || typeof tx.init !== 'function') {
    throw new ValueError(op, `tx must be a gradient transformation (init, update), got ${describeValue(tx)}`);
  }
  checkOptions(op, options, ['nonFinite']);
  const nonFinite = options.nonFinite ?? 'throw';
  if (nonFinite !== 'throw' && nonFinite !== 'skip') throw new ValueError(op, `options.nonFinite must be 'throw' or 'skip', got ${describeValue(nonFinite)}`);
  if (!Array.isArray(params)) throw new ValueError(op, `params must be an array of Tensors, got ${describeValue(params)}`);
  if (!Array.isArray(grads)) throw new ValueError(op, `grads must be an array of Tensors, got ${describeValue(grads)}`);
  if (grads.length !== params.length) throw new ValueError(op, `expected one gradient per parameter (${params.length}), got ${grads.length}`);
  params.forEach((p, i) => {
    if (!isTensor(p)) throw new ValueError(op, `params[${i}] must be a Tensor, got ${describeValue(p)}`);
    if (p.isDisposed) throw new ValueError(op, `params[${i}] was disposed (a previous applyStep consumed it: use the params it returned)`);
    const g = grads[i];
    if (!isTensor(g)) throw new ValueError(op, `grads[${i}] must be a Tensor, got ${describeValue(g)}`);
    if (!sameShape(g.shape, p.shape)) throw new ShapeError(op, `grads[${i}] must have the shape of params[${i}] ${formatShape(p.shape)}, got ${formatShape(g.shape)}`);
  });
  for (const t of stateTensors(state)) {
    if (t.isDisposed) throw new ValueError(op, 'state holds a disposed tensor (a previous applyStep consumed it: use the state it returned)');
  }
  return nonFinite;
}

function rejectPure<S extends StateTree>(op: string, nonFinite: 'throw' | 'skip', state: S, params: readonly Tensor[]): StepResult<S> {
  if (nonFinite === 'skip') return { params: params.slice(), state };
  throw new ValueError(op, "a gradient holds NaN or Inf; the step was rejected and nothing changed (pass nonFinite: 'skip' to skip such steps)");
}

function computePure<S extends StateTree>(tx: GradientTransformation<S>, grads: readonly Tensor[], state: S, params: readonly Tensor[]): StepResult<S> {
  const owned = new Set<Tensor>([...params, ...grads]);
  const r = tidy(() => {
    const res = tx.update(grads, state, params);
    if (!Array.isArray(res?.updates) || res.updates.length !== params.length) {
      throw new ValueError('applyStep', `transformation ${tx.name} returned ${Array.isArray(res?.updates) ? res.updates.length : 'no'} updates for ${params.length} parameters`);
    }
    // A state that holds a parameter or gradient tensor itself would see it freed after the step.
    const next = mapState(res.state, (t) => (owned.has(t) ? add(t, 0) : t));
    return { params: applyUpdates(params, res.updates), state: next as never };
  }) as { params: Tensor[]; state: S };
  for (const t of r.params) keep(t);
  keepState(r.state);
  return r;
}

function discardPure(next: StepResult, old: StateTree): void {
  const keepOld = new Set(stateTensors(old));
  for (const t of stateTensors(next.state)) if (!keepOld.has(t)) t.dispose();
  for (const t of next.params) t.dispose();
}

function commitPure<S extends StateTree>(next: StepResult<S>, old: S, params: readonly Tensor[]): StepResult<S> {
  const survivors = new Set([...stateTensors(next.state), ...next.params]);
  for (const t of stateTensors(old)) if (!survivors.has(t)) t.dispose();
  for (const p of params) if (!survivors.has(p)) p.dispose();
  return next;
}

/**
 * A lazy scalar that is finite exactly when every gradient is: the largest magnitude over
 * all of them (the max reduction propagates NaN, and ±Inf stays infinite). One reduction
 * kernel per gradient, and one readback in all.
 */
export function nonFiniteProbe(grads: readonly Tensor[]): Tensor {
  return tidy(() => {
    let total: Tensor | null = null;
    for (const g of grads) {
      const m = normLInf(g);
      total = total ? maximum(total, m) : m;
    }
    return total ?? tensor(0);
  });
}

/** Disposes every tensor in a state tree. */
export function disposeState(state: StateTree): void {
  for (const t of stateTensors(state)) t.dispose();
}

/** Every tensor in a state tree, depth first. */
export function stateTensors(state: StateTree, out: Tensor[] = []): Tensor[] {
  if (isTensor(state)) out.push(state);
  else if (Array.isArray(state)) for (const x of state) stateTensors(x, out);
  else if (state !== null && typeof state === 'object') for (const x of Object.values(state)) stateTensors(x as StateTree, out);
  return out;
}

/** Rebuilds a state tree with every tensor replaced by `f(tensor)`. */
export function mapState(state: StateTree, f: (t: Tensor) => Tensor): StateTree {
  if (isTensor(state)) return f(state);
  if (Array.isArray(state)) return state.map((x) => mapState(x, f));
  if (state !== null && typeof state === 'object') {
    const out: Record<string, StateTree> = {};
    for (const [k, v] of Object.entries(state)) out[k] = mapState(v as StateTree, f);
    return out;
  }
  return state;
}

// ---------------------------------------------------------------------------------------
// The torch.optim-style surface.

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

/** A group as the optimizer holds it: parameters and the complete hyperparameters. */
export interface ParamGroup<H extends Hyperparameters> {
  readonly params: readonly ParameterLike[];
  readonly options: Readonly<H>;
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

interface PendingStep {
  values: Tensor[][];
  states: StateTree[];
}

/**
 * A stateful optimizer in the style of `torch.optim` over the pure core: it holds parameter
 * groups (each with its own hyperparameters and transformation state), applies one update
 * per {@link Optimizer.step}, and saves and restores its state exactly.
 *
 * A step validates everything before it changes anything: every parameter must have a
 * gradient of its shape, and (by default) every gradient must be finite, checked with one
 * reduction per gradient and one readback. New values and state are computed lazily, realised,
 * and only then swapped in: a step that throws leaves parameters and state as they were.
 */
export class Optimizer<H extends Hyperparameters = Hyperparameters> {
  /** The optimizer's name (`'Adam'`). */
  readonly name: string;
  /** The defaults every group starts from (the constructor's options merged over the spec's). */
  readonly defaults: Readonly<H>;
  /** What a step does on non-finite gradients. */
  readonly nonFinite: 'throw' | 'skip';
  private groups: Array<{ params: ParameterLike[]; options: H; transform: GradientTransformation; state: StateTree }>;
  private readonly spec: OptimizerSpec<H>;
  private disposed = false;

  constructor(spec: OptimizerSpec<H>, params: Iterable<ParameterLike> | ReadonlyArray<ParamGroupInput<H>>, options: Partial<H> & StepOptions = {}) {
    this.spec = spec;
    this.name = spec.name;
    if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ValueError(spec.name, `options must be an object, got ${describeValue(options)}`);
    const { nonFinite = 'throw', ...hyper } = options as Partial<H> & StepOptions;
    if (nonFinite !== 'throw' && nonFinite !== 'skip') {
      throw new ValueError(spec.name, `nonFinite must be 'throw' or 'skip', got ${String(nonFinite)}`);
    }
    this.nonFinite = nonFinite;
    for (const key of Object.keys(hyper)) {
      if (!(key in spec.defaults)) throw new ValueError(spec.name, `unknown option '${key}'; expected one of ${[...Object.keys(spec.defaults), 'nonFinite'].join(', ')}`);
    }
    const defaults = { ...spec.defaults, ...stripUndefined(hyper) } as H;
    spec.validate(new HyperparameterCheck(spec.name, defaults, ''), defaults);
    this.defaults = Object.freeze({ ...defaults });
    const groupInputs = toGroups<H>(spec.name, params);
    const seen = new Set<ParameterLike>();
    const built = groupInputs.map((g, gi) => {
      const { params: ps, ...own } = g;
      for (const key of Object.keys(own)) {
        if (!(key in spec.defaults)) throw new ValueError(spec.name, `paramGroups[${gi}] has unknown option '${key}'`);
      }
      const list = [...ps];
      list.forEach((p, pi) => {
        if (!isParameterLike(p)) throw new ValueError(spec.name, `paramGroups[${gi}].params[${pi}] must be a Parameter (value, grad, assign), got ${describeValue(p)}`);
        if (seen.has(p)) throw new ValueError(spec.name, `paramGroups[${gi}].params[${pi}] appears in more than one place; each parameter may be given once`);
        seen.add(p);
      });
      const merged = { ...defaults, ...stripUndefined(own) } as H;
      spec.validate(new HyperparameterCheck(spec.name, merged, groupInputs.length > 1 || Array.isArray(params) && isGroupList(params) ? `paramGroups[${gi}].` : ''), merged);
      return { params: list, options: merged };
    });
    if (seen.size === 0) throw new ValueError(spec.name, 'params must hold at least one parameter, got none');
    this.groups = built.map((g) => {
      const transform = spec.transformation(g.options);
      const state = keepState(tidy(() => transform.init(g.params.map((p) => p.value)) as never) as StateTree);
      return { ...g, transform, state };
    });
  }

  /** The parameter groups with their complete hyperparameters. */
  get paramGroups(): ReadonlyArray<ParamGroup<H>> {
    return this.groups.map((g) => ({ params: g.params.slice(), options: Object.freeze({ ...g.options }) }));
  }

  /** Every parameter, group by group. */
  parameters(): ParameterLike[] {
    return this.groups.flatMap((g) => g.params);
  }

  /** Drops every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      if (typeof p.zeroGrad === 'function') p.zeroGrad();
      else {
        p.grad?.dispose();
        p.grad = null;
      }
    }
  }

  /**
   * Applies one update from the parameters' gradients, realising the results with
   * synchronous kernels (every backend but WebGPU; use {@link Optimizer.stepAsync} there).
   * Returns false when the step was skipped for non-finite gradients (`nonFinite: 'skip'`).
   */
  step(): boolean {
    this.assertLive('step');
    const grads = this.collectGrads();
    const probe = nonFiniteProbe(grads.flat());
    let finite: boolean;
    try {
      finite = Number.isFinite(probe.itemSync());
    } finally {
      probe.dispose();
    }
    if (!finite) return this.rejectNonFinite();
    const pending = this.compute(grads);
    try {
      for (const t of pendingTensors(pending)) t.materializeSync();
    } catch (e) {
      discard(pending, this.groups.map((g) => g.state));
      throw e;
    }
    this.commit(pending);
    return true;
  }

  /** {@link Optimizer.step} with asynchronous kernels: works on every backend, threads large kernels on webasm. */
  async stepAsync(): Promise<boolean> {
    this.assertLive('stepAsync');
    const grads = this.collectGrads();
    const probe = nonFiniteProbe(grads.flat());
    let finite: boolean;
    try {
      finite = Number.isFinite(await probe.item());
    } finally {
      probe.dispose();
    }
    if (!finite) return this.rejectNonFinite();
    const pending = this.compute(grads);
    try {
      for (const t of pendingTensors(pending)) await t.materialize();
    } catch (e) {
      discard(pending, this.groups.map((g) => g.state));
      throw e;
    }
    this.commit(pending);
    return true;
  }

  /** The state and serialisable hyperparameters, read synchronously (not on WebGPU: use {@link Optimizer.stateDictAsync}). */
  stateDict(): OptimizerStateDict {
    this.assertLive('stateDict');
    return this.buildStateDict((t) => t.dataSync());
  }

  /** {@link Optimizer.stateDict} on every backend. */
  async stateDictAsync(): Promise<OptimizerStateDict> {
    this.assertLive('stateDictAsync');
    const data = new Map<Tensor, Float32Array>();
    for (const g of this.groups) for (const t of stateTensors(g.state)) data.set(t, await t.data());
    return this.buildStateDict((t) => data.get(t) as Float32Array);
  }

  /**
   * Restores a state saved by {@link Optimizer.stateDict} (also from `stateDictFromJSON`):
   * the transformation state and the serialisable hyperparameters (numbers, flags, names;
   * schedules and operators stay as constructed). Everything is checked first (optimizer,
   * groups, parameter shapes, state layout); on any mismatch it throws and changes nothing.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    this.assertLive('loadStateDict');
    const op = `${this.name}.loadStateDict`;
    if (dict === null || typeof dict !== 'object' || dict.format !== 'sparsekit-optimizer') {
      throw new ValueError(op, `expected a state dict with format 'sparsekit-optimizer', got ${dict === null || typeof dict !== 'object' ? describeValue(dict) : `format ${String((dict as { format?: unknown }).format)}`}`);
    }
    if (dict.version !== 1) throw new ValueError(op, `unsupported state dict version ${String(dict.version)} (this build reads version 1)`);
    if (dict.optimizer !== this.name) throw new ValueError(op, `the state dict was saved by ${String(dict.optimizer)}, not ${this.name}`);
    if (!Array.isArray(dict.paramGroups) || dict.paramGroups.length !== this.groups.length || !Array.isArray(dict.state) || dict.state.length !== this.groups.length) {
      throw new ValueError(op, `expected ${this.groups.length} parameter group(s), got ${Array.isArray(dict.paramGroups) ? dict.paramGroups.length : describeValue(dict.paramGroups)}`);
    }
    const plans = this.groups.map((g, gi) => {
      const saved = dict.paramGroups[gi];
      const shapes = saved?.shapes;
      if (!Array.isArray(shapes) || shapes.length !== g.params.length) {
        throw new ValueError(op, `paramGroups[${gi}] has ${g.params.length} parameter(s), the state dict ${Array.isArray(shapes) ? shapes.length : 'none'}`);
      }
      g.params.forEach((p, pi) => {
        if (!sameShape(p.value.shape, shapes[pi])) {
          throw new ShapeError(op, `paramGroups[${gi}].params[${pi}] has shape ${formatShape(p.value.shape)}, the state dict ${Array.isArray(shapes[pi]) ? formatShape(shapes[pi]) : describeValue(shapes[pi])}`);
        }
      });
      const options = { ...g.options } as Record<string, HyperValue>;
      if (saved.options !== undefined && (saved.options === null || typeof saved.options !== 'object' || Array.isArray(saved.options))) {
        throw new ValueError(op, `paramGroups[${gi}].options must be an object, got ${describeValue(saved.options)}`);
      }
      for (const [k, v] of Object.entries(saved.options ?? {})) {
        if (!(k in this.spec.defaults)) throw new ValueError(op, `paramGroups[${gi}] has unknown option '${k}'`);
        if (!isSerialisable((g.options as Record<string, unknown>)[k])) continue;
        // A NaN or ±Inf hyperparameter would be a silent wrong step, not a value to skip.
        if (!isSerialisable(v)) throw new ValueError(op, `paramGroups[${gi}].options.${k} must be a finite number, a flag or a name, got ${describeValue(v)}`);
        options[k] = v;
      }
      this.spec.validate(new HyperparameterCheck(op, options, `paramGroups[${gi}].`), options as H);
      const transform = this.spec.transformation(options as H);
      const template = tidy(() => transform.init(g.params.map((p) => p.value)) as never) as StateTree;
      try {
        checkLayout(op, `state[${gi}]`, dict.state[gi], template);
      } finally {
        disposeState(template);
      }
      return { options: options as H, transform, saved: dict.state[gi] };
    });
    plans.forEach((plan, gi) => {
      const g = this.groups[gi];
      const state = keepState(decodeState(plan.saved));
      disposeState(g.state);
      g.state = state;
      g.options = plan.options;
      g.transform = plan.transform;
    });
  }

  /** Frees the optimizer's state tensors; the optimizer cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    for (const g of this.groups) disposeState(g.state);
    this.disposed = true;
  }

  private assertLive(op: string): void {
    if (this.disposed) throw new ValueError(`${this.name}.${op}`, 'the optimizer was disposed');
  }

  private collectGrads(): Tensor[][] {
    return this.groups.map((g, gi) =>
      g.params.map((p, pi) => {
        const grad = p.grad;
        if (grad === null || grad === undefined) {
          throw new ValueError(this.name, `paramGroups[${gi}].params[${pi}] (shape ${formatShape(p.value.shape)}) has no gradient: run backward() first, or leave parameters that get none out of the optimizer`);
        }
        if (!isTensor(grad)) throw new ValueError(this.name, `paramGroups[${gi}].params[${pi}].grad must be a Tensor, got ${describeValue(grad)}`);
        if (!sameShape(grad.shape, p.value.shape)) {
          throw new ShapeError(this.name, `paramGroups[${gi}].params[${pi}] has shape ${formatShape(p.value.shape)} but its gradient ${formatShape(grad.shape)}`);
        }
        return grad;
      }),
    );
  }

  private rejectNonFinite(): boolean {
    if (this.nonFinite === 'skip') return false;
    throw new ValueError(this.name, "a gradient holds NaN or Inf; the step was rejected and nothing changed (pass nonFinite: 'skip' to skip such steps silently)");
  }

  private compute(grads: Tensor[][]): PendingStep {
    const pending: PendingStep = { values: [], states: [] };
    try {
      this.groups.forEach((g, gi) => {
        const params = g.params.map((p) => p.value);
        const owned = new Set<Tensor>([...params, ...grads[gi]]);
        const r = tidy(() => {
          const res = g.transform.update(grads[gi], g.state, params);
          if (!Array.isArray(res?.updates) || res.updates.length !== params.length) {
            throw new ValueError(this.name, `transformation ${g.transform.name} returned ${Array.isArray(res?.updates) ? res.updates.length : 'no'} updates for ${params.length} parameters`);
          }
          // A state that holds a parameter or gradient tensor itself would see it freed after the step.
          const state = mapState(res.state, (t) => (owned.has(t) ? add(t, 0) : t));
          return { values: applyUpdates(params, res.updates), state: state as never };
        }) as { values: Tensor[]; state: StateTree };
        pending.values.push(r.values.map((t) => keep(t)));
        pending.states.push(keepState(r.state));
      });
    } catch (e) {
      discard(pending, this.groups.map((g) => g.state));
      throw e;
    }
    return pending;
  }

  private commit(pending: PendingStep): void {
    this.groups.forEach((g, gi) => {
      const next = pending.states[gi];
      const survivors = new Set(stateTensors(next));
      for (const t of stateTensors(g.state)) if (!survivors.has(t)) t.dispose();
      g.state = next;
      g.params.forEach((p, pi) => p.assign(pending.values[gi][pi]));
    });
  }

  private buildStateDict(read: (t: Tensor) => Float32Array): OptimizerStateDict {
    return {
      format: 'sparsekit-optimizer',
      version: 1,
      optimizer: this.name,
      paramGroups: this.groups.map((g) => ({
        options: Object.fromEntries(Object.entries(g.options).filter(([, v]) => isSerialisable(v))) as Record<string, number | boolean | string>,
        shapes: g.params.map((p) => [...p.value.shape]),
      })),
      state: this.groups.map((g) => encodeState(g.state, read)),
    };
  }
}

// ---------------------------------------------------------------------------------------
// State encoding.

/** A tensor inside a state dict. */
export interface EncodedTensor {
  $tensor: { shape: number[]; data: Float32Array | number[] };
}

function encodeState(state: StateTree, read: (t: Tensor) => Float32Array): unknown {
  if (isTensor(state)) return { $tensor: { shape: [...state.shape], data: read(state) } };
  if (Array.isArray(state)) return state.map((x) => encodeState(x, read));
  if (state !== null && typeof state === 'object') {
    return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, encodeState(v as StateTree, read)]));
  }
  return state;
}

function isEncodedTensor(x: unknown): x is EncodedTensor {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && '$tensor' in (x as object);
}

function decodeState(x: unknown): StateTree {
  if (isEncodedTensor(x)) return tensor(Float32Array.from(x.$tensor.data as ArrayLike<number>), x.$tensor.shape);
  if (Array.isArray(x)) return x.map(decodeState);
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, decodeState(v)]));
  return x as StateTree;
}

function checkLayout(op: string, path: string, saved: unknown, template: StateTree): void {
  if (isTensor(template)) {
    if (!isEncodedTensor(saved)) throw new ValueError(op, `${path} should be a tensor of shape ${formatShape(template.shape)}, got ${describeValue(saved)}`);
    const { shape, data } = saved.$tensor;
    if (!Array.isArray(shape) || !sameShape(shape, template.shape)) {
      throw new ShapeError(op, `${path} should have shape ${formatShape(template.shape)}, got ${Array.isArray(shape) ? formatShape(shape) : describeValue(shape)}`);
    }
    if (!data || typeof (data as ArrayLike<number>).length !== 'number' || (data as ArrayLike<number>).length !== template.size) {
      throw new ValueError(op, `${path} should hold ${template.size} values, got ${data && typeof (data as ArrayLike<number>).length === 'number' ? (data as ArrayLike<number>).length : describeValue(data)}`);
    }
    // A NaN or ±Inf moment would make the next step write NaN into the parameters.
    const values = data as ArrayLike<unknown>;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(op, `${path} must hold finite numbers, got ${describeValue(v)} at element ${i}`);
    }
    return;
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(saved) || saved.length !== template.length) {
      throw new ValueError(op, `${path} should be a list of ${template.length}, got ${Array.isArray(saved) ? `a list of ${saved.length}` : describeValue(saved)}`);
    }
    template.forEach((t, i) => checkLayout(op, `${path}[${i}]`, saved[i], t));
    return;
  }
  if (template !== null && typeof template === 'object') {
    if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) throw new ValueError(op, `${path} should be an object, got ${describeValue(saved)}`);
    for (const [k, t] of Object.entries(template)) checkLayout(op, `${path}.${k}`, (saved as Record<string, unknown>)[k], t as StateTree);
    return;
  }
  if (typeof saved !== typeof template || (typeof saved === 'number' && !Number.isFinite(saved))) {
    throw new ValueError(op, `${path} should be a ${template === null ? 'null' : typeof template}, got ${describeValue(saved)}`);
  }
}

/** A state dict as JSON text (tensor data as number arrays; float32 values survive exactly). */
export function stateDictToJSON(dict: OptimizerStateDict): string {
  if (dict === null || typeof dict !== 'object' || (dict as { format?: unknown }).format !== 'sparsekit-optimizer') {
    throw new ValueError('stateDictToJSON', `dict must be a state dict from stateDict(), got ${describeValue(dict)}`);
  }
  return JSON.stringify(dict, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v));
}

/** Parses {@link stateDictToJSON}'s text back into a state dict. */
export function stateDictFromJSON(text: string): OptimizerStateDict {
  if (typeof text !== 'string') throw new ValueError('stateDictFromJSON', `text must be a string of JSON, got ${describeValue(text)}`);
  let dict: unknown;
  try {
    dict = JSON.parse(text, (k, v) => (k === 'data' && Array.isArray(v) ? Float32Array.from(v) : v));
  } catch (e) {
    throw new ValueError('stateDictFromJSON', `text is not valid JSON (${(e as Error).message})`);
  }
  if (dict === null || typeof dict !== 'object' || (dict as { format?: unknown }).format !== 'sparsekit-optimizer') {
    throw new ValueError('stateDictFromJSON', `text must hold a state dict with format 'sparsekit-optimizer', got ${describeValue(dict)}`);
  }
  return dict as OptimizerStateDict;
}

// ---------------------------------------------------------------------------------------
// Helpers.

function keepState(state: StateTree): StateTree {
  for (const t of stateTensors(state)) keep(t);
  return state;
}

function pendingTensors(p: PendingStep): Tensor[] {
  // State first: a parameter's new value then reads the new moments instead of recomputing them.
  return [...p.states.flatMap((s) => stateTensors(s)), ...p.values.flat()];
}

function discard(p: PendingStep, keepStates: StateTree[] = []): void {
  const old = new Set(keepStates.flatMap((s) => stateTensors(s)));
  for (const s of p.states) for (const t of stateTensors(s)) if (!old.has(t)) t.dispose();
  for (const t of p.values.flat()) t.dispose();
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// Finite numbers only: JSON has no Infinity, and a state dict must survive JSON.
function isSerialisable(v: unknown): v is number | boolean | string {
  return (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean' || typeof v === 'string';
}

function isParameterLike(p: unknown): p is ParameterLike {
  return p !== null && typeof p === 'object' && isTensor((p as ParameterLike).value) && typeof (p as ParameterLike).assign === 'function';
}

function isGroupList(x: unknown): boolean {
  return Array.isArray(x) && x.length > 0 && x.every((g) => g !== null && typeof g === 'object' && 'params' in g && !isParameterLike(g));
}

function toGroups<H extends Hyperparameters>(op: string, params: Iterable<ParameterLike> | ReadonlyArray<ParamGroupInput<H>>): Array<ParamGroupInput<H>> {
  if (params === null || typeof params !== 'object' || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new ValueError(op, `params must be an iterable of parameters or an array of { params, ...options } groups, got ${describeValue(params)}`);
  }
  const list = [...(params as Iterable<unknown>)];
  if (isGroupList(list)) {
    return list.map((g, gi) => {
      const ps = (g as ParamGroupInput<H>).params;
      if (ps === null || typeof ps !== 'object' || typeof (ps as Iterable<unknown>)[Symbol.iterator] !== 'function') {
        throw new ValueError(op, `paramGroups[${gi}].params must be an iterable of parameters, got ${describeValue(ps)}`);
      }
      return g as ParamGroupInput<H>;
    });
  }
  return [{ params: list as ParameterLike[] } as unknown as ParamGroupInput<H>];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
export { HyperparameterCheck } from './validate.js';
