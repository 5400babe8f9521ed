// Training throughput (samples/s) of the 784-128-10 ReLU MLP, batch 64, softmax
// cross-entropy, with Adam (lr 1e-3): @sparsekit/autograd + @sparsekit/optimizers' Adam
// against TensorFlow.js with tf.train.adam (wasm = XNNPACK, SIMD, one thread in Node) in the
// same run on the same machine. Every step of either side reads its loss back.
// Usage: pnpm build && SPARSEKIT_BENCH_BACKENDS=wasm node packages/optimizers/bench/mlp-adam.bench.mjs
// (BENCH_SECONDS=3 per measurement by default; SPARSEKIT_WASM_THREADS picks the wasm threads).
import { createRequire } from 'node:module';
import * as A from '@sparsekit/autograd';
import { Adam } from '@sparsekit/optimizers/adam';
import * as T from '@sparsekit/tensor';

// tfjs through require(): its ESM entry in Node loads the wasm backend without SIMD.
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const BATCH = 64;
const N = 1024; // synthetic MNIST-shaped data: 1024 samples of 784 features, 10 classes
const LR = 1e-3;

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

async function sparsekit(backend, { x, y }) {
  T.setBackend(backend);
  const model = A.mlp([784, 128, 10], { seed: 0 });
  const opt = new Adam(model.parameters(), { lr: LR });
  const batches = [];
  for (let s = 0; s < N; s += BATCH) {
    batches.push({
      x: T.tensor(x.subarray(s * 784, (s + BATCH) * 784), [BATCH, 784]),
      y: T.tensor(Array.from(y.subarray(s, s + BATCH))),
    });
  }
  for (const b of batches) b.x.materializeSync();
  let lastLoss = NaN;
  const sps = await measure(10, (i) => {
    const b = batches[i % batches.length];
    opt.zeroGrad();
    const loss = A.tidy(() => {
      const l = A.softmaxCrossEntropy(model.forward(b.x), b.y);
      l.backward();
      return l.value;
    });
    opt.step();
    lastLoss = loss.dataSync()[0];
    loss.dispose();
  });
  const fallbacks = T.getBackend().fallbacks.length;
  opt.dispose();
  model.dispose();
  for (const b of batches) {
    b.x.dispose();
    b.y.dispose();
  }
  T.disposeBackend();
  return { sps, lastLoss, fallbacks };
}

async function tfjs(backend, { x, y }) {
  await tf.setBackend(backend);
  await tf.ready();
  const he = (rows, cols, seed) => tf.variable(tf.randomNormal([rows, cols], 0, Math.sqrt(2 / rows), 'float32', seed));
  const w1 = he(784, 128, 1);
  const b1 = tf.variable(tf.zeros([128]));
  const w2 = he(128, 10, 2);
  const b2 = tf.variable(tf.zeros([10]));
  const vars = [w1, b1, w2, b2];
  const opt = tf.train.adam(LR);
  const batches = [];
  for (let s = 0; s < N; s += BATCH) {
    batches.push({
      x: tf.tensor2d(x.subarray(s * 784, (s + BATCH) * 784), [BATCH, 784]),
      y: tf.oneHot(tf.tensor1d(y.subarray(s, s + BATCH), 'int32'), 10),
    });
  }
  let lastLoss = NaN;
  const sps = await measure(10, (i) => {
    const b = batches[i % batches.length];
    const loss = opt.minimize(
      () => {
        const h = tf.relu(tf.add(tf.matMul(b.x, w1), b1));
        return tf.losses.softmaxCrossEntropy(b.y, tf.add(tf.matMul(h, w2), b2));
      },
      true,
      vars,
    );
    lastLoss = loss.dataSync()[0];
    loss.dispose();
  });
  opt.dispose();
  for (const v of vars) v.dispose();
  for (const b of batches) tf.dispose([b.x, b.y]);
  return { sps, lastLoss, fallbacks: 0 };
}

const d = data();
const backends = (process.env.SPARSEKIT_BENCH_BACKENDS ?? 'wasm').split(',').map((s) => s.trim());
const results = {};
for (const b of backends) results[`sparsekit-${b}`] = await sparsekit(b, d);
results['tfjs-wasm'] = await tfjs('wasm', d);

const ref = results['tfjs-wasm'].sps;
console.table(
  Object.entries(results).map(([name, r]) => ({
    name,
    threads: name.startsWith('sparsekit-wasm') ? (process.env.SPARSEKIT_WASM_THREADS ?? 'default') : '',
    samplesPerSecond: Math.round(r.sps),
    vsTfjsWasm: Number((r.sps / ref).toFixed(3)),
    fallbacks: r.fallbacks,
    lastLoss: Number(r.lastLoss.toFixed(4)),
  })),
);
process.exit(0);
