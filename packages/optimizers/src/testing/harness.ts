/** The kit's harness: a run of an optimizer on a problem, and its failure type. @internal */
import { Parameter } from '@sparsekit/autograd';
import { tensor } from '@sparsekit/tensor';
import type { OptimizerUnderTest } from './index.js';
import type { Problem } from './problems.js';

/** A failed conformance check. */
export class ConformanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceError';
  }
}

/** Fails the running check. */
export function fail(message: string): never {
  throw new ConformanceError(message);
}

/** A run of an optimizer on a problem: parameters, gradients set from the host, steps. */
export class Run {
  readonly params: Parameter[];
  readonly optimizer: OptimizerUnderTest;
  steps = 0;

  constructor(
    readonly problem: Problem,
    make: (params: Parameter[]) => OptimizerUnderTest,
    start?: Float32Array[],
  ) {
    this.params = problem.shapes.map(
      (s, i) => new Parameter(tensor(start ? start[i] : Float32Array.from(problem.start[i]), s)),
    );
    this.optimizer = make(this.params);
  }

  async values(): Promise<Float32Array[]> {
    return Promise.all(this.params.map((p) => p.value.data()));
  }

  /** Sets each `.grad` from the host gradient at the current values, or from `override`. */
  async setGrads(override?: Float32Array[]): Promise<void> {
    const values = await this.values();
    values.forEach((v, k) => {
      const bad = v.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0)
        fail(`${this.problem.name}: parameter ${k} holds ${v[bad]} at index ${bad} after ${this.steps} steps`);
    });
    const grads = override ?? this.problem.gradient(values).grads.map((g) => Float32Array.from(g));
    this.params.forEach((p, k) => {
      p.grad?.dispose();
      p.grad = tensor(grads[k], p.value.shape);
    });
  }

  async step(override?: Float32Array[]): Promise<unknown> {
    await this.setGrads(override);
    const r = await this.optimizer.step();
    this.steps++;
    return r;
  }

  async run(steps: number): Promise<void> {
    for (let i = 0; i < steps; i++) await this.step();
  }

  dispose(): void {
    this.optimizer.dispose?.();
    for (const p of this.params) p.dispose();
  }
}

/** Runs `body` on a fresh {@link Run} and frees it whatever happens. */
export async function withRun<T>(
  problem: Problem,
  make: (params: Parameter[]) => OptimizerUnderTest,
  body: (run: Run) => Promise<T>,
  start?: Float32Array[],
): Promise<T> {
  const run = new Run(problem, make, start);
  try {
    return await body(run);
  } finally {
    run.dispose();
  }
}
