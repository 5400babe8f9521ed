#!/usr/bin/env node
// `sparsekit-demo` (`pnpm demo`): parse the flags, select the backend, run the experiments with
// progress, print the comparison, and write results.json and the self-contained report.html.
// The first Ctrl-C stops after the current batch and writes what finished (exit 130); a
// second one quits at once.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BackendError, disposeBackend, getBackend, SparseKitError, setBackend } from '@sparsekit/tensor';
import { type Command, CommanderError } from 'commander';
import { resolveConfig } from '../experiments/config.js';
import { runDemo } from '../experiments/index.js';
import type { DemoConfig } from '../experiments/types.js';
import { loadBoats, loadDigits } from '../node/data.js';
import { readViewScript, writeResults } from '../report/files.js';
import { buildProgram, type CliOptions, flagsInMessage, invocationDir, parseArgs } from './args.js';
import { BarProgress, LineProgress, type Progress, QuietProgress } from './progress.js';
import { type ExperimentData, type RunOutcome, runExperiments } from './run.js';
import { finalSummary } from './table.js';

/** Exit codes: 2 for a usage error, 1 for an experiment that threw, 130 after Ctrl-C. */
const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** Reports a usage error (message, then the usage) on stderr through commander; returns exit code 2. */
function usageError(program: Command, message: string): number {
  try {
    program.error(`error: ${message}`, { exitCode: EXIT.usage });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
  }
  return EXIT.usage;
}

/** Parses and validates the command line: the options and the complete config, or an exit code. */
function readCommandLine(argv: string[]): { options: CliOptions; config: DemoConfig } | number {
  const program = buildProgram();
  let options: CliOptions;
  try {
    options = parseArgs(argv, program);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw e;
  }
  try {
    const config = resolveConfig(options.config);
    if (options.backend !== undefined) setBackend(options.backend);
    return { options, config };
  } catch (e) {
    if (!(e instanceof SparseKitError)) throw e;
    const flags = e instanceof BackendError ? ['--backend'] : flagsInMessage(e.message);
    return usageError(program, `${flags.length ? `${flags.join(', ')}: ` : ''}${e.message}`);
  }
}

/** The whole command; resolves to the process's exit code. */
async function main(argv: string[]): Promise<number> {
  const read = readCommandLine(argv);
  if (typeof read === 'number') return read;
  const { options, config } = read;
  const viewScript = await readViewScript(new URL('.', import.meta.url));

  const backend = getBackend();
  const how = backend.requested === 'auto' ? 'auto-selected' : 'requested';
  console.log(`SparseKit demo · backend ${backend.name} (${how}) · seed ${config.seed}\n  why: ${backend.reason}`);
  const progress: Progress = options.quiet
    ? new QuietProgress()
    : process.stdout.isTTY
      ? new BarProgress(process.stdout)
      : new LineProgress(process.stdout, config.mnist.epochs);

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) {
      // Leave the terminal as it was (the bars hide the cursor) before quitting.
      progress.stop();
      process.exit(EXIT.interrupted);
    }
    controller.abort();
    progress.log('Stopping after the current batch; writing what finished (Ctrl-C again quits at once).');
  };
  process.on('SIGINT', onSigint);

  let outcome: RunOutcome;
  try {
    const data: ExperimentData = {};
    if (config.experiments.includes('mnist')) data.digits = loadDigits();
    if (config.experiments.includes('ksvd')) data.image = loadBoats();
    outcome = await runExperiments(runDemo, data, config, progress, controller.signal);
  } finally {
    progress.stop();
  }
  const { results, failed } = outcome;
  console.log(`\n${finalSummary(results)}`);
  const dir = resolve(invocationDir(), options.out);
  const written = await writeResults(dir, results, viewScript);
  console.log(`\nResults: ${written.json}\nReport:  ${pathToFileURL(written.html).href}`);
  process.off('SIGINT', onSigint);
  for (const { experiment, error } of failed) {
    console.error(`\n${experiment} failed:`, error);
  }
  if (results.meta.interrupted) {
    console.log('Interrupted: the results hold what finished before the stop.');
    return EXIT.interrupted;
  }
  return failed.length > 0 ? EXIT.failed : EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => {
    disposeBackend();
    process.exitCode = code;
    // Nothing should keep the process alive now; if a handle does, do not hang a CI job on it.
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (error: unknown) => {
    console.error(error);
    process.exit(EXIT.failed);
  },
);
