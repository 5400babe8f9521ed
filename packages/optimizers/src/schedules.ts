/**
 * Learning-rate schedules: plain functions from the number of earlier updates (0-based) to a
 * rate, accepted wherever an optimizer takes `lr`. They compose: {@link linearWarmup} wraps
 * any schedule, {@link joinSchedules} runs schedules one after another.
 */
import { checkOptions, describeValue, ValueError } from '@sparsekit/tensor';
import type { Schedule } from './contract.js';

export type { Schedule } from './contract.js';

function finite(op: string, name: string, v: number, check: (x: number) => boolean, expected: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
    throw new ValueError(op, `${name} must be ${expected}, got ${describeValue(v)}`);
}

function integer(op: string, name: string, v: number, min: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new ValueError(op, `${name} must be an integer >= ${min}, got ${describeValue(v)}`);
}

// Options objects are required (their lr has no default) and take only the keys listed.
function options_<O extends object>(op: string, o: O, keys: readonly string[]): O {
  if (o === null || typeof o !== 'object')
    throw new ValueError(op, `options must be an object, got ${describeValue(o)}`);
  checkOptions(op, o, keys);
  return o;
}

function toSchedule(op: string, s: Schedule | number): Schedule {
  if (typeof s === 'number') {
    finite(op, 'schedule', s, (x) => x >= 0, 'a finite number >= 0 or a schedule');
    return () => s;
  }
  if (typeof s !== 'function')
    throw new ValueError(op, `schedule must be a function or a number, got ${describeValue(s)}`);
  return s;
}

/** lr at every step. */
export function constantSchedule(lr: number): Schedule {
  finite('constantSchedule', 'lr', lr, (x) => x >= 0, 'a finite number >= 0');
  return () => lr;
}

/** Step decay (PyTorch `StepLR`): lr · gamma^⌊t / stepSize⌋. */
export function stepSchedule(options: { lr: number; stepSize: number; gamma?: number }): Schedule {
  const { lr, stepSize, gamma = 0.1 } = options_('stepSchedule', options, ['lr', 'stepSize', 'gamma']);
  finite('stepSchedule', 'lr', lr, (x) => x >= 0, 'a finite number >= 0');
  integer('stepSchedule', 'stepSize', stepSize, 1);
  finite('stepSchedule', 'gamma', gamma, (x) => x > 0, 'a finite number > 0');
  return (t) => lr * gamma ** Math.floor(t / stepSize);
}

/**
 * Exponential decay (optax `exponential_decay`): lr · gamma^(t / decaySteps), or with
 * `staircase` lr · gamma^⌊t / decaySteps⌋; never below `minLr`.
 */
export function exponentialSchedule(options: {
  lr: number;
  gamma: number;
  decaySteps?: number;
  staircase?: boolean;
  minLr?: number;
}): Schedule {
  const {
    lr,
    gamma,
    decaySteps = 1,
    staircase = false,
    minLr = 0,
  } = options_('exponentialSchedule', options, ['lr', 'gamma', 'decaySteps', 'staircase', 'minLr']);
  if (typeof staircase !== 'boolean')
    throw new ValueError('exponentialSchedule', `staircase must be true or false, got ${describeValue(staircase)}`);
  finite('exponentialSchedule', 'lr', lr, (x) => x >= 0, 'a finite number >= 0');
  finite('exponentialSchedule', 'gamma', gamma, (x) => x > 0, 'a finite number > 0');
  integer('exponentialSchedule', 'decaySteps', decaySteps, 1);
  finite('exponentialSchedule', 'minLr', minLr, (x) => x >= 0 && x <= lr, 'a finite number in [0, lr]');
  return (t) => Math.max(minLr, lr * gamma ** (staircase ? Math.floor(t / decaySteps) : t / decaySteps));
}

/**
 * Cosine annealing with warm restarts (SGDR; Loshchilov & Hutter, 2017):
 * within a period of length Tᵢ, lr_t = minLr + ½(lr − minLr)(1 + cos(π·t_cur/Tᵢ)); the first
 * period is `period` steps and each next one `periodMult` times longer. With
 * `restarts: false` the rate stays at minLr after the first period (plain cosine decay).
 */
export function cosineSchedule(options: {
  lr: number;
  period: number;
  minLr?: number;
  periodMult?: number;
  restarts?: boolean;
}): Schedule {
  const {
    lr,
    period,
    minLr = 0,
    periodMult = 1,
    restarts = true,
  } = options_('cosineSchedule', options, ['lr', 'period', 'minLr', 'periodMult', 'restarts']);
  if (typeof restarts !== 'boolean')
    throw new ValueError('cosineSchedule', `restarts must be true or false, got ${describeValue(restarts)}`);
  finite('cosineSchedule', 'lr', lr, (x) => x >= 0, 'a finite number >= 0');
  integer('cosineSchedule', 'period', period, 1);
  finite('cosineSchedule', 'minLr', minLr, (x) => x >= 0 && x <= lr, 'a finite number in [0, lr]');
  integer('cosineSchedule', 'periodMult', periodMult, 1);
  return (t) => {
    let len = period;
    let cur = t;
    if (!restarts) {
      if (t >= period) return minLr;
    } else {
      while (cur >= len) {
        cur -= len;
        len *= periodMult;
      }
    }
    return minLr + 0.5 * (lr - minLr) * (1 + Math.cos((Math.PI * cur) / len));
  };
}

/**
 * Linear warm-up: from `startLr` (default 0) up to the wrapped schedule's value over
 * `warmupSteps` steps, then the schedule, shifted so it starts at its own step 0.
 */
export function linearWarmup(options: { warmupSteps: number; then: Schedule | number; startLr?: number }): Schedule {
  const { warmupSteps, startLr = 0 } = options_('linearWarmup', options, ['warmupSteps', 'then', 'startLr']);
  integer('linearWarmup', 'warmupSteps', warmupSteps, 0);
  finite('linearWarmup', 'startLr', startLr, (x) => x >= 0, 'a finite number >= 0');
  const then = toSchedule('linearWarmup', options.then);
  return (t) => {
    if (t >= warmupSteps) return then(t - warmupSteps);
    const target = then(0);
    return startLr + ((target - startLr) * (t + 1)) / (warmupSteps + 1);
  };
}

/**
 * Runs schedules one after another (optax `join_schedules`): `schedules[i]` from
 * `boundaries[i−1]` on, each restarted at its own step 0.
 */
export function joinSchedules(schedules: ReadonlyArray<Schedule | number>, boundaries: readonly number[]): Schedule {
  if (!Array.isArray(schedules) || schedules.length === 0)
    throw new ValueError('joinSchedules', 'schedules must be a non-empty array');
  if (!Array.isArray(boundaries) || boundaries.length !== schedules.length - 1) {
    throw new ValueError(
      'joinSchedules',
      `boundaries must have ${schedules.length - 1} entries (one fewer than schedules), got ${Array.isArray(boundaries) ? boundaries.length : typeof boundaries}`,
    );
  }
  boundaries.forEach((b, i) => {
    integer('joinSchedules', `boundaries[${i}]`, b, i === 0 ? 1 : boundaries[i - 1] + 1);
  });
  const fns = schedules.map((s) => toSchedule('joinSchedules', s));
  return (t) => {
    let i = 0;
    while (i < boundaries.length && t >= boundaries[i]) i++;
    return fns[i](t - (i === 0 ? 0 : boundaries[i - 1]));
  };
}
