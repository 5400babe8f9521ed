// The CLI's run loop with a stand-in for runDemo: an experiment that throws leaves the others'
// results, a stop keeps what finished, and experiments run in the order lasso, mnist, ksvd.
import { describe, expect, it } from 'vitest';
import { LineProgress } from '../src/cli/progress.js';
import { runExperiments } from '../src/cli/run.js';
import { resolveConfig } from '../src/experiments/config.js';
import type { runDemo } from '../src/experiments/run.js';
import type { DemoResults, Experiment } from '../src/experiments/types.js';
import { fixtureResults } from './report-support.js';

/** A runDemo stand-in: records the experiments asked for and answers each with `behave`. */
function standIn(behave: (experiment: Experiment) => void) {
  const calls: Experiment[][] = [];
  const fixture = fixtureResults();
  const run: typeof runDemo = async (_data, config) => {
    calls.push(config.experiments);
    const [experiment] = config.experiments;
    behave(experiment);
    return { meta: fixture.meta, [experiment]: fixture[experiment] } as DemoResults;
  };
  return { run, calls, fixture };
}

function lines() {
  const out: string[] = [];
  return { out, progress: new LineProgress({ write: (s: string) => out.push(s) }, 1) };
}

describe('runExperiments', () => {
  it('runs one experiment per call in the order lasso, mnist, ksvd', async () => {
    const { run, calls, fixture } = standIn(() => {});
    const config = resolveConfig({ experiments: ['ksvd', 'lasso', 'mnist'] });
    const { results, failed } = await runExperiments(run, {}, config, lines().progress, new AbortController().signal);
    expect(calls).toEqual([['lasso'], ['mnist'], ['ksvd']]);
    expect(failed).toEqual([]);
    expect(results.lasso).toEqual(fixture.lasso);
    expect(results.mnist).toEqual(fixture.mnist);
    expect(results.ksvd).toEqual(fixture.ksvd);
    expect(results.meta.config).toBe(config);
    expect(results.meta.interrupted).toBe(false);
    expect(results.meta.finishedAt).not.toBeNull();
  });

  it('keeps the other experiments when one throws, and reports it', async () => {
    const boom = new Error('boom');
    const { run } = standIn((e) => {
      if (e === 'mnist') throw boom;
    });
    const { out, progress } = lines();
    const { results, failed } = await runExperiments(
      run,
      {},
      resolveConfig({}),
      progress,
      new AbortController().signal,
    );
    expect(failed).toEqual([{ experiment: 'mnist', error: boom }]);
    expect(results.mnist).toBeUndefined();
    expect(results.lasso?.recovered).toBe(true);
    expect(results.ksvd?.atoms).toBe(5);
    expect(out).toContain('mnist failed: boom\n');
  });

  it('stops after a stop request, keeping what finished and marking the run interrupted', async () => {
    const controller = new AbortController();
    const { run, calls } = standIn((e) => {
      if (e === 'mnist') controller.abort();
    });
    const { results, failed } = await runExperiments(run, {}, resolveConfig({}), lines().progress, controller.signal);
    expect(calls).toEqual([['lasso'], ['mnist']]);
    expect(failed).toEqual([]);
    expect(results.mnist).toBeDefined();
    expect(results.ksvd).toBeUndefined();
    expect(results.meta.interrupted).toBe(true);
    expect(results.meta.finishedAt).toBeNull();
  });
});
