// The contract between the experiments (one definition) and their two faces: the CLI with its
// HTML report, and the web page with its worker. Everything here is plain data — numbers,
// strings, arrays — so a result goes through JSON.stringify and postMessage unchanged.

/** The ten ways to train the MNIST MLP, in the order they are shown. */
export const MNIST_METHODS = [
  'sgd',
  'adam',
  'adam-l1',
  'adamw',
  'sgd-l1',
  'prox-adam-l1',
  'prox-adam-l0',
  'ftrl',
  'l0-gates',
  'pruning',
] as const;
export type MnistMethod = (typeof MNIST_METHODS)[number];

/** The three experiments, in the order they run. */
export const EXPERIMENTS = ['lasso', 'mnist', 'ksvd'] as const;
export type Experiment = (typeof EXPERIMENTS)[number];

/** What a run does. Every field has a default (`defaultConfig()`); a face overrides some. */
export interface DemoConfig {
  seed: number;
  experiments: Experiment[];
  mnist: {
    methods: MnistMethod[];
    epochs: number;
    /** Training digits (the rest of a 10,000-digit seeded split, up to `testSize`, is the test set). */
    trainSize: number;
    testSize: number;
    batchSize: number;
    /** λ per method; a missing entry takes the cross-validated value cached in `lambdas.json`. */
    lambdas: Partial<Record<MnistMethod, number>>;
    /** Gradual magnitude pruning (method `pruning`): a target, not a λ. */
    pruning: PruningConfig;
  };
  ksvd: {
    /** Side of the square crop of the boats image the experiment works on (pixels). */
    imageSize: number;
    patchSize: number;
    atoms: number;
    /** Non-zeros per patch code. */
    sparsity: number;
    iterations: number;
    /** Training patches drawn (seeded) from the noisy crop. */
    trainingPatches: number;
    /** Noise standard deviation on the 0–255 scale. */
    sigma: number;
  };
  lasso: {
    samples: number;
    features: number;
    /** Non-zeros in the true coefficient vector. */
    support: number;
    noise: number;
  };
}

/**
 * The schedule of the `pruning` method: Zhu & Gupta's cubic ramp from 0 to `finalSparsity`
 * between the starts of epochs `startEpoch` and `endEpoch` (0-based), re-ranking the weights
 * every `frequency` steps and keeping the mask applied after every step. A run shorter than
 * `endEpoch` ends the ramp at its last epoch (and starts it earlier if need be).
 */
export interface PruningConfig {
  /** Fraction of the pruned weights that end exactly zero, in [0, 1). */
  finalSparsity: number;
  startEpoch: number;
  endEpoch: number;
  /** Optimizer steps between two re-rankings. */
  frequency: number;
  /**
   * Where the zeros go: `'first-layer'` prunes only the 784×128 layer, deep enough that
   * `finalSparsity` of all weights are zero (where global magnitude pruning puts nearly all of
   * them, and the 10×128 output layer keeps every weight); `'global'`: one magnitude threshold
   * over both weight matrices; `'layer'`: the same fraction in each.
   */
  scope: 'first-layer' | 'global' | 'layer';
}

/** `T` with every field optional, recursively (arrays are replaced whole): what `resolveConfig` takes. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A grey image, row-major, values on the 0–255 scale. */
export interface GrayImageData {
  width: number;
  height: number;
  pixels: number[];
}

/** Digits as the experiments take them: `x` is [n, 784] row-major in [0, 1], `y` labels 0–9. */
export interface Digits {
  n: number;
  x: Float32Array;
  y: Float32Array;
}

/** A weight matrix for a heatmap, `rows × cols` row-major (maybe downsampled; exact zeros stay 0). */
export interface WeightSnapshot {
  name: string;
  rows: number;
  cols: number;
  values: number[];
  /** Fraction of exactly-zero entries in the full (not downsampled) matrix. */
  sparsity: number;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  testAccuracy: number;
  /** Fraction of weight entries exactly zero (biases excluded). */
  sparsity: number;
  hoyer: number;
  gini: number;
  seconds: number;
}

/** The model report at the end of a method: bytes and measured inference time. */
export interface ModelReport {
  parameters: number;
  nonZeros: number;
  bytesDense: number;
  bytesCsr: number;
  bytesCompacted: number;
  /**
   * Latency of one request: milliseconds per digit predicted alone (batch 1), the median over
   * several passes of `latencySamples` test digits, each form. The headline's speed-up uses these.
   */
  inferenceMsDense: number;
  inferenceMsCsr: number;
  inferenceMsCompacted: number;
  /** Test digits timed one at a time for the latency figures. */
  latencySamples: number;
  /** Throughput: milliseconds to predict the whole test set in batches of `batchSize` (median of several passes). */
  batched: { batchSize: number; msDense: number; msCsr: number; msCompacted: number };
  layers: { name: string; shape: number[]; sparsity: number; deadInputs: number; deadOutputs: number }[];
}

export interface MethodResult {
  method: MnistMethod;
  label: string;
  /** The λ used (null for methods without one), and where it came from. */
  lambda: number | null;
  lambdaSource: 'cross-validation' | 'flag' | 'none';
  epochs: EpochRecord[];
  /** Train loss every few batches, for a finer curve. */
  lossCurve: number[];
  testAccuracy: number;
  sparsity: number;
  report: ModelReport;
  weights: WeightSnapshot[];
  seconds: number;
}

export interface MnistResult {
  trainSize: number;
  testSize: number;
  methods: MethodResult[];
  /** The headline: the sparsest method within 1 point of dense Adam, if any reached ≥ 90 % zeros. */
  headline: {
    denseAdamAccuracy: number | null;
    best: { method: MnistMethod; sparsity: number; testAccuracy: number; speedup: number } | null;
    met: boolean;
  };
}

export interface KsvdResult {
  patchSize: number;
  atoms: number;
  /** The learned dictionary, atom-major: `atoms × patchSize²`. */
  dictionary: number[];
  /** Representation error per K-SVD iteration. */
  errorCurve: number[];
  sigma: number;
  psnrNoisy: number;
  psnrDenoised: number;
  clean: GrayImageData;
  noisy: GrayImageData;
  denoised: GrayImageData;
  seconds: number;
}

export interface LassoResult {
  samples: number;
  features: number;
  trueSupport: number[];
  foundSupport: number[];
  recovered: boolean;
  alpha: number;
  coefficients: number[];
  trueCoefficients: number[];
  /** The regularization path: α and non-zeros at each point. */
  path: { alpha: number; nonZeros: number }[];
  bytesDense: number;
  bytesCsr: number;
  seconds: number;
}

export interface DemoResults {
  meta: {
    backend: string;
    seed: number;
    startedAt: string;
    finishedAt: string | null;
    /** True when the run was stopped (Ctrl-C, a stop button) before it finished. */
    interrupted: boolean;
    config: DemoConfig;
  };
  lasso?: LassoResult;
  mnist?: MnistResult;
  ksvd?: KsvdResult;
}

/** What a running experiment reports, in order; a face draws from these. */
export type DemoEvent =
  | { type: 'experiment-start'; experiment: Experiment; steps: number }
  | { type: 'experiment-end'; experiment: Experiment }
  | { type: 'method-start'; method: MnistMethod; label: string; steps: number }
  | { type: 'batch'; method: MnistMethod; epoch: number; batch: number; batches: number; loss: number }
  | { type: 'epoch'; method: MnistMethod; record: EpochRecord; weights: WeightSnapshot[] }
  | { type: 'method-end'; result: MethodResult }
  | { type: 'ksvd-iteration'; iteration: number; iterations: number; error: number }
  | { type: 'lasso-step'; step: number; steps: number }
  | { type: 'log'; message: string };

export interface RunHooks {
  onEvent?: (event: DemoEvent) => void;
  /** Aborting stops at the next batch or iteration; what finished is kept and returned. */
  signal?: AbortSignal;
}
