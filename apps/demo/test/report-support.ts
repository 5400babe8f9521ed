// Shared by the report and view tests (test/chromium/) and the CLI tests: a small DemoResults fixture with known numbers and
// exact-zero patterns, the built view bundle, and headless Chromium (playwright-core driving
// Debian's /usr/bin/chromium with the repo's flags, tools/chromium.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../tools/chromium.mjs';
import { defaultConfig } from '../src/experiments/config.js';
import type {
  DemoResults,
  EpochRecord,
  MethodResult,
  MnistMethod,
  ModelReport,
  WeightSnapshot,
} from '../src/experiments/types.js';
import { VIEW_BUNDLE_FILE } from '../src/report/ids.js';

/** The built report bundle (Chart.js and the view); `pnpm --filter @sparsekit/demo build` makes it. */
export function viewBundle(): string {
  const path = fileURLToPath(new URL(`../dist/${VIEW_BUNDLE_FILE}`, import.meta.url));
  if (!existsSync(path))
    throw new Error(`${path} is missing: build the demo first (pnpm --filter @sparsekit/demo build)`);
  return readFileSync(path, 'utf8');
}

/** Launches headless Chromium (the repo's flags: tools/chromium.mjs) with no GPU needed. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/** A weight matrix `rows × cols` whose entry i is 0 where `zero(i)`, else ±(i+1)/100 alternating sign. */
export function weights(name: string, rows: number, cols: number, zero: (i: number) => boolean): WeightSnapshot {
  const values = Array.from({ length: rows * cols }, (_, i) => (zero(i) ? 0 : ((i % 2 ? -1 : 1) * (i + 1)) / 100));
  return { name, rows, cols, values, sparsity: values.filter((v) => v === 0).length / values.length };
}

function report(nonZeros: number, msDense: number, msSparse: number): ModelReport {
  return {
    parameters: 101_770,
    nonZeros,
    bytesDense: 407_080,
    bytesCsr: nonZeros * 8 + 4 * 139,
    bytesCompacted: 407_080,
    inferenceMsDense: msDense,
    inferenceMsCsr: msSparse,
    inferenceMsCompacted: msSparse * 1.5,
    latencySamples: 100,
    batched: { batchSize: 64, msDense: msDense * 20, msCsr: msSparse * 40, msCompacted: msDense * 10 },
    layers: [],
  };
}

function method(
  name: MnistMethod,
  label: string,
  lambda: number | null,
  accuracies: number[],
  sparsities: number[],
  zero: (i: number) => boolean,
  timing: [number, number],
): MethodResult {
  const epochs: EpochRecord[] = accuracies.map((testAccuracy, i) => ({
    epoch: i + 1,
    trainLoss: 1 / (i + 2),
    testAccuracy,
    sparsity: sparsities[i],
    hoyer: 0.2 + sparsities[i] / 2,
    gini: 0.4 + sparsities[i] / 2,
    seconds: 1.5,
  }));
  return {
    method: name,
    label,
    lambda,
    lambdaSource: lambda === null ? 'none' : 'cross-validation',
    epochs,
    lossCurve: [2.3, 1.2, 0.8, 0.6, 0.5, 0.45],
    testAccuracy: accuracies[accuracies.length - 1],
    sparsity: sparsities[sparsities.length - 1],
    report: report(Math.round(101_770 * (1 - sparsities[sparsities.length - 1])), ...timing),
    weights: [weights('layers.0.weight', 8, 12, zero), weights('layers.2.weight', 2, 8, zero)],
    seconds: 4.5,
  };
}

/** Grey ramp image `size × size` with values `(x + y) * 255 / (2 size - 2)` plus `offset`. */
function ramp(size: number, offset: number): { width: number; height: number; pixels: number[] } {
  const pixels = Array.from(
    { length: size * size },
    (_, i) => ((i % size) + Math.floor(i / size)) * (255 / (2 * size - 2)) + offset,
  );
  return { width: size, height: size, pixels };
}

/** A finished run of every experiment with known figures (two MNIST methods, 3 epochs each). */
export function fixtureResults(): DemoResults {
  const config = defaultConfig();
  config.mnist.methods = ['adam', 'prox-adam-l1'];
  config.mnist.epochs = 3;
  const adam = method('adam', 'Adam', null, [0.91, 0.935, 0.9512], [0, 0, 0], (i) => i === 5, [4, 8]);
  const prox = method(
    'prox-adam-l1',
    'Proximal Adam (L1)',
    0.002,
    [0.9, 0.93, 0.9445],
    [0.5, 0.85, 0.9321],
    (i) => i % 3 !== 0,
    [4, 1.6],
  );
  return {
    meta: {
      backend: 'cpu',
      seed: 7,
      startedAt: '2026-11-25T17:00:00.000Z',
      finishedAt: '2026-11-25T17:03:00.000Z',
      interrupted: false,
      config,
    },
    lasso: {
      samples: 50,
      features: 8,
      trueSupport: [1, 4],
      foundSupport: [1, 4],
      recovered: true,
      alpha: 0.05,
      coefficients: [0, 1.9, 0, 0, -0.95, 0, 0, 0],
      trueCoefficients: [0, 2, 0, 0, -1, 0, 0, 0],
      path: [
        { alpha: 1, nonZeros: 0 },
        { alpha: 0.05, nonZeros: 2 },
      ],
      bytesDense: 32,
      bytesCsr: 24,
      seconds: 0.1,
    },
    mnist: {
      trainSize: 8000,
      testSize: 2000,
      methods: [adam, prox],
      headline: {
        denseAdamAccuracy: 0.9512,
        best: { method: 'prox-adam-l1', sparsity: 0.9321, testAccuracy: 0.9445, speedup: 2.5 },
        met: true,
      },
    },
    ksvd: {
      patchSize: 4,
      atoms: 5,
      dictionary: Array.from({ length: 5 * 16 }, (_, i) => ((i % 16) - 7.5) / 10),
      errorCurve: [30, 25, 22],
      sigma: 25,
      psnrNoisy: 20.17,
      psnrDenoised: 27.4,
      clean: ramp(16, 0),
      noisy: ramp(16, 40),
      denoised: ramp(16, 5),
      seconds: 2,
    },
  };
}
