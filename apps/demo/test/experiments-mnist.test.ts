import { mlp } from '@sparsekit/autograd';
import { magnitudePrune } from '@sparsekit/regularizers';
import { ValueError } from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DemoConfig,
  type DemoEvent,
  type Digits,
  type MethodResult,
  type MnistResult,
  resolveConfig,
  runDemo,
  runMnist,
} from '../src/experiments/index.js';
import { headline, splitDigits } from '../src/experiments/mnist.js';
import { effectiveLayers, snapshot, weightStats } from '../src/experiments/weights.js';
import { loadDigits } from '../src/node/data.js';

const digits: Digits = loadDigits();

/** One epoch on 600 / 200 digits: adam, proximal Adam (L1, λ from the cache) and pruning to 80%. */
const tiny = (methods: DemoConfig['mnist']['methods'] = ['adam', 'prox-adam-l1', 'pruning']): DemoConfig =>
  resolveConfig({
    experiments: ['mnist'],
    mnist: {
      methods,
      epochs: 1,
      trainSize: 600,
      testSize: 200,
      pruning: { finalSparsity: 0.8, startEpoch: 0, endEpoch: 1, frequency: 2 },
    },
  });

/** Brute force over a host matrix: its exactly-zero entries. */
const zerosOf = (values: ArrayLike<number>): number =>
  Array.prototype.filter.call(values, (v: number) => v === 0).length;

describe('splitDigits', () => {
  it('takes disjoint train and test sets from one seeded permutation', async () => {
    const a = splitDigits(digits, 300, 100, 7);
    const b = splitDigits(digits, 300, 100, 7);
    const c = splitDigits(digits, 300, 100, 8);
    expect(Array.from(await a.yTrain.data())).toEqual(Array.from(await b.yTrain.data()));
    expect(Array.from(await a.yTrain.data())).not.toEqual(Array.from(await c.yTrain.data()));
    expect(a.xTrain.shape).toEqual([300, 784]);
    expect(a.xTest.shape).toEqual([100, 784]);
    // Every training row is a real digit of the right class: find it in the source by its pixels.
    const x = await a.xTrain.data();
    const y = await a.yTrain.data();
    for (const i of [0, 137, 299]) {
      const row = x.subarray(i * 784, (i + 1) * 784);
      let found = -1;
      for (let r = 0; r < digits.n && found < 0; r++) {
        let same = true;
        for (let j = 0; j < 784 && same; j++) same = digits.x[r * 784 + j] === row[j];
        if (same) found = r;
      }
      expect(found).toBeGreaterThanOrEqual(0);
      expect(digits.y[found]).toBe(y[i]);
    }
    for (const s of [a, b, c]) for (const t of [s.xTrain, s.yTrain, s.xTest]) t.dispose();
  });

  it('rejects a split larger than the digits given', () => {
    const few: Digits = { n: 10, x: digits.x.subarray(0, 7840), y: digits.y.subarray(0, 10) };
    expect(() => splitDigits(few, 8, 5, 7)).toThrow(ValueError);
    expect(() => splitDigits(few, 8, 5, 7)).toThrow(/trainSize \+ testSize \(8 \+ 5\) must be <= the 10 digits given/);
  });
});

describe('weights', () => {
  it('counts the zeros of the weights the model computes with, biases excluded', async () => {
    const model = mlp([784, 128, 10], { seed: 3 });
    await magnitudePrune(model, { sparsity: 0.75 });
    const layers = await effectiveLayers(model);
    let zeros = 0;
    let total = 0;
    for (const [name, p] of model.namedParameters()) {
      if (!name.endsWith('weight')) continue;
      const v = await p.value.data();
      zeros += zerosOf(v);
      total += v.length;
    }
    const stats = await weightStats(layers);
    expect(stats.parameters).toBe(784 * 128 + 128 * 10);
    expect(stats.zeros).toBe(zeros);
    expect(stats.sparsity).toBe(zeros / total);
    expect(stats.sparsity).toBeCloseTo(0.75, 3);
    model.dispose();
  });

  it('downsamples a heatmap by max-magnitude blocks: a cell is 0 exactly when its block is', () => {
    const rows = 3;
    const cols = 10;
    const weight = new Float32Array(rows * cols);
    weight.set([0, 0, 0, 0, -5, 1, 0, 2, 0, 0], 0);
    weight.set([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 10);
    weight.set([1, -3, 2, 0, 0, 0, 0, 0, 0, 7], 20);
    const s = snapshot({ name: 'w', rows, cols, weight, bias: null }, 4);
    // ⌈10/4⌉ = 3 columns per block, so 4 cells per row.
    expect(s.cols).toBe(4);
    expect(s.values).toEqual([0, -5, 2, 0, 0, 0, 0, 0, -3, 0, 0, 7]);
    expect(s.sparsity).toBe(zerosOf(weight) / 30);
  });
});

describe('runMnist (1 epoch, 600 / 200 digits)', () => {
  let result: MnistResult;
  const events: DemoEvent[] = [];

  beforeAll(async () => {
    result = await runMnist(digits, tiny(), { onEvent: (e) => events.push(e) });
  }, 120_000);

  const method = (m: string): MethodResult => result.methods.find((r) => r.method === m) as MethodResult;

  it('trains every method above chance', () => {
    expect(result.methods.map((m) => m.method)).toEqual(['adam', 'prox-adam-l1', 'pruning']);
    expect(result.trainSize).toBe(600);
    expect(result.testSize).toBe(200);
    for (const m of result.methods) expect(m.testAccuracy).toBeGreaterThan(0.5);
  });

  it('leaves Adam dense and proximal Adam with exact zeros', () => {
    expect(method('adam').sparsity).toBe(0);
    expect(method('prox-adam-l1').sparsity).toBeGreaterThan(0.1);
    expect(method('prox-adam-l1').lambdaSource).toBe('cross-validation');
    expect(method('adam').lambda).toBeNull();
    expect(method('adam').lambdaSource).toBe('none');
  });

  it('prunes to its target sparsity, all of it in the first layer (the default scope)', () => {
    const r = method('pruning');
    expect(r.sparsity).toBeCloseTo(0.8, 4);
    expect(r.report.layers[0].sparsity).toBeCloseTo((0.8 * 101_632) / 100_352, 4);
    expect(r.report.layers[1].sparsity).toBe(0);
  });

  it('keeps records consistent with the model report and the weights', () => {
    for (const m of result.methods) {
      expect(m.epochs).toHaveLength(1);
      const last = m.epochs[0];
      expect(last.epoch).toBe(1);
      expect(last.sparsity).toBe(m.sparsity);
      expect(last.testAccuracy).toBe(m.testAccuracy);
      expect(Number.isFinite(last.trainLoss)).toBe(true);
      expect(last.hoyer).toBeGreaterThanOrEqual(0);
      expect(last.hoyer).toBeLessThanOrEqual(1);
      expect(last.gini).toBeGreaterThanOrEqual(0);
      expect(last.gini).toBeLessThan(1);
      const r = m.report;
      // Zeros counted from the report's layers and from the snapshots agree with the record.
      const sizes = r.layers.map((l) => l.shape[0] * l.shape[1]);
      const total = sizes.reduce((a, b) => a + b, 0);
      expect(total).toBe(784 * 128 + 128 * 10);
      const zerosFromReport = r.layers.reduce((z, l, i) => z + Math.round(l.sparsity * sizes[i]), 0);
      expect(zerosFromReport / total).toBeCloseTo(m.sparsity, 10);
      const zerosFromSnapshots = m.weights.reduce((z, w, i) => z + Math.round(w.sparsity * sizes[i]), 0);
      expect(zerosFromSnapshots).toBe(zerosFromReport);
      // The 10×128 layer is not downsampled: its zeros are countable by brute force.
      expect(m.weights[1].cols).toBe(128);
      expect(zerosOf(m.weights[1].values)).toBe(Math.round(r.layers[1].sparsity * sizes[1]));
      // The first layer's heatmap is 128×196: blocks of 4 inputs.
      expect([m.weights[0].rows, m.weights[0].cols]).toEqual([128, 196]);
      expect(r.parameters).toBe(101_770);
      expect(r.bytesDense).toBe(4 * 101_770);
      expect(r.nonZeros).toBeLessThanOrEqual(r.parameters);
      // CSR stores 8 bytes per non-zero weight plus row pointers and the biases.
      const nnzWeights = total - zerosFromReport;
      expect(r.bytesCsr).toBe(8 * nnzWeights + 4 * (129 + 11) + 4 * (128 + 10));
      expect(r.latencySamples).toBe(200);
      expect(r.batched.batchSize).toBe(64);
      for (const t of [r.inferenceMsDense, r.inferenceMsCsr, r.inferenceMsCompacted]) expect(t).toBeGreaterThan(0);
      for (const t of [r.batched.msDense, r.batched.msCsr, r.batched.msCompacted]) expect(t).toBeGreaterThan(0);
      // Dead neurons of the report, by brute force over the 10×128 layer's snapshot (not downsampled).
      const w = m.weights[1].values;
      let deadInputs = 0;
      for (let c = 0; c < 128; c++) if ([...Array(10).keys()].every((row) => w[row * 128 + c] === 0)) deadInputs++;
      expect(r.layers[1].deadInputs).toBe(deadInputs);
    }
  });

  it('emits events in order: method-start, batches, epoch, method-end', () => {
    const kinds = events.map((e) => (e.type === 'batch' ? 'batch' : e.type));
    const perMethod = ['method-start', ...Array(10).fill('batch'), 'epoch', 'method-end'];
    expect(kinds).toEqual([...perMethod, ...perMethod, ...perMethod]);
    const batches = events.filter((e) => e.type === 'batch');
    expect(batches.slice(0, 10).map((e) => (e.type === 'batch' ? e.batch : -1))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    const start = events[0];
    expect(start).toEqual({ type: 'method-start', method: 'adam', label: 'Adam', steps: 10 });
  });

  it('judges the headline against dense Adam', () => {
    const h = headline(result.methods);
    expect(h).toEqual(result.headline);
    expect(h.denseAdamAccuracy).toBe(method('adam').testAccuracy);
    // No method here has 90% zeros: pruning stops at 80%.
    expect(h.best).toBeNull();
    expect(h.met).toBe(false);
  });
});

describe('headline', () => {
  const fake = (method: MethodResult['method'], testAccuracy: number, sparsity: number, ms: number[]): MethodResult =>
    ({
      method,
      testAccuracy,
      sparsity,
      report: { inferenceMsDense: ms[0], inferenceMsCsr: ms[1], inferenceMsCompacted: ms[2] },
    }) as MethodResult;

  it('picks the sparsest method with ≥ 90% zeros within one point of Adam, with its speed-up', () => {
    const h = headline([
      fake('adam', 0.95, 0, [10, 20, 10]),
      fake('prox-adam-l0', 0.935, 0.95, [10, 4, 9]),
      fake('pruning', 0.945, 0.91, [10, 5, 10]),
      fake('l0-gates', 0.9405, 0.92, [10, 8, 2]),
    ]);
    expect(h.denseAdamAccuracy).toBe(0.95);
    expect(h.best).toEqual({ method: 'l0-gates', sparsity: 0.92, testAccuracy: 0.9405, speedup: 5 });
    expect(h.met).toBe(true);
  });

  it('is not met when the sparse form is no faster, nor without Adam', () => {
    expect(headline([fake('adam', 0.95, 0, [1, 1, 1]), fake('pruning', 0.95, 0.9, [10, 12, 10])]).met).toBe(false);
    expect(headline([fake('pruning', 0.95, 0.9, [10, 5, 10])])).toEqual({
      denseAdamAccuracy: null,
      best: null,
      met: false,
    });
  });
});

describe('stopping a run', () => {
  it('returns the methods that finished when stopped mid-method', async () => {
    const controller = new AbortController();
    const config = tiny(['adam', 'pruning', 'prox-adam-l1']);
    const seen: string[] = [];
    const r = await runMnist(digits, config, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'method-end') seen.push(e.result.method);
        if (e.type === 'batch' && e.method === 'pruning' && e.batch === 3) controller.abort();
      },
    });
    expect(seen).toEqual(['adam']);
    expect(r.methods.map((m) => m.method)).toEqual(['adam']);
    expect(r.headline.denseAdamAccuracy).toBe(r.methods[0].testAccuracy);
  });

  it('marks the demo interrupted and leaves out what did not run', async () => {
    const controller = new AbortController();
    const config = resolveConfig({ ...tiny(['adam', 'pruning']), experiments: ['lasso', 'mnist', 'ksvd'] });
    const r = await runDemo({ digits, image: { width: 16, height: 16, pixels: new Array(256).fill(0) } }, config, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'method-end') controller.abort();
      },
    });
    expect(r.meta.interrupted).toBe(true);
    expect(r.meta.finishedAt).toBeNull();
    expect(r.lasso?.recovered).toBe(true);
    expect(r.mnist?.methods.map((m) => m.method)).toEqual(['adam']);
    expect(r.ksvd).toBeUndefined();
  });

  it('runs to the end without a stop: finishedAt set, not interrupted', async () => {
    const r = await runDemo({ digits }, resolveConfig({ ...tiny(['adam']), experiments: ['mnist'] }));
    expect(r.meta.interrupted).toBe(false);
    expect(Date.parse(r.meta.finishedAt as string)).toBeGreaterThanOrEqual(Date.parse(r.meta.startedAt));
    expect(r.meta.seed).toBe(7);
    expect(typeof r.meta.backend).toBe('string');
    expect(r.lasso).toBeUndefined();
  });
});

describe('runDemo misuse', () => {
  it('needs the digits for the mnist experiment and the image for ksvd', async () => {
    await expect(runDemo({}, resolveConfig({ experiments: ['mnist'] }))).rejects.toThrow(
      /data\.digits is required for the 'mnist' experiment/,
    );
    await expect(runDemo({ digits }, resolveConfig({ experiments: ['ksvd'] }))).rejects.toThrow(
      /data\.image is required for the 'ksvd' experiment/,
    );
  });

  it('validates the config it is given', async () => {
    const bad = { ...tiny(), mnist: { ...tiny().mnist, epochs: 0 } };
    await expect(runDemo({ digits }, bad)).rejects.toThrow(/config\.mnist\.epochs must be an integer/);
  });
});
