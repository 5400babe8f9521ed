/**
 * The torch.optim-style surface over the pure core: {@link Optimizer} holds parameter
 * groups, steps them with the one step plan (`step.ts`), and saves and restores their state
 * (`state.ts`). The `@sparsekit/optimizers/optimizer` subpath also carries the contract and
 * the pure step helpers, re-exported at the end.
 */
import {
  describeValue,
  formatShape,
  isTensor,
  ShapeError,
  sameShape,
  type Tensor,
  tidy,
  ValueError,
} from '@sparsekit/tensor';
import type {
  GradientTransformation,
  Hyperparameters,
  HyperValue,
  OptimizerSpec,
  OptimizerStateDict,
  ParameterLike,
  ParamGroup,
  ParamGroupInput,
  StateTree,
  StepOptions,
} from './contract.js';
import {
  checkLayout,
  decodeState,
  disposeState,
  encodeState,
  isSerialisable,
  keepState,
  stateTensors,
} from './state.js';
import { disposeReplaced, runAsync, runSync, type StepPlan, type StepResult, stepPlan } from './step.js';
import { HyperparameterCheck } from './validate.js';

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

  constructor(
    spec: OptimizerSpec<H>,
    params: Iterable<ParameterLike> | ReadonlyArray<ParamGroupInput<H>>,
    options: Partial<H> & StepOptions = {},
  ) {
    this.spec = spec;
    this.name = spec.name;
    if (options === null || typeof options !== 'object' || Array.isArray(options))
      throw new ValueError(spec.name, `options must be an object, got ${describeValue(options)}`);
    const { nonFinite = 'throw', ...hyper } = options as Partial<H> & StepOptions;
    if (nonFinite !== 'throw' && nonFinite !== 'skip') {
      throw new ValueError(spec.name, `nonFinite must be 'throw' or 'skip', got ${String(nonFinite)}`);
    }
    this.nonFinite = nonFinite;
    for (const key of Object.keys(hyper)) {
      if (!(key in spec.defaults))
        throw new ValueError(
          spec.name,
          `unknown option '${key}'; expected one of ${[...Object.keys(spec.defaults), 'nonFinite'].join(', ')}`,
        );
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
        if (!isParameterLike(p))
          throw new ValueError(
            spec.name,
            `paramGroups[${gi}].params[${pi}] must be a Parameter (value, grad, assign), got ${describeValue(p)}`,
          );
        if (seen.has(p))
          throw new ValueError(
            spec.name,
            `paramGroups[${gi}].params[${pi}] appears in more than one place; each parameter may be given once`,
          );
        seen.add(p);
      });
      const merged = { ...defaults, ...stripUndefined(own) } as H;
      spec.validate(
        new HyperparameterCheck(
          spec.name,
          merged,
          groupInputs.length > 1 || (Array.isArray(params) && isGroupList(params)) ? `paramGroups[${gi}].` : '',
        ),
        merged,
      );
      return { params: list, options: merged };
    });
    if (seen.size === 0) throw new ValueError(spec.name, 'params must hold at least one parameter, got none');
    this.groups = built.map((g) => {
      const transform = spec.transformation(g.options);
      const state = keepState(tidy(() => transform.init(g.params.map((p) => p.value)) as never) as StateTree);
      return { ...g, transform, state };
    });
  }

  /** The parameter groups with their complete hyperparameters and the pure transformation each steps with. */
  get paramGroups(): ReadonlyArray<ParamGroup<H>> {
    return this.groups.map((g) => ({
      params: g.params.slice(),
      options: Object.freeze({ ...g.options }),
      transformation: g.transform,
    }));
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
    return this.commit(runSync(this.plan()));
  }

  /** {@link Optimizer.step} with asynchronous kernels: works on every backend, threads large kernels on webasm. */
  async stepAsync(): Promise<boolean> {
    this.assertLive('stepAsync');
    return this.commit(await runAsync(this.plan()));
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
      throw new ValueError(
        op,
        `expected a state dict with format 'sparsekit-optimizer', got ${dict === null || typeof dict !== 'object' ? describeValue(dict) : `format ${String((dict as { format?: unknown }).format)}`}`,
      );
    }
    if (dict.version !== 1)
      throw new ValueError(op, `unsupported state dict version ${String(dict.version)} (this build reads version 1)`);
    if (dict.optimizer !== this.name)
      throw new ValueError(op, `the state dict was saved by ${String(dict.optimizer)}, not ${this.name}`);
    if (
      !Array.isArray(dict.paramGroups) ||
      dict.paramGroups.length !== this.groups.length ||
      !Array.isArray(dict.state) ||
      dict.state.length !== this.groups.length
    ) {
      throw new ValueError(
        op,
        `expected ${this.groups.length} parameter group(s), got ${Array.isArray(dict.paramGroups) ? dict.paramGroups.length : describeValue(dict.paramGroups)}`,
      );
    }
    const plans = this.groups.map((g, gi) => {
      const saved = dict.paramGroups[gi];
      const shapes = saved?.shapes;
      if (!Array.isArray(shapes) || shapes.length !== g.params.length) {
        throw new ValueError(
          op,
          `paramGroups[${gi}] has ${g.params.length} parameter(s), the state dict ${Array.isArray(shapes) ? shapes.length : 'none'}`,
        );
      }
      g.params.forEach((p, pi) => {
        if (!sameShape(p.value.shape, shapes[pi])) {
          throw new ShapeError(
            op,
            `paramGroups[${gi}].params[${pi}] has shape ${formatShape(p.value.shape)}, the state dict ${Array.isArray(shapes[pi]) ? formatShape(shapes[pi]) : describeValue(shapes[pi])}`,
          );
        }
      });
      const options = { ...g.options } as Record<string, HyperValue>;
      if (
        saved.options !== undefined &&
        (saved.options === null || typeof saved.options !== 'object' || Array.isArray(saved.options))
      ) {
        throw new ValueError(op, `paramGroups[${gi}].options must be an object, got ${describeValue(saved.options)}`);
      }
      for (const [k, v] of Object.entries(saved.options ?? {})) {
        if (!(k in this.spec.defaults)) throw new ValueError(op, `paramGroups[${gi}] has unknown option '${k}'`);
        if (!isSerialisable((g.options as Record<string, unknown>)[k])) continue;
        // A NaN or ±Inf hyperparameter would be a silent wrong step, not a value to skip.
        if (!isSerialisable(v))
          throw new ValueError(
            op,
            `paramGroups[${gi}].options.${k} must be a finite number, a flag or a name, got ${describeValue(v)}`,
          );
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
          throw new ValueError(
            this.name,
            `paramGroups[${gi}].params[${pi}] (shape ${formatShape(p.value.shape)}) has no gradient: run backward() first, or leave parameters that get none out of the optimizer`,
          );
        }
        if (!isTensor(grad))
          throw new ValueError(
            this.name,
            `paramGroups[${gi}].params[${pi}].grad must be a Tensor, got ${describeValue(grad)}`,
          );
        if (!sameShape(grad.shape, p.value.shape)) {
          throw new ShapeError(
            this.name,
            `paramGroups[${gi}].params[${pi}] has shape ${formatShape(p.value.shape)} but its gradient ${formatShape(grad.shape)}`,
          );
        }
        return grad;
      }),
    );
  }

  private plan(): StepPlan<StepResult[] | null> {
    const grads = this.collectGrads();
    return stepPlan(
      this.name,
      this.groups.map((g, gi) => ({
        tx: g.transform,
        grads: grads[gi],
        state: g.state,
        params: g.params.map((p) => p.value),
      })),
    );
  }

  // Swaps in what the plan realised (null: a non-finite gradient, nothing computed).
  private commit(next: StepResult[] | null): boolean {
    if (next === null) {
      if (this.nonFinite === 'skip') return false;
      throw new ValueError(
        this.name,
        "a gradient holds NaN or Inf; the step was rejected and nothing changed (pass nonFinite: 'skip' to skip such steps silently)",
      );
    }
    this.groups.forEach((g, gi) => {
      disposeReplaced(stateTensors(g.state), stateTensors(next[gi].state));
      g.state = next[gi].state;
      g.params.forEach((p, pi) => p.assign(next[gi].params[pi]));
    });
    return true;
  }

  private buildStateDict(read: (t: Tensor) => Float32Array): OptimizerStateDict {
    return {
      format: 'sparsekit-optimizer',
      version: 1,
      optimizer: this.name,
      paramGroups: this.groups.map((g) => ({
        options: Object.fromEntries(Object.entries(g.options).filter(([, v]) => isSerialisable(v))) as Record<
          string,
          number | boolean | string
        >,
        shapes: g.params.map((p) => [...p.value.shape]),
      })),
      state: this.groups.map((g) => encodeState(g.state, read)),
    };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isParameterLike(p: unknown): p is ParameterLike {
  return (
    p !== null &&
    typeof p === 'object' &&
    isTensor((p as ParameterLike).value) &&
    typeof (p as ParameterLike).assign === 'function'
  );
}

function isGroupList(x: unknown): boolean {
  return (
    Array.isArray(x) &&
    x.length > 0 &&
    x.every((g) => g !== null && typeof g === 'object' && 'params' in g && !isParameterLike(g))
  );
}

function toGroups<H extends Hyperparameters>(
  op: string,
  params: Iterable<ParameterLike> | ReadonlyArray<ParamGroupInput<H>>,
): Array<ParamGroupInput<H>> {
  if (
    params === null ||
    typeof params !== 'object' ||
    typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function'
  ) {
    throw new ValueError(
      op,
      `params must be an iterable of parameters or an array of { params, ...options } groups, got ${describeValue(params)}`,
    );
  }
  const list = [...(params as Iterable<unknown>)];
  if (isGroupList(list)) {
    return list.map((g, gi) => {
      const ps = (g as ParamGroupInput<H>).params;
      if (ps === null || typeof ps !== 'object' || typeof (ps as Iterable<unknown>)[Symbol.iterator] !== 'function') {
        throw new ValueError(
          op,
          `paramGroups[${gi}].params must be an iterable of parameters, got ${describeValue(ps)}`,
        );
      }
      return g as ParamGroupInput<H>;
    });
  }
  return [{ params: list as ParameterLike[] } as unknown as ParamGroupInput<H>];
}

export type {
  GradientTransformation,
  Hyperparameters,
  HyperValue,
  OptimizerSpec,
  OptimizerStateDict,
  ParameterLike,
  ParamGroup,
  ParamGroupInput,
  Schedule,
  StateTree,
  StepOptions,
  UpdateResult,
} from './contract.js';
export {
  disposeState,
  type EncodedTensor,
  mapState,
  stateDictFromJSON,
  stateDictToJSON,
  stateTensors,
} from './state.js';
export {
  type ApplyStepOptions,
  applyStep,
  applyStepAsync,
  applyUpdates,
  nonFiniteProbe,
  type StepResult,
} from './step.js';
export { HyperparameterCheck } from './validate.js';
