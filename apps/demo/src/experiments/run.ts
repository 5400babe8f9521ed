// One run of the demo: the chosen experiments in order, their events, and what finished
// when a stop request comes.
import { getBackend, ValueError } from '@sparsekit/tensor';
import { isAbort } from './abort.js';
import { resolveConfig } from './config.js';
import { runKsvd } from './ksvd.js';
import { PATH_POINTS, runLasso } from './lasso.js';
import { runMnist } from './mnist.js';
import type { DemoConfig, DemoResults, Digits, GrayImageData, RunHooks } from './types.js';
import { EXPERIMENTS } from './types.js';

/**
 * Runs `config.experiments` in the order lasso, mnist, ksvd on the backend in use, emitting
 * events through `hooks.onEvent`. MNIST needs `data.digits` (all digits; the split is seeded
 * inside), K-SVD needs `data.image`. When `hooks.signal` fires, the run stops at the next
 * batch or iteration and resolves with what finished: MNIST's completed methods are kept, an
 * experiment cut short otherwise is left out, and `meta.interrupted` is true (`finishedAt` null).
 * @throws ValueError for a bad config (see `resolveConfig`) or a missing data set.
 */
export async function runDemo(
  data: { digits?: Digits; image?: GrayImageData },
  config: DemoConfig,
  hooks: RunHooks = {},
): Promise<DemoResults> {
  const resolved = resolveConfig(config);
  const wanted = EXPERIMENTS.filter((e) => resolved.experiments.includes(e));
  if (wanted.includes('mnist') && !data?.digits)
    throw new ValueError('runDemo', "data.digits is required for the 'mnist' experiment (loadDigits() in Node)");
  if (wanted.includes('ksvd') && !data?.image)
    throw new ValueError('runDemo', "data.image is required for the 'ksvd' experiment (loadBoats() in Node)");
  const emit = hooks.onEvent ?? (() => {});
  const results: DemoResults = {
    meta: {
      backend: getBackend().name,
      seed: resolved.seed,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      interrupted: false,
      config: resolved,
    },
  };
  const { mnist } = resolved;
  const stepsOf = {
    lasso: PATH_POINTS + 1,
    mnist: mnist.methods.length * mnist.epochs * Math.ceil(mnist.trainSize / mnist.batchSize),
    ksvd: resolved.ksvd.iterations,
  };
  for (const experiment of wanted) {
    if (hooks.signal?.aborted) break;
    emit({ type: 'experiment-start', experiment, steps: stepsOf[experiment] });
    try {
      if (experiment === 'lasso') results.lasso = await runLasso(resolved, hooks);
      else if (experiment === 'mnist') results.mnist = await runMnist(data.digits as Digits, resolved, hooks);
      else results.ksvd = await runKsvd(data.image as GrayImageData, resolved, hooks);
    } catch (e) {
      if (isAbort(e)) break;
      throw e;
    }
    emit({ type: 'experiment-end', experiment });
  }
  results.meta.interrupted = hooks.signal?.aborted === true;
  if (!results.meta.interrupted) results.meta.finishedAt = new Date().toISOString();
  return results;
}
