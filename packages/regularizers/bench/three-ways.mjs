// One small model pruned three ways — proximal L1 (ISTA on the weights), L0 hard-concrete
// gates, and gradual magnitude pruning — against the same model trained dense, on seeded
// synthetic data: 4 classes, 64 features of which 16 carry the signal. Reports test accuracy,
// sparsity, bytes (dense / CSR / compacted) and inference time of the dense baseline, the
// CSR form and the compacted form on the same backend in the same run.
// Usage: pnpm --filter @sparsekit/regularizers... build && node bench/three-ways.mjs
// Results: bench-results/regularizers-three-ways.json; the table printed is the README's.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as A from '@sparsekit/autograd';
import { compact, expectedL0, GatedLinear, GradualPruner, l1, toCsr } from '@sparsekit/regularizers';
import * as T from '@sparsekit/tensor';
import { denseForward, medianMs, readBack } from './timing.mjs';

const BACKEND = process.env.BENCH_BACKEND ?? 'webasm';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const SIZES = [64, 128, 64, 4];
const EPOCHS = 30;
const BATCH = 64;
const LR = 0.05;
const L1_LAMBDA = Number(process.env.L1_LAMBDA ?? 1e-2);
const L0_LAMBDA = Number(process.env.L0_LAMBDA ?? 1.5);
const GMP_FINAL = 0.9;
const L0_DROP_INIT = Number(process.env.L0_DROP_INIT ?? 0.2);
const log = (msg) => process.stderr.write(`${msg}\n`);

T.setBackend(BACKEND);

/** Class c has mean ±1.5 on informative features 4c..4c+3 (signs seeded); features 16..63 are noise. */
function dataset(n, seed) {
  const rng = new T.Random(seed);
  const signs = new T.Random(1234);
  const means = Array.from({ length: 4 }, () =>
    Float32Array.from({ length: 16 }, () => (signs.uniform() < 0.5 ? -1 : 1)),
  );
  const x = new Float32Array(n * 64);
  const y = [];
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    for (let j = 0; j < 64; j++) x[i * 64 + j] = rng.normal() + (j < 16 ? 0.6 * means[c][j] : 0);
    y.push(c);
  }
  return { x, y, n };
}

const train = dataset(2048, 1);
const test = dataset(2048, 2);
const testX = T.tensor(test.x, [test.n, 64]).materializeSync();

function batches(epoch) {
  const order = new T.Random(100 + epoch).permutation(train.n);
  const out = [];
  for (let s = 0; s < train.n; s += BATCH) {
    const idx = order.subarray(s, s + BATCH);
    const xb = new Float32Array(idx.length * 64);
    idx.forEach((r, k) => xb.set(train.x.subarray(r * 64, r * 64 + 64), k * 64));
    out.push({ x: T.tensor(xb, [idx.length, 64]), y: Array.from(idx, (r) => train.y[r]) });
  }
  return out;
}

/** Plain SGD with heavy-ball momentum 0.9; `after(p, moved)` may replace the moved value (a prox). */
async function trainModel(model, { extraLoss, after, afterStep } = {}) {
  const velocity = new Map();
  model.train();
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const b of batches(epoch)) {
      model.zeroGrad();
      A.tidy(() => {
        let loss = A.softmaxCrossEntropy(model.forward(b.x), b.y);
        if (extraLoss) loss = A.add(loss, extraLoss());
        loss.backward();
      });
      for (const p of model.parameters()) {
        const v = T.keep(T.add(T.mul(velocity.get(p) ?? T.zeros(p.shape), 0.9), p.grad));
        velocity.get(p)?.dispose();
        velocity.set(p, v);
        const moved = T.sub(p.value, T.mul(v, LR));
        p.assign(after ? after(p, moved) : moved);
      }
      T.materializeAllSync([...model.parameters().map((p) => p.value), ...velocity.values()]);
      if (afterStep) await afterStep();
      b.x.dispose();
    }
    if (epoch % 10 === 9) log(`  epoch ${epoch + 1}/${EPOCHS}`);
  }
  model.eval();
}

function accuracy(predict) {
  const logits = predict(testX);
  const p = T.argmax(logits, { axis: 1 }).dataSync();
  logits.dispose();
  return test.y.filter((c, i) => p[i] === c).length / test.n;
}

async function report(name, model) {
  // Inference time does not depend on the weights: an untrained MLP of the same sizes is the dense baseline.
  const baseline = A.mlp(SIZES, { seed: 0 }).eval();
  const csr = await toCsr(model);
  const small = await compact(model);
  const weightCount = SIZES.slice(1).reduce((n, out, i) => n + out * SIZES[i], 0);
  // Sparsity of the weights the model computes with (gates folded in for the L0 model).
  let nonZeroWeights = 0;
  for (const l of csr.layers) nonZeroWeights += l.weight.nnz;
  const row = {
    method: name,
    accuracy: accuracy(denseForward(model)),
    sparsity: 1 - nonZeroWeights / weightCount,
    inputsUsed: new Set(csr.layers[0].weight.colIndices).size,
    compactedSizes: small.layers.filter((m) => m instanceof A.Linear).map((l) => l.outFeatures),
    bytes: { dense: baseline.parameterCount() * 4, csr: csr.bytes, compacted: small.parameterCount() * 4 },
    ms: {},
  };
  for (const batch of [1, 64]) {
    const x = T.tensor(test.x.subarray(0, batch * 64), [batch, 64]).materializeSync();
    row.ms[`batch${batch}`] = {
      dense: medianMs(readBack(denseForward(baseline), x), SECONDS),
      csr: medianMs(
        readBack((v) => csr.predict(v), x),
        SECONDS,
      ),
      compacted: medianMs(readBack(denseForward(small), x), SECONDS),
    };
    x.dispose();
  }
  csr.dispose();
  return row;
}

// Each method runs in its own process: tensor's spmm caches kernels by source and output size
// but not by non-zero count, so two CSR matrices of one shape and one longest row but different
// nnz collide on webasm ("argument a0 changed size"); separate processes keep every CSR model alone.
const METHODS = {
  async dense() {
    const model = A.mlp(SIZES, { seed: 0 });
    await trainModel(model);
    return report('dense (no regularization)', model);
  },
  async l1() {
    const model = A.mlp(SIZES, { seed: 0 });
    const weights = new Set(model.parameters().filter((p) => p.rank === 2));
    const penalty = l1(L1_LAMBDA);
    await trainModel(model, { after: (p, moved) => (weights.has(p) ? penalty.prox(moved, LR) : moved) });
    return report(`L1 prox (λ = ${L1_LAMBDA})`, model);
  },
  async l0() {
    const model = new A.Sequential(
      new GatedLinear(64, 128, { seed: 0, initialDropRate: L0_DROP_INIT }),
      new A.ReLU(),
      new GatedLinear(128, 64, { seed: 1, initialDropRate: L0_DROP_INIT }),
      new A.ReLU(),
      new GatedLinear(64, 4, { seed: 2, initialDropRate: L0_DROP_INIT }),
    );
    // λ per expected non-zero weight, divided by N as in Louizos et al. (the task loss is a batch mean).
    await trainModel(model, { extraLoss: () => A.mul(expectedL0(model), L0_LAMBDA / train.n) });
    return report(`L0 gates (λ = ${L0_LAMBDA}/N)`, model);
  },
  async gmp() {
    const model = A.mlp(SIZES, { seed: 0 });
    const stepsPerEpoch = Math.ceil(train.n / BATCH);
    const pruner = new GradualPruner(model, {
      finalSparsity: GMP_FINAL,
      startStep: 2 * stepsPerEpoch,
      pruningSteps: 15,
      frequency: stepsPerEpoch,
    });
    await trainModel(model, { afterStep: () => pruner.step() });
    return report(`gradual magnitude pruning (s_f = ${GMP_FINAL})`, model);
  },
};

// Every method runs in this process: kernels are cached by source and argument sizes, so the
// four models' CSR products (same shapes, different non-zero counts) no longer collide.
const only = process.argv[2];
if (only && !METHODS[only])
  throw new Error(`unknown method ${only}; expected one of ${Object.keys(METHODS).join(', ')}`);
{
  const rows = [];
  for (const m of only ? [only] : Object.keys(METHODS)) {
    log(`[${BACKEND}] ${m}`);
    rows.push(await METHODS[m]());
  }
  const out = {
    bench: 'regularizers-three-ways',
    backend: BACKEND,
    date: new Date().toISOString(),
    node: process.version,
    sizes: SIZES,
    epochs: EPOCHS,
    rows,
  };
  mkdirSync(new URL('../bench-results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL('../bench-results/regularizers-three-ways.json', import.meta.url),
    JSON.stringify(out, null, 2),
  );
  const pct = (v) => `${(100 * v).toFixed(1)}%`;
  const kb = (b) => `${(b / 1024).toFixed(1)}`;
  const ms = (v) => v.toFixed(3);
  console.log(
    `| method | test accuracy | weight sparsity | inputs used | KB dense / CSR / compacted | compacted sizes | ms, batch 64: dense / CSR / compacted | ms, batch 1: dense / CSR / compacted |`,
  );
  console.log(`|---|---|---|---|---|---|---|---|`);
  for (const r of rows) {
    const b64 = r.ms.batch64;
    const b1 = r.ms.batch1;
    console.log(
      `| ${r.method} | ${pct(r.accuracy)} | ${pct(r.sparsity)} | ${r.inputsUsed} / ${SIZES[0]} | ${kb(r.bytes.dense)} / ${kb(r.bytes.csr)} / ${kb(r.bytes.compacted)} | ${[SIZES[0], ...r.compactedSizes].join('-')} | ${ms(b64.dense)} / ${ms(b64.csr)} / ${ms(b64.compacted)} | ${ms(b1.dense)} / ${ms(b1.csr)} / ${ms(b1.compacted)} |`,
    );
  }
}
