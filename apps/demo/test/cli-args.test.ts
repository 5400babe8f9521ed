// The CLI's pieces without a process: flags to a partial config, flag errors, the progress
// lines and the final summary.
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  buildProgram,
  DEFAULT_OUT,
  flagsInMessage,
  invocationDir,
  nameList,
  parseArgs,
  parseLambda,
} from '../src/cli/args.js';
import { epochLine, LineProgress } from '../src/cli/progress.js';
import { comparisonTable, finalSummary } from '../src/cli/table.js';
import { resolveConfig } from '../src/experiments/config.js';
import { EXPERIMENTS } from '../src/experiments/types.js';
import { fixtureResults } from './report-support.js';

/** Parses with commander's output captured instead of written. */
function parse(argv: string[]) {
  const program = buildProgram();
  const err: string[] = [];
  program.configureOutput({ writeErr: (s) => err.push(s), writeOut: () => {} });
  try {
    return { options: parseArgs(argv, program), err: err.join('') };
  } catch (e) {
    return { error: e as CommanderError, err: err.join('') };
  }
}

describe('flags', () => {
  it('maps no flags to an empty partial config and the defaults', () => {
    const { options } = parse([]);
    expect(options).toEqual({ config: {}, backend: undefined, out: DEFAULT_OUT, quiet: false });
  });

  it('maps each flag onto its config field', () => {
    const { options } = parse([
      '--epochs=3',
      '--train-size',
      '500',
      '--test-size',
      '200',
      '--batch-size',
      '32',
      '--methods',
      'adam,prox-adam-l1',
      '--experiments',
      'mnist,ksvd',
      '--lambda',
      'prox-adam-l1=2e-3',
      '--lambda',
      'adam-l1=1e-4',
      '--seed',
      '11',
      '--ksvd-image-size',
      '64',
      '--ksvd-atoms',
      '32',
      '--ksvd-sparsity',
      '4',
      '--ksvd-iterations',
      '2',
      '--ksvd-patches',
      '500',
      '--sigma',
      '15',
      '--backend',
      'cpu',
      '--out',
      '/tmp/x',
      '--quiet',
    ]);
    expect(options).toEqual({
      config: {
        seed: 11,
        experiments: ['mnist', 'ksvd'],
        mnist: {
          epochs: 3,
          trainSize: 500,
          testSize: 200,
          batchSize: 32,
          methods: ['adam', 'prox-adam-l1'],
          lambdas: { 'prox-adam-l1': 0.002, 'adam-l1': 0.0001 },
        },
        ksvd: { imageSize: 64, atoms: 32, sparsity: 4, iterations: 2, trainingPatches: 500, sigma: 15 },
      },
      backend: 'cpu',
      out: '/tmp/x',
      quiet: true,
    });
    const config = resolveConfig(options!.config);
    expect(config.mnist.epochs).toBe(3);
    expect(config.mnist.lambdas).toEqual({ 'prox-adam-l1': 0.002, 'adam-l1': 0.0001 });
    expect(config.ksvd.sigma).toBe(15);
    expect(config.lasso).toEqual(resolveConfig({}).lasso);
  });

  it('takes all for every method or experiment', () => {
    expect(parse(['-x', 'all']).options?.config.experiments).toEqual([...EXPERIMENTS]);
  });

  it.each([
    [['--epochs', 'x'], /'-e, --epochs <n>' argument 'x' is invalid\. expected a whole number/],
    [['--epochs', '1.5'], /expected a whole number/],
    [['--sigma', 'loud'], /'--sigma <σ>' argument 'loud' is invalid\. expected a finite number/],
    [['--methods', 'adam,foo'], /unknown name 'foo'; expected sgd, adam, .* or all/],
    [['--methods', 'adam,adam'], /'adam' is listed twice/],
    [['--experiments', ''], /expected a comma-separated list of lasso, mnist, ksvd/],
    [['--lambda', 'adam'], /expected method=value/],
    [['--lambda', 'nope=1'], /unknown method 'nope'/],
    [['--lambda', 'adam=big'], /expected a finite number/],
    [['--backend', 'tpu'], /argument 'tpu' is invalid\. Allowed choices are auto, webgpu, .*, cpu/],
    [['--frobnicate'], /unknown option '--frobnicate'/],
    [['stray'], /too many arguments/],
  ])('refuses %j with an error and the usage on stderr', (argv, message) => {
    const { error, err } = parse(argv);
    expect(error).toBeInstanceOf(CommanderError);
    expect(error?.exitCode).toBe(1);
    expect(err).toMatch(message);
    expect(err).toContain('Usage: sparsekit-demo [options]');
  });

  it('treats --help as a zero exit, not an error', () => {
    const { error } = parse(['--help']);
    expect(error?.code).toBe('commander.helpDisplayed');
    expect(error?.exitCode).toBe(0);
  });

  it('parses name lists and λ pairs on their own', () => {
    expect(nameList(['a', 'b', 'c'] as const)(' c , a ')).toEqual(['c', 'a']);
    expect(parseLambda('ftrl=0.5', { sgd: 1 } as never)).toEqual({ sgd: 1, ftrl: 0.5 });
  });

  it('resolves --out from where a package-manager script was started (INIT_CWD), else the working directory', () => {
    expect(invocationDir({ INIT_CWD: '/home/me/sparsekit' })).toBe('/home/me/sparsekit');
    expect(invocationDir({ INIT_CWD: '' })).toBe(process.cwd());
    expect(invocationDir({})).toBe(process.cwd());
  });

  it('names the flag behind a configuration error', () => {
    expect(flagsInMessage('resolveConfig: config.mnist.epochs must be an integer in [1, 1000], got number 0')).toEqual([
      '--epochs',
    ]);
    expect(flagsInMessage('config.mnist.trainSize + testSize must be <= 10000')).toEqual(['--train-size']);
    expect(flagsInMessage('config.mnist.lambdas.adam must be a finite number >= 0')).toEqual(['--lambda']);
    expect(flagsInMessage('config.ksvd.patchSize must be <= imageSize')).toEqual([]);
  });
});

describe('output', () => {
  const results = fixtureResults();

  it('prints one plain line per epoch, method and K-SVD iteration, none per batch', () => {
    const lines: string[] = [];
    const progress = new LineProgress({ write: (s: string) => lines.push(s) }, 3);
    const prox = results.mnist!.methods[1];
    progress.handle({ type: 'experiment-start', experiment: 'mnist', steps: 10 });
    progress.handle({ type: 'method-start', method: prox.method, label: prox.label, steps: 10 });
    progress.handle({ type: 'batch', method: prox.method, epoch: 0, batch: 0, batches: 5, loss: 2 });
    progress.handle({ type: 'epoch', method: prox.method, record: prox.epochs[2], weights: [] });
    progress.handle({ type: 'method-end', result: prox });
    progress.handle({ type: 'ksvd-iteration', iteration: 2, iterations: 6, error: 12.5 });
    progress.handle({ type: 'lasso-step', step: 1, steps: 24 });
    expect(lines.join('')).toBe(
      [
        'mnist: started',
        '  Proximal Adam (L1): 10 steps',
        '  Proximal Adam (L1)        epoch  3/3  loss 0.2500  acc 94.45%  zeros  93.2%  Hoyer 0.67  (1.5 s)',
        '  Proximal Adam (L1): 94.45% test accuracy, 93.2% zeros (4.5 s)',
        '  K-SVD iteration 2/6: error 12.5000',
        '',
      ].join('\n'),
    );
    expect(epochLine('Adam', results.mnist!.methods[0].epochs[0], 10)).toContain('epoch  1/10');
  });

  it('prints the comparison table, the headline and the K-SVD and Lasso lines', () => {
    const text = finalSummary(results);
    expect(text).toMatch(/│ method\s+│\s+λ │ test acc % │ zeros % │/);
    expect(text).toMatch(/│ Proximal Adam \(L1\) │ 2e-3 │\s+94\.45 │\s+93\.2 │/);
    expect(text).toContain('Headline: Proximal Adam (L1) keeps 93.2% of the weights exactly zero');
    expect(text).toContain('K-SVD: 5 atoms of 4×4');
    expect(text).toContain('Lasso: 50 × 8, support {1, 4} recovered exactly');
    expect(comparisonTable({ meta: results.meta })).toBeNull();
  });
});
