/**
 * The conformance kit: the checks every SparseKit optimizer passes, callable by any
 * third-party optimizer from its own test file. It depends on no test runner: run the
 * checks and get a report ({@link runConformance}), throw on failure
 * ({@link assertConformance}), or register one test per check with your runner's
 * `describe` / `it` ({@link describeConformance}).
 *
 * The problems compute their gradients on the host in float64 and hand them to the optimizer
 * as `p.grad`, so the kit tests the optimizer alone. Parameters are `@sparsekit/autograd`
 * `Parameter`s.
 */
import { Parameter } from '@sparsekit/autograd';
import { memory, type Tensor, tensor, tidy } from '@sparsekit/tensor';
import type { GradientTransformation } from '../contract.js';
import { stateTensors } from '../state.js';
import { applyStepAsync } from '../step.js';
import { clone, deepEqual, firstDifference, maxError, sameBits, snapshotState } from './compare.js';
import { ConformanceError, fail, Run, withRun } from './harness.js';
import {
  type LassoProblem,
  lassoProblem,
  leastSquaresProblem,
  type Problem,
  quadraticProblem,
  rosenbrockProblem,
} from './problems.js';

export { ConformanceError } from './harness.js';
export {
  type LassoProblem,
  lassoProblem,
  leastSquaresProblem,
  type Problem,
  quadraticProblem,
  rosenbrockProblem,
} from './problems.js';

/** The convergence problems of the kit. */
export type ProblemName = 'quadratic' | 'rosenbrock' | 'leastSquares';

/** What the kit needs of an optimizer: a step, and a state dict it can save and restore. */
export interface OptimizerUnderTest {
  /** One update from the parameters' `.grad` (may return a Promise). Returns false (or throws) to reject a step. */
  step(): unknown;
  /** A snapshot of the optimizer's state that `loadStateDict` restores (may contain typed arrays). */
  stateDict(): unknown;
  loadStateDict(dict: never): void;
  /** Frees the optimizer's tensors, if it holds any. */
  dispose?(): void;
  /**
   * The pure transformation of each parameter group, which the kit holds to "never mutates
   * its input state". Every `Optimizer` has it; an optimizer without it fails that check.
   */
  readonly paramGroups?: ReadonlyArray<{
    readonly params?: readonly unknown[];
    readonly transformation?: GradientTransformation;
  }>;
}

/** What a conformance run is told about the optimizer under test. */
export interface ConformanceOptions {
  /** The optimizer's name, for reports. */
  name: string;
  /**
   * A fresh optimizer over `params`, with hyperparameters suited to `problem` (the
   * determinism, state-dict and rejected-step checks use `'quadratic'`).
   */
  create(params: Parameter[], problem: ProblemName): OptimizerUnderTest;
  /** Steps per convergence problem (defaults: quadratic 300, rosenbrock 3000, leastSquares 500; at most 20,000). */
  steps?: Partial<Record<ProblemName, number>>;
  /**
   * Convergence problems the optimizer is not meant for, with the reason (e.g. a method for
   * convex problems on Rosenbrock). They are reported as skipped, never as passed.
   */
  skip?: Partial<Record<ProblemName, string>>;
  /**
   * Bad hyperparameters the optimizer must reject on construction: each `create` must throw
   * an error named `ValueError` whose message names `hyperparameter`. At least one.
   */
  invalid: Array<{ hyperparameter: string; create(params: Parameter[]): unknown }>;
  /**
   * For optimizers that claim sparsity: a fresh optimizer that adds λ‖θ‖₁ (or keeps a budget
   * of `k` non-zeros) on the kit's Lasso problem, whose smooth part the kit differentiates.
   * `expect: 'lasso'` (default) checks the solution's values to 2e-2 and its exact zeros;
   * `'support'` checks only that exactly the solution's zeros are exactly zero.
   */
  sparsity?: {
    create(params: Parameter[], lasso: { lambda: number; k: number }): OptimizerUnderTest;
    steps?: number;
    expect?: 'lasso' | 'support';
  };
}

/** One check's outcome. */
export interface CheckResult {
  check: string;
  ok: boolean;
  /** Present when the check was skipped: the reason. */
  skipped?: string;
  /** What was measured, or why it failed. */
  message: string;
}

/** A whole run's outcome. */
export interface ConformanceReport {
  name: string;
  ok: boolean;
  results: CheckResult[];
}

/** A named check; `run` resolves with a summary or throws a {@link ConformanceError}. */
export interface ConformanceCheck {
  name: string;
  /** Why the check does not apply to this optimizer (then `run` is not called). */
  skipped?: string;
  run(): Promise<string>;
}

const DEFAULT_STEPS: Record<ProblemName, number> = { quadratic: 300, rosenbrock: 3000, leastSquares: 500 };
const MAX_STEPS = 20_000;
const PROBLEMS: Record<ProblemName, () => Problem> = {
  quadratic: quadraticProblem,
  rosenbrock: rosenbrockProblem,
  leastSquares: leastSquaresProblem,
};

/** The checks for one optimizer, in order; each runs on its own. */
export function conformanceChecks(options: ConformanceOptions): ConformanceCheck[] {
  if (!options || typeof options.create !== 'function')
    throw new TypeError('conformanceChecks: options.create must be a function');
  const checks: ConformanceCheck[] = [];
  const add = (name: string, run: () => Promise<string>, skipped?: string): void => {
    checks.push(skipped ? { name, run, skipped } : { name, run });
  };

  add('rejects bad hyperparameters on construction', async () => {
    if (!Array.isArray(options.invalid) || options.invalid.length === 0)
      fail('no invalid hyperparameter cases were given (options.invalid)');
    for (const c of options.invalid) {
      const p = new Parameter(tensor([1, 2, 3]));
      try {
        let made: unknown;
        try {
          made = c.create([p]);
        } catch (e) {
          const err = e as Error;
          if (err?.name !== 'ValueError')
            fail(`bad ${c.hyperparameter}: threw ${err?.name ?? typeof e} (${err?.message}), expected a ValueError`);
          if (!String(err.message).includes(c.hyperparameter))
            fail(`bad ${c.hyperparameter}: the message does not name it: "${err.message}"`);
          continue;
        }
        (made as OptimizerUnderTest | undefined)?.dispose?.();
        fail(`bad ${c.hyperparameter}: construction did not throw`);
      } finally {
        p.dispose();
      }
    }
    return `${options.invalid.length} bad setting(s) rejected with ValueErrors naming the hyperparameter`;
  });

  for (const name of ['quadratic', 'rosenbrock', 'leastSquares'] as ProblemName[]) {
    add(
      `converges on ${name === 'leastSquares' ? 'least squares' : `the ${name} problem`} without NaN`,
      async () => {
        const steps = options.steps?.[name] ?? DEFAULT_STEPS[name];
        if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS)
          fail(`steps.${name} must be an integer in [1, ${MAX_STEPS}], got ${steps}`);
        const problem = PROBLEMS[name]();
        return withRun(
          problem,
          (ps) => options.create(ps, name),
          async (run) => {
            await run.run(steps);
            await run.setGrads();
            const values = await run.values();
            const err = maxError(values, problem.solution);
            const loss = problem.gradient(values).loss;
            if (!(err <= problem.tolerance))
              fail(
                `${name}: max |θ − θ*| = ${err.toExponential(3)} after ${steps} steps (tolerance ${problem.tolerance}; loss ${loss.toExponential(3)})`,
              );
            return `max |θ − θ*| = ${err.toExponential(2)} ≤ ${problem.tolerance} after ${steps} steps`;
          },
        );
      },
      options.skip?.[name],
    );
  }

  const quad = (ps: Parameter[]): OptimizerUnderTest => options.create(ps, 'quadratic');

  add('holds a constant number of tensors across steps, and frees them on dispose()', async () => {
    const problem = quadraticProblem();
    const baseline = memory().liveTensors;
    const run = new Run(problem, quad);
    let afterFive: number;
    try {
      await run.run(5);
      afterFive = memory().liveTensors;
      await run.run(20);
      const afterTwentyFive = memory().liveTensors;
      if (afterTwentyFive !== afterFive)
        fail(`live tensors grew from ${afterFive} after 5 steps to ${afterTwentyFive} after 25`);
    } finally {
      run.dispose();
    }
    const left = memory().liveTensors - baseline;
    if (typeof run.optimizer.dispose === 'function' && left !== 0)
      fail(`${left} tensor(s) still live after dispose() of the optimizer and its parameters`);
    return `${afterFive - baseline} live tensors (parameters, gradients, state) from step 5 to 25${typeof run.optimizer.dispose === 'function' ? '; none after dispose()' : ''}`;
  });

  add('is deterministic', async () => {
    const problem = quadraticProblem();
    const a = await withRun(problem, quad, async (r) => (await r.run(25), r.values()));
    const b = await withRun(problem, quad, async (r) => (await r.run(25), r.values()));
    if (!sameBits(a, b)) fail('two identical runs of 25 steps gave different parameters');
    return 'two identical 25-step runs agree bit for bit';
  });

  add('round-trips its state dict (resumed run is bit-identical)', async () => {
    const problem = quadraticProblem();
    const straight = await withRun(
      problem,
      quad,
      async (r) => (await r.run(30), { values: await r.values(), dict: await r.optimizer.stateDict() }),
    );
    const half = await withRun(
      problem,
      quad,
      async (r) => (await r.run(15), { values: await r.values(), dict: clone(await r.optimizer.stateDict()) }),
    );
    const resumed = await withRun(
      problem,
      quad,
      async (r) => {
        r.optimizer.loadStateDict(half.dict as never);
        const reloaded = await r.optimizer.stateDict();
        if (!deepEqual(reloaded, half.dict))
          fail('stateDict() right after loadStateDict() differs from the dict that was loaded');
        await r.run(15);
        return { values: await r.values(), dict: await r.optimizer.stateDict() };
      },
      half.values,
    );
    if (!sameBits(straight.values, resumed.values))
      fail('15 steps + save/load + 15 steps differ from 30 uninterrupted steps');
    if (!deepEqual(straight.dict, resumed.dict))
      fail('the final state dicts of the resumed and uninterrupted runs differ');
    return '15 + load + 15 steps equal 30 steps bit for bit, parameters and state';
  });

  add('never mutates the state it is given (the pure transformation of every group)', async () => {
    const problem = quadraticProblem();
    // Each group's transformation with the indices of its parameters among the problem's.
    const groups = await withRun(problem, quad, async (run) => {
      const gs = run.optimizer.paramGroups;
      const list: NonNullable<OptimizerUnderTest['paramGroups']> = Array.isArray(gs) ? gs : [];
      return list.map((g) => ({
        tx: g?.transformation,
        members: (g?.params ?? []).map((p) => run.params.indexOf(p as Parameter)),
      }));
    });
    if (
      groups.length === 0 ||
      !groups.every(
        ({ tx, members }) =>
          tx && typeof tx.init === 'function' && typeof tx.update === 'function' && members.every((k) => k >= 0),
      )
    ) {
      fail(
        'the optimizer exposes no pure transformation per group (paramGroups[].params and .transformation, as every Optimizer does)',
      );
    }
    const steps = 4;
    for (const group of groups) {
      const tx = group.tx as GradientTransformation;
      // The other parameters stay at the start; only the group's own are stepped.
      const theta = problem.start.map((x) => Float64Array.from(x));
      let params = group.members.map((k) => tensor(Float32Array.from(problem.start[k]), problem.shapes[k]));
      let state = tidy(() => tx.init(params));
      try {
        for (let t = 0; t < steps; t++) {
          const values = await Promise.all(params.map((p) => p.data()));
          group.members.forEach((k, j) => theta[k].set(values[j]));
          const all = problem.gradient(theta).grads;
          const grads = group.members.map((k) => tensor(Float32Array.from(all[k]), problem.shapes[k]));
          try {
            const before = await snapshotState(state);
            const inputs = new Set([...stateTensors(state), ...params, ...grads]);
            const made = tidy(() => {
              const r = tx.update(grads, state, params);
              return [...r.updates, ...stateTensors(r.state)];
            }).filter((x) => !inputs.has(x));
            try {
              for (const x of made) await x.materialize();
            } finally {
              for (const x of made) x.dispose();
            }
            const where = firstDifference(before, await snapshotState(state), 'state');
            if (where !== null)
              fail(
                `${tx.name}.update changed ${where} of the state it was given (step ${t + 1}); return a new state instead`,
              );
            ({ params, state } = await applyStepAsync(tx, grads, state, params));
          } finally {
            for (const g of grads) g.dispose();
          }
        }
      } finally {
        for (const t of [...params, ...stateTensors(state)]) t.dispose();
      }
    }
    return `${groups.length} transformation(s) left their input state as it was (structure, tensors and values) over ${steps} steps`;
  });

  add('leaves parameters and state untouched on a rejected (NaN/Inf) step', async () => {
    const problem = quadraticProblem();
    const reference = await withRun(problem, quad, async (r) => (await r.run(10), r.values()));
    const got = await withRun(problem, quad, async (r) => {
      await r.run(5);
      for (const bad of [NaN, Infinity, -Infinity]) {
        const before = { values: await r.values(), dict: clone(await r.optimizer.stateDict()) };
        const values = await r.values();
        const grads = problem.gradient(values).grads.map((g) => Float32Array.from(g));
        grads[grads.length - 1][0] = bad;
        let rejected = false;
        try {
          rejected = (await r.step(grads)) === false;
          r.steps--;
        } catch {
          rejected = true;
        }
        if (!rejected) fail(`a step with a ${bad} gradient was accepted (expected a throw or a false return)`);
        if (!sameBits(before.values, await r.values()))
          fail(`a rejected step with a ${bad} gradient changed the parameters`);
        if (!deepEqual(before.dict, await r.optimizer.stateDict()))
          fail(`a rejected step with a ${bad} gradient changed the optimizer state`);
      }
      await r.run(5);
      return r.values();
    });
    if (!sameBits(reference, got))
      fail('after rejected steps, training did not continue exactly as an uninterrupted run');
    return 'NaN, +Inf and −Inf gradients rejected; nothing changed; training continued bit-identically';
  });

  if (options.sparsity) {
    const sparsity = options.sparsity;
    add('reaches exact zeros on a Lasso problem with a known solution', async () => {
      const problem: LassoProblem = lassoProblem();
      const steps = sparsity.steps ?? 1000;
      if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS)
        fail(`sparsity.steps must be an integer in [1, ${MAX_STEPS}], got ${steps}`);
      return withRun(
        problem,
        (ps) => sparsity.create(ps, { lambda: problem.lambda, k: problem.k }),
        async (run) => {
          await run.run(steps);
          const [v] = await run.values();
          const wrongZeros: number[] = [];
          const lostSupport: number[] = [];
          for (let j = 0; j < v.length; j++) {
            const inSupport = problem.support.includes(j);
            if (!inSupport && v[j] !== 0) wrongZeros.push(j);
            if (inSupport && v[j] === 0) lostSupport.push(j);
          }
          if (wrongZeros.length)
            fail(
              `coordinates ${wrongZeros.join(', ')} should be exactly 0 after ${steps} steps, got ${wrongZeros.map((j) => v[j].toExponential(2)).join(', ')}`,
            );
          if (lostSupport.length) fail(`coordinates ${lostSupport.join(', ')} of the support were set to 0`);
          if ((sparsity.expect ?? 'lasso') === 'lasso') {
            const err = maxError([v], problem.solution);
            if (!(err <= problem.tolerance))
              fail(`max |θ − θ̂| = ${err.toExponential(3)} (tolerance ${problem.tolerance})`);
            return `support ${problem.support.join(',')} recovered with exact zeros elsewhere; max |θ − θ̂| = ${err.toExponential(2)}`;
          }
          return `support ${problem.support.join(',')} recovered with exact zeros elsewhere`;
        },
      );
    });
  }
  return checks;
}

/** Runs every check and reports; never throws for a failed check. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const results: CheckResult[] = [];
  for (const check of conformanceChecks(options)) {
    if (check.skipped) {
      results.push({ check: check.name, ok: true, skipped: check.skipped, message: `skipped: ${check.skipped}` });
      continue;
    }
    try {
      results.push({ check: check.name, ok: true, message: await check.run() });
    } catch (e) {
      results.push({
        check: check.name,
        ok: false,
        message: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      });
    }
  }
  return { name: options.name, ok: results.every((r) => r.ok), results };
}

/** Runs every check and throws a {@link ConformanceError} listing the failures. */
export async function assertConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const report = await runConformance(options);
  if (!report.ok) {
    const failed = report.results.filter((r) => !r.ok).map((r) => `  ✗ ${r.check}: ${r.message}`);
    throw new ConformanceError(`${options.name} fails ${failed.length} conformance check(s):\n${failed.join('\n')}`);
  }
  return report;
}

/** The slice of a test runner's API the kit uses (vitest, jest and mocha all fit). */
export interface TestRunner {
  describe(name: string, body: () => void): unknown;
  it: ((name: string, body: () => Promise<unknown>, timeout?: number) => unknown) & {
    skip?: (name: string, body: () => Promise<unknown>) => unknown;
  };
}

/**
 * Registers a `describe` block with one test per check:
 * `describeConformance({ name, create, invalid }, { describe, it })`.
 */
export function describeConformance(options: ConformanceOptions, runner: TestRunner, timeoutMs = 120_000): void {
  runner.describe(`${options.name} conformance`, () => {
    for (const check of conformanceChecks(options)) {
      if (check.skipped && runner.it.skip) runner.it.skip(`${check.name} (${check.skipped})`, () => check.run());
      else if (!check.skipped) runner.it(check.name, () => check.run(), timeoutMs);
    }
  });
}

export type { Parameter, Tensor };
