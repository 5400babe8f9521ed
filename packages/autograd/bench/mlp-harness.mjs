// The 784-128-10 ReLU MLP training bench (batch 64, softmax cross-entropy) that mlp.bench.mjs
// (plain SGD) and the optimizers' mlp-adam.bench.mjs share: synthetic MNIST-shaped data, the
// same model on both sides, @sparsekit/autograd (built dist) against TensorFlow.js in the same
// run on the same machine. Every step of either side reads its loss back, so both include the
// full step latency. Only the update differs between the benches: `update` and `tfjsUpdate`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as A from '@sparsekit/autograd';
import * as T from '@sparsekit/tensor';

// tfjs through require(): its ESM entry in Node loads the wasm backend without SIMD.
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const BATCH = 64;
const N = 1024; // synthetic MNIST-shaped data: 1024 samples of 784 features, 10 classes

function data() {
  const r = new T.Random(42);
  const x = new Float32Array(N * 784);
  for (let i = 0; i < x.length; i++) x[i] = r.uniform();
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) y[i] = r.int(0, 10);
  return { x, y };
}

// Runs `step(i)` until SECONDS have passed (after `warmup` steps), returns samples/s.
async function measure(warmup, step) {
  for (let i = 0; i < warmup; i++) await step(i);
  const t0 = performance.now();
  let steps = 0;
  while (performance.now() - t0 < SECONDS * 1000) await step(warmup + steps++);
  return (steps * BATCH) / ((performance.now() - t0) / 1000);
}

async function sparsekit(backend, { x, y }, { warmup, update }) {
  T.setBackend(backend);
  const model = A.mlp([784, 128, 10], { seed: 0 });
  const step = update(model);
  const batches = [];
  for (let s = 0; s < N; s += BATCH) {
    batches.push({
      x: T.tensor(x.subarray(s * 784, (s + BATCH) * 784), [BATCH, 784]),
      y: T.tensor(Array.from(y.subarray(s, s + BATCH))),
    });
  }
  for (const b of batches) b.x.materializeSync();
  let lastLoss = NaN;
  const sps = await measure(warmup, (i) => {
    const b = batches[i % batches.length];
    model.zeroGrad();
    const loss = A.tidy(() => {
      const l = A.softmaxCrossEntropy(model.forward(b.x), b.y);
      l.backward();
      return l.value;
    });
    step.step();
    lastLoss = loss.dataSync()[0];
    loss.dispose();
  });
  const fallbacks = T.getBackend().fallbacks.length;
  model.zeroGrad();
  step.dispose?.();
  model.dispose();
  for (const b of batches) {
    b.x.dispose();
    b.y.dispose();
  }
  T.disposeBackend();
  return { sps, lastLoss, fallbacks };
}

async function tfjs(backend, { x, y }, { warmup, tfjsUpdate }) {
  await tf.setBackend(backend);
  await tf.ready();
  const he = (rows, cols, seed) => tf.variable(tf.randomNormal([rows, cols], 0, Math.sqrt(2 / rows), 'float32', seed));
  const w1 = he(784, 128, 1);
  const b1 = tf.variable(tf.zeros([128]));
  const w2 = he(128, 10, 2);
  const b2 = tf.variable(tf.zeros([10]));
  const vars = [w1, b1, w2, b2];
  const step = tfjsUpdate(tf, vars);
  const batches = [];
  for (let s = 0; s < N; s += BATCH) {
    batches.push({
      x: tf.tensor2d(x.subarray(s * 784, (s + BATCH) * 784), [BATCH, 784]),
      y: tf.oneHot(tf.tensor1d(y.subarray(s, s + BATCH), 'int32'), 10),
    });
  }
  let lastLoss = NaN;
  const sps = await measure(warmup, (i) => {
    const b = batches[i % batches.length];
    const loss = step.step(() => {
      const h = tf.relu(tf.add(tf.matMul(b.x, w1), b1));
      return tf.losses.softmaxCrossEntropy(b.y, tf.add(tf.matMul(h, w2), b2));
    });
    lastLoss = loss.dataSync()[0];
    loss.dispose();
  });
  step.dispose?.();
  for (const v of vars) v.dispose();
  for (const b of batches) tf.dispose([b.x, b.y]);
  return { sps, lastLoss, fallbacks: 0 };
}

/**
 * Runs the bench: SparseKit on `SPARSEKIT_BENCH_BACKENDS` (else `backends`), TensorFlow.js on
 * `tfjsBackends`; prints a table with the ratio to tfjs-wasm and, given `resultsDir`, writes
 * the rows as JSON there. `update(model)` returns `{ step(), dispose?() }`, called after each
 * backward pass; `tfjsUpdate(tf, vars)` returns `{ step(lossFn) → loss tensor, dispose?() }`.
 */
export async function runMlpBench({ bench, peer, backends, tfjsBackends, warmup, update, tfjsUpdate, resultsDir }) {
  const d = data();
  const chosen = (process.env.SPARSEKIT_BENCH_BACKENDS ?? backends).split(',').map((s) => s.trim());
  const results = {};
  for (const b of chosen) results[`sparsekit-${b}`] = await sparsekit(b, d, { warmup, update });
  for (const b of tfjsBackends) results[`tfjs-${b}`] = await tfjs(b, d, { warmup, tfjsUpdate });
  const ratio = (r, name) => (results[name] ? Number((r.sps / results[name].sps).toFixed(3)) : undefined);
  const rows = Object.entries(results).map(([name, r]) => ({
    name,
    threads: name === 'sparsekit-wasm' ? (process.env.SPARSEKIT_WASM_THREADS ?? 'default') : '',
    samplesPerSecond: Math.round(r.sps),
    vsTfjsWasm: ratio(r, 'tfjs-wasm'),
    vsTfjsCpu: ratio(r, 'tfjs-cpu'),
    fallbacks: r.fallbacks,
    lastLoss: Number(r.lastLoss.toFixed(4)),
  }));
  console.table(rows);
  if (!resultsDir) return;
  mkdirSync(resultsDir, { recursive: true });
  const file = new URL(`${bench}-${Date.now()}.json`, resultsDir);
  const report = {
    bench,
    batch: BATCH,
    seconds: SECONDS,
    node: process.version,
    peer,
    date: new Date().toISOString(),
    rows,
  };
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`wrote ${file.pathname}`);
}
