// The run behind the CLI: each chosen experiment through runDemo on its own, so one that throws
// leaves the others' results to write, and a stop keeps what finished.
import { getBackend } from '@sparsekit/tensor';
import type { runDemo } from '../experiments/run.js';
import {
  type DemoConfig,
  type DemoEvent,
  type DemoResults,
  type Digits,
  EXPERIMENTS,
  type Experiment,
  type GrayImageData,
} from '../experiments/types.js';
import type { Progress } from './progress.js';

/** The data sets runDemo takes: the digits for MNIST, the image for K-SVD. */
export interface ExperimentData {
  digits?: Digits;
  image?: GrayImageData;
}

/** The merged results, and the experiments that threw with what they threw. */
export interface RunOutcome {
  results: DemoResults;
  failed: { experiment: Experiment; error: unknown }[];
}

/**
 * Runs each chosen experiment on its own (in the order lasso, mnist, ksvd, as runDemo would),
 * so one that throws leaves the others' results to write.
 */
export async function runExperiments(
  run: typeof runDemo,
  data: ExperimentData,
  config: DemoConfig,
  progress: Progress,
  signal: AbortSignal,
): Promise<RunOutcome> {
  const hooks = { onEvent: (event: DemoEvent) => progress.handle(event), signal };
  const startedAt = new Date().toISOString();
  const results: DemoResults = {
    meta: { backend: getBackend().name, seed: config.seed, startedAt, finishedAt: null, interrupted: false, config },
  };
  const failed: { experiment: Experiment; error: unknown }[] = [];
  for (const experiment of EXPERIMENTS.filter((e) => config.experiments.includes(e))) {
    if (signal.aborted) break;
    try {
      const one = await run(data, { ...config, experiments: [experiment] }, hooks);
      if (one.lasso) results.lasso = one.lasso;
      if (one.mnist) results.mnist = one.mnist;
      if (one.ksvd) results.ksvd = one.ksvd;
    } catch (error) {
      failed.push({ experiment, error });
      progress.log(`${experiment} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  results.meta.interrupted = signal.aborted;
  if (!signal.aborted) results.meta.finishedAt = new Date().toISOString();
  return { results, failed };
}
