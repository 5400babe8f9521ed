// The command line: flags parsed by commander, each mapped onto a field of a partial DemoConfig
// that the experiments' resolveConfig completes and validates. Malformed flag values are
// refused here with the flag's name; range and consistency checks are resolveConfig's.
import { BACKENDS, type BackendName } from '@sparsekit/tensor';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  type DeepPartial,
  type DemoConfig,
  EXPERIMENTS,
  type Experiment,
  MNIST_METHODS,
  type MnistMethod,
} from '../experiments/types.js';

/** What a command line asks for: the partial configuration and what the CLI itself does. */
export interface CliOptions {
  config: DeepPartial<DemoConfig>;
  /** The tensor backend to select, or undefined to keep SPARSEKIT_BACKEND / auto. */
  backend: BackendName | 'auto' | undefined;
  /** Results directory (results.json and report.html). */
  out: string;
  /** No progress output, only the final table and findings. */
  quiet: boolean;
}

/** The default results directory, relative to where the command was run ({@link invocationDir}). */
export const DEFAULT_OUT = 'demo-results';

/**
 * The folder the user ran the command from: a package manager running the `demo` script
 * changes into the package's folder and keeps the original in `INIT_CWD`, so `--out` (and the
 * default `demo-results/`) resolve where the user typed `pnpm demo`.
 */
export function invocationDir(env: Record<string, string | undefined> = process.env): string {
  const initial = env.INIT_CWD;
  return initial && initial.trim() !== '' ? initial : process.cwd();
}

/** Parses a whole decimal integer (no exponent, no fraction), for `--epochs` and the like. */
function parseInteger(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError('expected a whole number.');
  return Number(text);
}

/** Parses a finite decimal number, e.g. `1e-3` or `25`. */
function parseNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError('expected a finite number.');
  return value;
}

/** A parser of comma-separated names from `allowed` (`all` for every one), each listed once. */
export function nameList<T extends string>(allowed: readonly T[]): (text: string) => T[] {
  return (text) => {
    if (text.trim() === 'all') return [...allowed];
    const names = text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (names.length === 0) throw new InvalidArgumentError(`expected a comma-separated list of ${allowed.join(', ')}.`);
    for (const name of names) {
      if (!(allowed as readonly string[]).includes(name))
        throw new InvalidArgumentError(`unknown name '${name}'; expected ${allowed.join(', ')} or all.`);
    }
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate !== undefined) throw new InvalidArgumentError(`'${duplicate}' is listed twice.`);
    return names as T[];
  };
}

/** Adds one `method=value` to the λ overrides collected so far (`--lambda` may repeat). */
export function parseLambda(
  text: string,
  previous: Partial<Record<MnistMethod, number>> = {},
): Partial<Record<MnistMethod, number>> {
  const match = /^([a-z0-9-]+)=(.+)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('expected method=value, e.g. prox-adam-l1=2e-3.');
  const [, method, value] = match;
  if (!(MNIST_METHODS as readonly string[]).includes(method))
    throw new InvalidArgumentError(`unknown method '${method}'; expected one of ${MNIST_METHODS.join(', ')}.`);
  return { ...previous, [method]: parseNumber(value) };
}

/** The demo's commander program (its own instance per call, so tests can parse many times). */
export function buildProgram(): Command {
  return new Command('sparsekit-demo')
    .description(
      "SparseKit's demo: why Adam is not sparse and what fixes it. Trains a 784-128-10 MLP on MNIST digits " +
        'with each method, learns a K-SVD dictionary and denoises an image, recovers a Lasso support; ' +
        'prints a comparison and writes results.json and a self-contained report.html.',
    )
    .option('-e, --epochs <n>', 'MNIST epochs per method', parseInteger)
    .option('--train-size <n>', 'MNIST training digits (of 10,000)', parseInteger)
    .option('--test-size <n>', 'MNIST test digits', parseInteger)
    .option('--batch-size <n>', 'MNIST batch size', parseInteger)
    .option(
      `-m, --methods <list>`,
      `MNIST methods, comma-separated: ${MNIST_METHODS.join(', ')}, or all`,
      nameList(MNIST_METHODS),
    )
    .option(`-x, --experiments <list>`, `experiments to run: ${EXPERIMENTS.join(', ')}, or all`, nameList(EXPERIMENTS))
    .option('--lambda <method=value>', 'λ for one method, repeatable (default: the cross-validated value)', parseLambda)
    .addOption(
      new Option('-b, --backend <name>', 'tensor backend (default: SPARSEKIT_BACKEND, else auto)').choices([
        'auto',
        ...BACKENDS,
      ]),
    )
    .option('-s, --seed <n>', 'seed of every random choice', parseInteger)
    .option('--ksvd-image-size <px>', 'side of the boats crop K-SVD works on', parseInteger)
    .option('--ksvd-atoms <n>', 'dictionary atoms', parseInteger)
    .option('--ksvd-sparsity <k>', 'non-zeros per patch code', parseInteger)
    .option('--ksvd-iterations <n>', 'K-SVD iterations', parseInteger)
    .option('--ksvd-patches <n>', 'training patches', parseInteger)
    .option('--sigma <σ>', 'noise standard deviation on the 0–255 scale', parseNumber)
    .option('-o, --out <dir>', 'results directory (relative to where you ran the command)', DEFAULT_OUT)
    .option('-q, --quiet', 'no progress, only the final comparison', false)
    .showHelpAfterError()
    .exitOverride();
}

interface ParsedFlags {
  epochs?: number;
  trainSize?: number;
  testSize?: number;
  batchSize?: number;
  methods?: MnistMethod[];
  experiments?: Experiment[];
  lambda?: Partial<Record<MnistMethod, number>>;
  backend?: BackendName | 'auto';
  seed?: number;
  ksvdImageSize?: number;
  ksvdAtoms?: number;
  ksvdSparsity?: number;
  ksvdIterations?: number;
  ksvdPatches?: number;
  sigma?: number;
  out: string;
  quiet: boolean;
}

/** Keeps only the defined entries of `record` (an unset flag leaves the default in place). */
function defined<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Maps parsed flags onto a partial configuration: a flag not given leaves its field out. */
function flagsToConfig(flags: Omit<ParsedFlags, 'out' | 'quiet' | 'backend'>): DeepPartial<DemoConfig> {
  const mnist = defined({
    epochs: flags.epochs,
    trainSize: flags.trainSize,
    testSize: flags.testSize,
    batchSize: flags.batchSize,
    methods: flags.methods,
    lambdas: flags.lambda,
  });
  const ksvd = defined({
    imageSize: flags.ksvdImageSize,
    atoms: flags.ksvdAtoms,
    sparsity: flags.ksvdSparsity,
    iterations: flags.ksvdIterations,
    trainingPatches: flags.ksvdPatches,
    sigma: flags.sigma,
  });
  return defined({
    seed: flags.seed,
    experiments: flags.experiments,
    mnist: Object.keys(mnist).length ? mnist : undefined,
    ksvd: Object.keys(ksvd).length ? ksvd : undefined,
  });
}

/**
 * Parses `argv` (without `node` and the script). Throws commander's `CommanderError` for a bad
 * flag (after writing the error and the usage to stderr) and for `--help` (exit code 0).
 */
export function parseArgs(argv: string[], program: Command = buildProgram()): CliOptions {
  program.parse(argv, { from: 'user' });
  const flags = program.opts<ParsedFlags>();
  return {
    config: flagsToConfig(flags),
    backend: flags.backend,
    out: flags.out,
    quiet: flags.quiet,
  };
}

/** The flag that sets a configuration field, for error messages about a resolved config. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  'config.seed': '--seed',
  'config.experiments': '--experiments',
  'config.mnist.epochs': '--epochs',
  'config.mnist.trainSize': '--train-size',
  'config.mnist.testSize': '--test-size',
  'config.mnist.batchSize': '--batch-size',
  'config.mnist.methods': '--methods',
  'config.mnist.lambdas': '--lambda',
  'config.ksvd.imageSize': '--ksvd-image-size',
  'config.ksvd.atoms': '--ksvd-atoms',
  'config.ksvd.sparsity': '--ksvd-sparsity',
  'config.ksvd.iterations': '--ksvd-iterations',
  'config.ksvd.trainingPatches': '--ksvd-patches',
  'config.ksvd.sigma': '--sigma',
};

/** The flags a configuration error message is about (every `config.…` field it names), in order. */
export function flagsInMessage(message: string): string[] {
  const flags: string[] = [];
  for (const match of message.matchAll(/config(?:\.[A-Za-z0-9-]+)+/g)) {
    // `config.mnist.lambdas.adam` is the `--lambda` flag's: the longest prefix with a flag wins.
    const parts = match[0].split('.');
    for (let n = parts.length; n > 1; n -= 1) {
      const flag = FLAG_OF_FIELD[parts.slice(0, n).join('.')];
      if (flag === undefined) continue;
      if (!flags.includes(flag)) flags.push(flag);
      break;
    }
  }
  return flags;
}
