import type { Module, Parameter } from '@sparsekit/autograd';
import {
  concat,
  keep,
  materializeAll,
  mul,
  normL2,
  ones,
  reshape,
  sliceRows,
  type Tensor,
  tidy,
  topKMask,
  ValueError,
  where,
} from '@sparsekit/tensor';
import { checkOptions, checkRange } from './checks.js';
import {
  CUBIC_SCHEDULE_KEYS,
  type CubicScheduleOptions,
  cubicSparsitySchedule,
  type SparsitySchedule,
} from './schedule.js';

/** Which parameters to prune: a name pattern, a predicate, or (default) every 2-D parameter named `…weight`. */
export type ParameterSelector = RegExp | ((name: string, parameter: Parameter) => boolean);

/** Options of {@link magnitudePrune}. */
export interface MagnitudePruneOptions {
  /** Fraction of the selected weights (or neurons) to zero, in [0, 1). */
  sparsity: number;
  /** `'layer'` (default): each parameter loses the same fraction; `'global'`: one threshold over all of them. */
  scope?: 'layer' | 'global';
  /** `'unstructured'` (default): single weights; `'neuron'`: whole rows (output neurons), ranked by their L2 norm. */
  structure?: 'unstructured' | 'neuron';
  /** Parameters to prune (default: 2-D parameters whose name ends in `weight`; biases are never pruned by default). */
  parameters?: ParameterSelector;
}

const PRUNE_KEYS = ['sparsity', 'scope', 'structure', 'parameters'] as const;

/**
 * 0/1 masks over a model's parameters that stay applied through training: call
 * {@link PruningMask.apply} after every optimizer step (any optimizer: momentum or Adam
 * moments may move a pruned weight, and apply() puts it back to exactly 0).
 */
export class PruningMask {
  /** Mask per pruned parameter name (1 keeps, 0 prunes), same shape as the parameter. */
  readonly masks: ReadonlyMap<string, Tensor>;
  /** Number of masked-out elements. */
  readonly pruned: number;
  /** Number of elements under a mask. */
  readonly total: number;
  private readonly _params: ReadonlyMap<string, Parameter>;

  /** @internal Built by {@link magnitudePrune} and {@link GradualPruner}. */
  constructor(params: ReadonlyMap<string, Parameter>, masks: ReadonlyMap<string, Tensor>, pruned: number) {
    this._params = params;
    this.masks = masks;
    this.pruned = pruned;
    this.total = [...params.values()].reduce((n, p) => n + p.size, 0);
  }

  /** pruned / total. */
  get sparsity(): number {
    return this.total ? this.pruned / this.total : 0;
  }

  /** Sets each masked-out entry to +0 (w ← m ≠ 0 ? w : 0, so no −0 from w·0), lazily, as an optimizer step does. */
  apply(): void {
    for (const [name, p] of this._params) {
      const mask = this.masks.get(name) as Tensor;
      if (p.value.isDisposed) throw new ValueError('PruningMask.apply', `parameter '${name}' has been disposed`);
      p.assign(where(mask, p.value, 0));
    }
  }

  /** Disposes the mask tensors. */
  dispose(): void {
    for (const m of this.masks.values()) m.dispose();
  }
}

function selectParameters(fn: string, model: Module, selector: ParameterSelector | undefined): Map<string, Parameter> {
  if (selector !== undefined && !(selector instanceof RegExp) && typeof selector !== 'function') {
    throw new ValueError(
      fn,
      `parameters must be a RegExp or a function (name, parameter) => boolean, got ${typeof selector}`,
    );
  }
  const chosen = new Map<string, Parameter>();
  for (const [name, p] of model.namedParameters()) {
    const take =
      selector === undefined
        ? p.rank === 2 && /(^|\.)weight$/.test(name)
        : selector instanceof RegExp
          ? selector.test(name)
          : selector(name, p);
    if (take) chosen.set(name, p);
  }
  if (chosen.size === 0)
    throw new ValueError(
      fn,
      `parameters selects none of the model's parameters (${[...model.namedParameters()].map(([n]) => n).join(', ') || 'none'})`,
    );
  return chosen;
}

interface ResolvedPrune {
  sparsity: number;
  scope: 'layer' | 'global';
  structure: 'unstructured' | 'neuron';
  params: Map<string, Parameter>;
}

function resolvePrune(
  fn: string,
  model: Module,
  options: MagnitudePruneOptions,
  scheduleKeys?: readonly string[],
): ResolvedPrune {
  if (options === null || typeof options !== 'object')
    throw new ValueError(fn, `options must be an object, got ${options === null ? 'null' : typeof options}`);
  // A gradual pruner takes its sparsity from the schedule, not a `sparsity` option.
  checkOptions(
    fn,
    options,
    scheduleKeys ? [...PRUNE_KEYS.filter((k) => k !== 'sparsity'), ...scheduleKeys] : PRUNE_KEYS,
  );
  if (!model || typeof (model as Module).namedParameters !== 'function')
    throw new ValueError(fn, `model must be a Module, got ${typeof model}`);
  const sparsity = scheduleKeys ? 0 : checkRange(fn, 'sparsity', options.sparsity, 0, 1, { hi: true });
  const scope = options.scope ?? 'layer';
  if (scope !== 'layer' && scope !== 'global')
    throw new ValueError(fn, `scope must be 'layer' or 'global', got ${String(scope)}`);
  const structure = options.structure ?? 'unstructured';
  if (structure !== 'unstructured' && structure !== 'neuron')
    throw new ValueError(fn, `structure must be 'unstructured' or 'neuron', got ${String(structure)}`);
  const params = selectParameters(fn, model, options.parameters);
  if (structure === 'neuron') {
    for (const [name, p] of params)
      if (p.rank !== 2)
        throw new ValueError(
          fn,
          `neuron pruning needs 2-D weights [out, in], but '${name}' has shape [${p.shape.join(', ')}]`,
        );
  }
  return { sparsity, scope, structure, params };
}

async function checkFinite(fn: string, params: ReadonlyMap<string, Parameter>): Promise<void> {
  for (const [name, p] of params) {
    const d = await p.value.data();
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i]))
        throw new ValueError(fn, `parameter '${name}' must be finite to rank by magnitude, got ${d[i]} at index ${i}`);
    }
  }
}

// Number of entries to keep when pruning a fraction s of n (rounded as torch.nn.utils.prune does).
const keepCount = (n: number, s: number): number => n - Math.round(s * n);

/** Masks for the resolved options, computed on the device with topKMask; returns kept tensors. */
function computeMasks({ sparsity, scope, structure, params }: ResolvedPrune): {
  masks: Map<string, Tensor>;
  pruned: number;
} {
  const names = [...params.keys()];
  const ps = [...params.values()];
  let pruned = 0;
  const masks = tidy(() => {
    // Scores: |w| per weight (topKMask ranks by magnitude) or the L2 norm of each row.
    const scores = ps.map((p) => (structure === 'neuron' ? normL2(p.value, { axis: 1 }) : reshape(p.value, [p.size])));
    let keepers: Tensor[];
    if (scope === 'layer') {
      keepers = scores.map((s) => {
        const k = keepCount(s.size, sparsity);
        return topKMask(s, k);
      });
    } else {
      const all = concat(scores, 0);
      const flag = reshape(topKMask(all, keepCount(all.size, sparsity)), [all.size, 1]);
      let offset = 0;
      keepers = scores.map((s) => {
        const part = reshape(sliceRows(flag, offset, offset + s.size), [s.size]);
        offset += s.size;
        return part;
      });
    }
    return keepers.map((m, i) => {
      const p = ps[i];
      const full = structure === 'neuron' ? mul(reshape(m, [p.shape[0], 1]), ones(p.shape)) : reshape(m, p.shape);
      return keep(full);
    });
  });
  // Per layer the count is known: topKMask keeps exactly k per group (global counts are read back).
  if (scope === 'layer') {
    ps.forEach((p) => {
      const n = structure === 'neuron' ? p.shape[0] : p.size;
      pruned += (n - keepCount(n, sparsity)) * (p.size / n);
    });
  }
  return { masks: new Map(names.map((n, i) => [n, masks[i]])), pruned };
}

async function countPruned(masks: ReadonlyMap<string, Tensor>): Promise<number> {
  let pruned = 0;
  for (const m of masks.values()) for (const v of await m.data()) if (v === 0) pruned++;
  return pruned;
}

/**
 * Magnitude pruning (Han et al. 2015, "Learning both Weights and Connections"; structured by
 * neuron as in Li et al. 2017): zeroes the fraction `sparsity` of the selected weights with
 * the smallest |w| (or whole output neurons with the smallest row norm ‖W_i‖₂), per layer or
 * with one global threshold, and returns the {@link PruningMask} so later steps keep them at
 * zero. Ties go to the lower index, so exactly round(sparsity·n) entries are pruned.
 * Non-finite weights are rejected before anything changes.
 */
export async function magnitudePrune(model: Module, options: MagnitudePruneOptions): Promise<PruningMask> {
  const resolved = resolvePrune('magnitudePrune', model, options);
  await checkFinite('magnitudePrune', resolved.params);
  const { masks, pruned } = computeMasks(resolved);
  await materializeAll([...masks.values()]);
  const mask = new PruningMask(resolved.params, masks, resolved.scope === 'layer' ? pruned : await countPruned(masks));
  mask.apply();
  return mask;
}

/** Options of {@link GradualPruner}: the schedule plus what and how to prune. */
export interface GradualPrunerOptions extends CubicScheduleOptions, Omit<MagnitudePruneOptions, 'sparsity'> {}

/**
 * Gradual magnitude pruning (Zhu & Gupta 2017): call {@link GradualPruner.step} once after
 * each optimizer step. On the schedule's pruning steps it re-ranks the (already masked)
 * weights and prunes to s_t of {@link cubicSparsitySchedule}; on the others it re-applies the
 * current mask, so pruned weights stay exactly zero whatever the optimizer does.
 */
export class GradualPruner {
  readonly schedule: SparsitySchedule;
  /** Steps taken so far (the t of the schedule). */
  stepCount = 0;
  private _mask: PruningMask | null = null;
  private readonly _resolved: ResolvedPrune;

  constructor(model: Module, options: GradualPrunerOptions) {
    this._resolved = resolvePrune(
      'GradualPruner',
      model,
      options as unknown as MagnitudePruneOptions,
      CUBIC_SCHEDULE_KEYS,
    );
    const { initialSparsity, finalSparsity, startStep, pruningSteps, frequency } = options;
    this.schedule = cubicSparsitySchedule({ initialSparsity, finalSparsity, startStep, pruningSteps, frequency });
  }

  /** The mask in force (null before the first pruning step). */
  get mask(): PruningMask | null {
    return this._mask;
  }

  /** Prunes or re-masks for step t = stepCount, then advances t; resolves to s_t. */
  async step(): Promise<number> {
    const t = this.stepCount;
    const s = this.schedule.sparsityAt(t);
    if (this.schedule.isPruningStep(t)) {
      await checkFinite('GradualPruner.step', this._resolved.params);
      const { masks, pruned } = computeMasks({ ...this._resolved, sparsity: s });
      await materializeAll([...masks.values()]);
      const next = new PruningMask(
        this._resolved.params,
        masks,
        this._resolved.scope === 'layer' ? pruned : await countPruned(masks),
      );
      this._mask?.dispose();
      this._mask = next;
    }
    this._mask?.apply();
    this.stepCount = t + 1;
    return s;
  }

  /** Disposes the current mask. */
  dispose(): void {
    this._mask?.dispose();
    this._mask = null;
  }
}
