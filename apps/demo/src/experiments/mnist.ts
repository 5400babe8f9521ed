// Experiment 1: the 784-128-10 MLP on real MNIST digits under ten ways of training, with the
// same seeded split, initialisation, batch order and budget — accuracy and exact sparsity per
// epoch, and at the end what the zeros buy: bytes and inference time dense, CSR and compacted.
import { fit, type Module, noGrad, tidy } from '@sparsekit/autograd';
import { accuracy } from '@sparsekit/metrics';
import { compact, toCsr } from '@sparsekit/regularizers';
import { argmax, materializeAll, permutation, type Tensor, tensor, ValueError } from '@sparsekit/tensor';
import { isAbort, pause, throwIfAborted } from './abort.js';
import { resolveConfig } from './config.js';
import { cachedLambda } from './lambdas.js';
import { METHOD_LABELS, MLP_SIZES, makeTrainer, takesLambda } from './methods.js';
import { inferenceSpeedup } from './speedup.js';
import type {
  DemoConfig,
  Digits,
  EpochRecord,
  MethodResult,
  MnistMethod,
  MnistResult,
  ModelReport,
  RunHooks,
} from './types.js';
import { effectiveLayers, type HostLayer, snapshot, weightStats } from './weights.js';

/** A loss point every this many batches in `MethodResult.lossCurve`. */
const LOSS_CURVE_EVERY = 10;
/** Timed passes per model form (after two warm-up passes); the median is reported. */
const TIMING_RUNS = 7;
/** Test digits predicted one at a time for the latency figures. */
export const LATENCY_SAMPLES = 200;
/** Headline: at least this fraction of the weights exactly zero… */
export const HEADLINE_SPARSITY = 0.9;
/** …with test accuracy no more than this below dense Adam's. */
export const HEADLINE_ACCURACY_GAP = 0.01;

/** The seeded split of `digits`: `trainSize` then `testSize` rows of one permutation. */
export interface MnistSplit {
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  /** The test digits on the host, row-major. */
  xTestHost: Float32Array;
  yTest: Float32Array;
}

/**
 * Splits the digits with the permutation of `seed`: the first `trainSize` permuted digits
 * train, the next `testSize` test. The caller disposes the tensors.
 */
export function splitDigits(digits: Digits, trainSize: number, testSize: number, seed: number): MnistSplit {
  if (!digits || !(digits.x instanceof Float32Array) || !(digits.y instanceof Float32Array))
    throw new ValueError('runMnist', 'digits must be { n, x: Float32Array, y: Float32Array }');
  const d = MLP_SIZES[0];
  if (digits.x.length !== digits.n * d || digits.y.length !== digits.n)
    throw new ValueError(
      'runMnist',
      `digits must hold n = ${digits.n} rows of ${d} pixels and n labels, got ${digits.x.length} pixels and ${digits.y.length} labels`,
    );
  if (trainSize + testSize > digits.n)
    throw new ValueError(
      'runMnist',
      `config.mnist.trainSize + testSize (${trainSize} + ${testSize}) must be <= the ${digits.n} digits given`,
    );
  const order = permutation(digits.n, { seed });
  const take = (from: number, count: number): { x: Float32Array; y: Float32Array } => {
    const x = new Float32Array(count * d);
    const y = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const r = order[from + i];
      x.set(digits.x.subarray(r * d, (r + 1) * d), i * d);
      y[i] = digits.y[r];
    }
    return { x, y };
  };
  const train = take(0, trainSize);
  const test = take(trainSize, testSize);
  return {
    xTrain: tensor(train.x, [trainSize, d]),
    yTrain: tensor(train.y, [trainSize]),
    xTest: tensor(test.x, [testSize, d]),
    xTestHost: test.x,
    yTest: test.y,
  };
}

/** The eval-mode class predictions of `model` for `x`, read back. */
async function predict(model: Module, x: Tensor): Promise<Float32Array> {
  const wasTraining = model.training;
  model.eval();
  const labels = tidy(() => noGrad(() => argmax(model.forward(x).value, 1)));
  try {
    return Float32Array.from(await labels.data());
  } finally {
    labels.dispose();
    model.train(wasTraining);
  }
}

/**
 * Median milliseconds of each of `runs` over {@link TIMING_RUNS} rounds after two warm-up
 * rounds; the forms take turns within a round, so a slow spell of a shared machine
 * slows them all alike instead of one.
 */
async function medianMs(runs: readonly (() => Promise<void>)[]): Promise<number[]> {
  const samples = runs.map((): number[] => []);
  for (let round = -2; round < TIMING_RUNS; round++) {
    for (const [i, run] of runs.entries()) {
      const t = performance.now();
      await run();
      if (round >= 0) samples[i].push(performance.now() - t);
    }
  }
  return samples.map((s) => s.sort((a, b) => a - b)[s.length >> 1]);
}

/** Predicts every input in turn and reads each output back (so lazy work is included). */
const timedForward = (forward: (x: Tensor) => Tensor, inputs: readonly Tensor[]) => async (): Promise<void> => {
  for (const x of inputs) {
    const y = forward(x);
    await y.data();
    y.dispose();
  }
};

const moduleForward =
  (model: Module) =>
  (x: Tensor): Tensor =>
    tidy(() => noGrad(() => model.forward(x).value));

/** The test digits cut into `[size, 784]` tensors from the host copy (no slicing kernels). */
function chunks(x: Float32Array, count: number, size: number): Tensor[] {
  const d = MLP_SIZES[0];
  const out: Tensor[] = [];
  for (let s = 0; s < count; s += size) {
    const n = Math.min(size, count - s);
    out.push(tensor(x.subarray(s * d, (s + n) * d), [n, d]));
  }
  return out;
}

/** Zeros, dead outputs (all-zero rows) and dead inputs (all-zero columns) of one layer. */
function layerSummary(l: HostLayer): ModelReport['layers'][number] {
  let zeros = 0;
  let deadOutputs = 0;
  const colAlive = new Uint8Array(l.cols);
  for (let r = 0; r < l.rows; r++) {
    let rowZero = true;
    for (let c = 0; c < l.cols; c++) {
      if (l.weight[r * l.cols + c] === 0) zeros++;
      else {
        rowZero = false;
        colAlive[c] = 1;
      }
    }
    if (rowZero) deadOutputs++;
  }
  const deadInputs = l.cols - colAlive.reduce((a, b) => a + b, 0);
  return { name: l.name, shape: [l.rows, l.cols], sparsity: zeros / (l.rows * l.cols), deadInputs, deadOutputs };
}

/**
 * Bytes and inference time of the trained model in three forms: dense (the model as
 * trained, eval mode), CSR (`toCsr`: sparse × dense products) and compacted (`compact`: dead
 * neurons removed, a smaller dense MLP) — the latency of one digit at a time over the first
 * {@link LATENCY_SAMPLES} test digits, and the throughput over the whole test set in batches.
 */
async function modelReport(
  model: Module,
  layers: readonly HostLayer[],
  xTest: Float32Array,
  testSize: number,
  batchSize: number,
): Promise<ModelReport> {
  const csr = await toCsr(model);
  const small = await compact(model);
  model.eval();
  small.eval();
  const latencySamples = Math.min(LATENCY_SAMPLES, testSize);
  const singles = chunks(xTest, latencySamples, 1);
  const batches = chunks(xTest, testSize, batchSize);
  await materializeAll([...singles, ...batches]);
  const forms = [moduleForward(model), (x: Tensor) => csr.predict(x), moduleForward(small)];
  try {
    const parameters = layers.reduce((n, l) => n + l.weight.length + (l.bias?.length ?? 0), 0);
    let nonZeros = 0;
    for (const l of layers) {
      for (const v of l.weight) if (v !== 0) nonZeros++;
      if (l.bias) for (const v of l.bias) if (v !== 0) nonZeros++;
    }
    const latency = await medianMs(forms.map((f) => timedForward(f, singles)));
    const [msDense, msCsr, msCompacted] = await medianMs(forms.map((f) => timedForward(f, batches)));
    return {
      parameters,
      nonZeros,
      bytesDense: parameters * 4,
      bytesCsr: csr.bytes,
      bytesCompacted: small.parameterCount() * 4,
      inferenceMsDense: latency[0] / latencySamples,
      inferenceMsCsr: latency[1] / latencySamples,
      inferenceMsCompacted: latency[2] / latencySamples,
      latencySamples,
      batched: { batchSize, msDense, msCsr, msCompacted },
      layers: layers.map(layerSummary),
    };
  } finally {
    for (const t of [...singles, ...batches]) t.dispose();
    csr.dispose();
    small.dispose();
  }
}

/** The λ a method runs with and where it came from: a config entry (a flag), the cache, or none. */
function lambdaFor(
  method: MnistMethod,
  config: DemoConfig,
): { lambda: number | null; source: MethodResult['lambdaSource'] } {
  if (!takesLambda(method)) return { lambda: null, source: 'none' };
  const given = config.mnist.lambdas[method];
  if (given !== undefined) return { lambda: given, source: 'flag' };
  return { lambda: cachedLambda(method), source: 'cross-validation' };
}

/** Trains one method and measures it; throws the abort error when `hooks.signal` fires mid-run. */
async function runMethod(
  method: MnistMethod,
  data: MnistSplit,
  config: DemoConfig,
  hooks: RunHooks,
): Promise<MethodResult> {
  const { epochs, batchSize, trainSize, pruning } = config.mnist;
  const emit = hooks.onEvent ?? (() => {});
  const stepsPerEpoch = Math.ceil(trainSize / batchSize);
  const { lambda, source } = lambdaFor(method, config);
  const label = METHOD_LABELS[method];
  const trainer = makeTrainer(method, {
    lambda: lambda ?? 0,
    seed: config.seed,
    trainSize,
    epochs,
    stepsPerEpoch,
    pruning,
  });
  emit({ type: 'method-start', method, label, steps: epochs * stepsPerEpoch });
  const started = performance.now();
  const records: EpochRecord[] = [];
  const lossCurve: number[] = [];
  let layers: HostLayer[] = [];
  try {
    await fit(trainer.model, {
      x: data.xTrain,
      y: data.yTrain,
      epochs,
      batchSize,
      seed: config.seed,
      loss: trainer.loss,
      step: () => trainer.step(),
      onBatchEnd: async ({ epoch, batch, loss }) => {
        if (batch % LOSS_CURVE_EVERY === 0) lossCurve.push(loss);
        emit({ type: 'batch', method, epoch, batch, batches: stepsPerEpoch, loss });
        // Let a stop request (a signal from a message or a keypress) in between batches.
        if (batch % 8 === 7) await pause();
        throwIfAborted(hooks.signal);
      },
      onEpochEnd: async ({ epoch, loss, seconds }) => {
        const predicted = await predict(trainer.model, data.xTest);
        layers = await effectiveLayers(trainer.model);
        const stats = await weightStats(layers);
        const record: EpochRecord = {
          epoch: epoch + 1,
          trainLoss: loss,
          testAccuracy: accuracy(data.yTest, predicted),
          sparsity: stats.sparsity,
          hoyer: stats.hoyer,
          gini: stats.gini,
          seconds,
        };
        records.push(record);
        emit({ type: 'epoch', method, record, weights: layers.map((l) => snapshot(l)) });
      },
    });
    throwIfAborted(hooks.signal);
    const report = await modelReport(trainer.model, layers, data.xTestHost, config.mnist.testSize, batchSize);
    const last = records[records.length - 1];
    const result: MethodResult = {
      method,
      label,
      lambda,
      lambdaSource: source,
      epochs: records,
      lossCurve,
      testAccuracy: last.testAccuracy,
      sparsity: last.sparsity,
      report,
      weights: layers.map((l) => snapshot(l)),
      seconds: (performance.now() - started) / 1000,
    };
    emit({ type: 'method-end', result });
    return result;
  } finally {
    trainer.dispose();
  }
}

/**
 * The headline: the sparsest method with at least {@link HEADLINE_SPARSITY} of its weights
 * exactly zero and test accuracy within {@link HEADLINE_ACCURACY_GAP} of dense Adam, with its
 * speed-up (dense latency per digit over the faster of CSR and compacted); `met` when one exists
 * and its sparse form is faster than its dense form. Null without an Adam run to compare to.
 */
export function headline(methods: readonly MethodResult[]): MnistResult['headline'] {
  const adam = methods.find((m) => m.method === 'adam');
  if (!adam) return { denseAdamAccuracy: null, best: null, met: false };
  let best: MnistResult['headline']['best'] = null;
  for (const m of methods) {
    if (m.sparsity < HEADLINE_SPARSITY || m.testAccuracy < adam.testAccuracy - HEADLINE_ACCURACY_GAP - 1e-12) continue;
    if (best && m.sparsity <= best.sparsity) continue;
    best = {
      method: m.method,
      sparsity: m.sparsity,
      testAccuracy: m.testAccuracy,
      speedup: inferenceSpeedup(m.report),
    };
  }
  return { denseAdamAccuracy: adam.testAccuracy, best, met: best !== null && best.speedup > 1 };
}

/**
 * Trains the MLP with each of `config.mnist.methods` on the seeded split of `digits`, in
 * order, and measures each. Aborting (`hooks.signal`) stops at the next batch: the methods
 * that finished are returned, the one in progress is dropped.
 */
export async function runMnist(digits: Digits, given: DemoConfig, hooks: RunHooks = {}): Promise<MnistResult> {
  const config = resolveConfig(given);
  const { trainSize, testSize, methods } = config.mnist;
  const data = splitDigits(digits, trainSize, testSize, config.seed);
  const results: MethodResult[] = [];
  try {
    for (const method of methods) {
      if (hooks.signal?.aborted) break;
      try {
        results.push(await runMethod(method, data, config, hooks));
      } catch (e) {
        if (isAbort(e)) break;
        throw e;
      }
    }
  } finally {
    data.xTrain.dispose();
    data.yTrain.dispose();
    data.xTest.dispose();
  }
  return { trainSize, testSize, methods: results, headline: headline(results) };
}
