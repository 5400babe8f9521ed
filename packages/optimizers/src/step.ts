/**
 * One optimizer step, written once. {@link stepPlan} is a generator that yields each tensor
 * it needs realised (the finiteness probe to read, then the new state and parameters) and
 * is resumed with the result; {@link runSync} drives it with synchronous kernels and
 * {@link runAsync} awaits them, as the tensor package's executor does. `Optimizer.step` /
 * `stepAsync` and {@link applyStep} / {@link applyStepAsync} are that plan driven both ways.
 */
import {
  add,
  checkOptions,
  describeValue,
  formatShape,
  isTensor,
  keep,
  maximum,
  normLInf,
  ShapeError,
  sameShape,
  type Tensor,
  tensor,
  tidy,
  ValueError,
} from '@sparsekit/tensor';
import type { GradientTransformation, StateTree } from './contract.js';
import { APPLY, type Fusable } from './fused.js';
import { keepState, mapState, stateTensors } from './state.js';

/** `params[i] + updates[i]` for every parameter (lazy). */
export function applyUpdates(params: readonly Tensor[], updates: readonly Tensor[]): Tensor[] {
  if (!Array.isArray(params))
    throw new ValueError('applyUpdates', `params must be an array of Tensors, got ${describeValue(params)}`);
  if (!Array.isArray(updates))
    throw new ValueError('applyUpdates', `updates must be an array of Tensors, got ${describeValue(updates)}`);
  params.forEach((p, i) => {
    if (!isTensor(p)) throw new ValueError('applyUpdates', `params[${i}] must be a Tensor, got ${describeValue(p)}`);
    if (i < updates.length && !isTensor(updates[i]))
      throw new ValueError('applyUpdates', `updates[${i}] must be a Tensor, got ${describeValue(updates[i])}`);
    if (i < updates.length && !sameShape(p.shape, updates[i].shape)) {
      throw new ShapeError(
        'applyUpdates',
        `updates[${i}] must have the shape of params[${i}] ${formatShape(p.shape)}, got ${formatShape(updates[i].shape)}`,
      );
    }
  });
  if (params.length !== updates.length) {
    throw new ValueError('applyUpdates', `expected one update per parameter (${params.length}), got ${updates.length}`);
  }
  return params.map((p, i) => add(p, updates[i]));
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

// ---------------------------------------------------------------------------------------
// The step plan and its two drivers.

/** What a step plan asks of its driver: a scalar read back, or a tensor realised. @internal */
export type Realisation = { read: Tensor } | { materialize: Tensor };

/** A step written once as a generator of {@link Realisation}s, resumed with each read value. @internal */
export type StepPlan<R> = Generator<Realisation, R, number | undefined>;

/** Drives a plan with synchronous kernels (every backend but WebGPU). A failure is thrown into the plan, so its cleanup runs. @internal */
export function runSync<R>(plan: StepPlan<R>): R {
  let r = plan.next();
  while (!r.done) {
    const request = r.value;
    let value: number | undefined;
    try {
      if ('read' in request) value = request.read.itemSync();
      else request.materialize.materializeSync();
    } catch (e) {
      r = plan.throw(e);
      continue;
    }
    r = plan.next(value);
  }
  return r.value;
}

/** Drives a plan with asynchronous kernels (every backend). A rejection is thrown into the plan, so its cleanup runs. @internal */
export async function runAsync<R>(plan: StepPlan<R>): Promise<R> {
  let r = plan.next();
  while (!r.done) {
    const request = r.value;
    let value: number | undefined;
    try {
      if ('read' in request) value = await request.read.item();
      else await request.materialize.materialize();
    } catch (e) {
      r = plan.throw(e);
      continue;
    }
    r = plan.next(value);
  }
  return r.value;
}

/** One parameter group's share of a step. @internal */
export interface GroupStep {
  tx: GradientTransformation;
  grads: readonly Tensor[];
  state: StateTree;
  params: readonly Tensor[];
}

/**
 * The step: read the finiteness probe (one reduction per gradient, one readback); if every
 * gradient is finite, compute each group's new parameters and state lazily and realise
 * them. Returns them per group, or null for a non-finite gradient (nothing computed). The
 * old state and parameters are left alone: the caller commits with {@link disposeReplaced}.
 * On any failure everything new is freed and the inputs are as they were. @internal
 */
export function* stepPlan(op: string, groups: readonly GroupStep[]): StepPlan<StepResult[] | null> {
  const probe = nonFiniteProbe(groups.flatMap((g) => g.grads));
  let finite: boolean;
  try {
    finite = Number.isFinite(yield { read: probe });
  } finally {
    probe.dispose();
  }
  if (!finite) return null;
  const next: StepResult[] = [];
  try {
    next.push(...computeGroups(op, groups));
    // State first: a parameter's new value then reads the new moments instead of recomputing them.
    for (const t of next.flatMap((n) => stateTensors(n.state))) yield { materialize: t };
    for (const t of next.flatMap((n) => n.params)) yield { materialize: t };
  } catch (e) {
    next.forEach((n, gi) => {
      disposeReplaced(stateTensors(n.state), stateTensors(groups[gi].state));
      for (const t of n.params) t.dispose();
    });
    throw e;
  }
  return next;
}

/** Disposes the tensors of `old` that `next` does not hold (a step's commit, or its rollback with the roles swapped). @internal */
export function disposeReplaced(old: readonly Tensor[], next: readonly Tensor[]): void {
  const survivors = new Set(next);
  for (const t of old) if (!survivors.has(t)) t.dispose();
}

/**
 * Every group's new parameters and state (lazy), kept. Every group's transformation runs (and
 * may throw: a schedule turning invalid, a malformed transformation) before any group's whole-step
 * shortcut consumes its inputs (fused.ts), so a throw leaves every input as it was. @internal
 */
function computeGroups(op: string, groups: readonly GroupStep[]): StepResult[] {
  const results = tidy(() => {
    const finishers = groups.map((g) => prepareGroup(op, g));
    return finishers.map((finish) => finish());
  }) as StepResult[];
  for (const r of results) {
    for (const t of r.params) keep(t);
    keepState(r.state);
  }
  return results;
}

// A group's step up to the point where it would consume its inputs; the function it returns completes it.
function prepareGroup(op: string, { tx, grads, state, params }: GroupStep): () => StepResult {
  const owned = new Set<Tensor>([...params, ...grads]);
  // A state that holds a parameter or gradient tensor itself would see it freed after the step.
  const own = (s: StateTree): StateTree => mapState(s, (t) => (owned.has(t) ? add(t, 0) : t));
  const apply = (tx as Fusable)[APPLY];
  if (apply) {
    // a chain with a whole-step shortcut (fused.ts): the same parameters and state in fewer passes
    const finish = apply(grads, state, params);
    return () => {
      const res = finish();
      return { params: res.params, state: own(res.state) };
    };
  }
  const res = tx.update(grads, state, params);
  if (!Array.isArray(res?.updates) || res.updates.length !== params.length) {
    throw new ValueError(
      op,
      `transformation ${tx.name} returned ${Array.isArray(res?.updates) ? res.updates.length : 'no'} updates for ${params.length} parameters`,
    );
  }
  const out = { params: applyUpdates(params, res.updates), state: own(res.state) };
  return () => out;
}

// ---------------------------------------------------------------------------------------
// The pure core's step.

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
export function applyStep<S extends StateTree>(
  tx: GradientTransformation<S>,
  grads: readonly Tensor[],
  state: S,
  params: readonly Tensor[],
  options: ApplyStepOptions = {},
): StepResult<S> {
  const step = pureStep('applyStep', tx, grads, state, params, options);
  return step.finish(runSync(step.plan));
}

/** {@link applyStep} with asynchronous kernels: works on every backend, WebGPU included. */
export async function applyStepAsync<S extends StateTree>(
  tx: GradientTransformation<S>,
  grads: readonly Tensor[],
  state: S,
  params: readonly Tensor[],
  options: ApplyStepOptions = {},
): Promise<StepResult<S>> {
  const step = pureStep('applyStepAsync', tx, grads, state, params, options);
  return step.finish(await runAsync(step.plan));
}

// Checks everything before the plan runs, and commits (or rejects) what it returns.
function pureStep<S extends StateTree>(
  op: string,
  tx: GradientTransformation<S>,
  grads: readonly Tensor[],
  state: S,
  params: readonly Tensor[],
  options: ApplyStepOptions,
) {
  if (tx === null || typeof tx !== 'object' || typeof tx.update !== 'function' || typeof tx.init !== 'function') {
    throw new ValueError(op, `tx must be a gradient transformation (init, update), got ${describeValue(tx)}`);
  }
  checkOptions(op, options, ['nonFinite']);
  const nonFinite = options.nonFinite ?? 'throw';
  if (nonFinite !== 'throw' && nonFinite !== 'skip')
    throw new ValueError(op, `options.nonFinite must be 'throw' or 'skip', got ${describeValue(nonFinite)}`);
  if (!Array.isArray(params))
    throw new ValueError(op, `params must be an array of Tensors, got ${describeValue(params)}`);
  if (!Array.isArray(grads)) throw new ValueError(op, `grads must be an array of Tensors, got ${describeValue(grads)}`);
  if (grads.length !== params.length)
    throw new ValueError(op, `expected one gradient per parameter (${params.length}), got ${grads.length}`);
  params.forEach((p, i) => {
    if (!isTensor(p)) throw new ValueError(op, `params[${i}] must be a Tensor, got ${describeValue(p)}`);
    if (p.isDisposed)
      throw new ValueError(
        op,
        `params[${i}] was disposed (a previous applyStep consumed it: use the params it returned)`,
      );
    const g = grads[i];
    if (!isTensor(g)) throw new ValueError(op, `grads[${i}] must be a Tensor, got ${describeValue(g)}`);
    if (!sameShape(g.shape, p.shape))
      throw new ShapeError(
        op,
        `grads[${i}] must have the shape of params[${i}] ${formatShape(p.shape)}, got ${formatShape(g.shape)}`,
      );
  });
  for (const t of stateTensors(state)) {
    if (t.isDisposed)
      throw new ValueError(
        op,
        'state holds a disposed tensor (a previous applyStep consumed it: use the state it returned)',
      );
  }
  return {
    plan: stepPlan(op, [{ tx: tx as GradientTransformation, grads, state, params }]),
    finish(next: StepResult[] | null): StepResult<S> {
      if (next === null) {
        if (nonFinite === 'skip') return { params: params.slice(), state };
        throw new ValueError(
          op,
          "a gradient holds NaN or Inf; the step was rejected and nothing changed (pass nonFinite: 'skip' to skip such steps)",
        );
      }
      const [{ params: newParams, state: newState }] = next;
      const survivors = [...stateTensors(newState), ...newParams];
      disposeReplaced(stateTensors(state), survivors);
      disposeReplaced(params, survivors);
      return { params: newParams, state: newState as S };
    },
  };
}
