import { ValueError } from '@sparsekit/tensor';
import { checkInteger, checkOptions, checkRange } from './checks.js';

/** Options of {@link cubicSparsitySchedule} (Zhu & Gupta 2017's symbols in brackets). */
export interface CubicScheduleOptions {
  /** Sparsity of the first pruning step [s_i] (default 0). */
  initialSparsity?: number;
  /** Sparsity reached at the end [s_f], in [initialSparsity, 1). */
  finalSparsity: number;
  /** Step of the first pruning [t₀] (default 0). */
  startStep?: number;
  /** Number of pruning events after the first [n], at least 1. */
  pruningSteps: number;
  /** Steps between pruning events [Δt] (default 1). */
  frequency?: number;
}

/** A gradual pruning schedule: the target sparsity at each training step. */
export interface SparsitySchedule {
  /** The target sparsity after `step` steps: 0 before t₀, then the value of the last pruning event. */
  sparsityAt(step: number): number;
  /** Whether masks are recomputed at `step`: t ∈ {t₀, t₀ + Δt, …, t₀ + nΔt}. */
  isPruningStep(step: number): boolean;
  /** The last pruning step, t₀ + nΔt. */
  readonly endStep: number;
}

/** @internal */
export const CUBIC_SCHEDULE_KEYS = [
  'initialSparsity',
  'finalSparsity',
  'startStep',
  'pruningSteps',
  'frequency',
] as const;

/**
 * The cubic sparsity schedule of gradual magnitude pruning (Zhu & Gupta 2017, "To prune, or
 * not to prune", eq. 1):
 *
 *   s_t = s_f + (s_i − s_f)·(1 − (t − t₀)/(nΔt))³  for t ∈ {t₀, t₀ + Δt, …, t₀ + nΔt},
 *
 * pruning fast while many redundant weights remain and slowly near the target. Between
 * pruning events the sparsity holds; after the last it stays at s_f.
 */
export function cubicSparsitySchedule(options: CubicScheduleOptions): SparsitySchedule {
  const fn = 'cubicSparsitySchedule';
  if (options === null || typeof options !== 'object')
    throw new ValueError(fn, `options must be an object, got ${options === null ? 'null' : typeof options}`);
  checkOptions(fn, options, CUBIC_SCHEDULE_KEYS);
  const sf = checkRange(fn, 'finalSparsity', options.finalSparsity, 0, 1, { hi: true });
  const si = checkRange(fn, 'initialSparsity', options.initialSparsity ?? 0, 0, 1, { hi: true });
  if (si > sf)
    throw new ValueError(
      fn,
      `initialSparsity must be <= finalSparsity, got initialSparsity=${si}, finalSparsity=${sf}`,
    );
  const t0 = checkInteger(fn, 'startStep', options.startStep ?? 0);
  const n = checkInteger(fn, 'pruningSteps', options.pruningSteps, 1);
  const dt = checkInteger(fn, 'frequency', options.frequency ?? 1, 1);
  const endStep = t0 + n * dt;
  const checkStep = (op: string, t: number): void => {
    checkInteger(`${fn}.${op}`, 'step', t);
  };
  return {
    endStep,
    isPruningStep(t) {
      checkStep('isPruningStep', t);
      return t >= t0 && t <= endStep && (t - t0) % dt === 0;
    },
    sparsityAt(t) {
      checkStep('sparsityAt', t);
      if (t < t0) return 0;
      if (t >= endStep) return sf;
      const elapsed = Math.floor((t - t0) / dt) * dt;
      return sf + (si - sf) * (1 - elapsed / (n * dt)) ** 3;
    },
  };
}
