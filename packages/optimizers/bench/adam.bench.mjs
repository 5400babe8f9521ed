// One Adam step over 1e6 float32 parameters: @sparsekit/optimizers vs TensorFlow.js
// (tf.train.adam on the wasm backend) in the same run, plus a plain JS loop for scale.
// Each SparseKit figure is a whole optimizer step: the finiteness check (one reduction and
// one readback), new m, new v and new θ as fused kernels, realised. tfjs' applyGradients runs
// its kernels eagerly and synchronously on wasm. Results: bench-results/optimizers-adam.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parameter } from '@sparsekit/autograd';
import { Adam } from '@sparsekit/optimizers/adam';
import * as sk from '@sparsekit/tensor';

// tfjs through require(): its ESM entry in Node loads the wasm backend without SIMD.
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');

const N = 1_000_000;
const QUICK = process.env.BENCH_QUICK === '1';
const REPS = QUICK ? 9 : 25;
const ROUNDS = QUICK ? 1 : 3;
const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench-results');

function randArray(seed) {
  const r = new sk.Random(seed);
  const a = new Float32Array(N);
  for (let i = 0; i < N; i++) a[i] = r.uniform() * 2 - 1;
  return a;
}
const theta0 = randArray(1);
const grad0 = randArray(2);

async function median(fn, reps = REPS, warmup = 3) {
  for (let i = 0; i < warmup; i++) await fn();
  const t = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

async function sparsekit(mode) {
  sk.setBackend(process.env.SPARSEKIT_BENCH_BACKEND ?? 'webasm');
  const p = new Parameter(sk.tensor(theta0, [N]));
  p.grad = sk.keep(sk.tensor(grad0, [N]));
  await p.grad.materialize();
  const opt = new Adam([p], { lr: 1e-3 });
  const step = mode === 'async' ? () => opt.stepAsync() : () => opt.step();
  await step();
  const s0 = sk.kernelStats();
  await step();
  const s1 = sk.kernelStats();
  const ms = await median(step);
  const backend = sk.getBackend().name;
  opt.dispose();
  p.dispose();
  sk.disposeBackend();
  return { ms, backend, launchesPerStep: s1.calls - s0.calls };
}

async function tfjsWasm() {
  await tf.setBackend('wasm');
  await tf.ready();
  const v = tf.variable(tf.tensor1d(theta0));
  const g = tf.tensor1d(grad0);
  const opt = tf.train.adam(1e-3);
  const step = () => opt.applyGradients({ [v.name]: g });
  const ms = await median(step);
  opt.dispose();
  v.dispose();
  g.dispose();
  return ms;
}

function plainJs() {
  const th = Float32Array.from(theta0);
  const m = new Float32Array(N);
  const v = new Float32Array(N);
  let t = 0;
  return median(() => {
    t++;
    const b1 = 0.9;
    const b2 = 0.999;
    const step = 1e-3 / (1 - b1 ** t);
    const bc2 = Math.sqrt(1 - b2 ** t);
    for (let i = 0; i < N; i++) {
      const gi = grad0[i];
      const mi = (m[i] = b1 * m[i] + (1 - b1) * gi);
      const vi = (v[i] = b2 * v[i] + (1 - b2) * gi * gi);
      th[i] -= (step * mi) / (Math.sqrt(vi) / bc2 + 1e-8);
    }
  });
}

const rows = [];
for (let round = 0; round < ROUNDS; round++) {
  const a = await sparsekit('async');
  const s = await sparsekit('sync');
  const tfMs = await tfjsWasm();
  const js = await plainJs();
  const row = {
    round,
    backend: a.backend,
    launchesPerStep: a.launchesPerStep,
    sparsekitAsyncMs: +a.ms.toFixed(2),
    sparsekitSyncMs: +s.ms.toFixed(2),
    tfjsWasmMs: +tfMs.toFixed(2),
    plainJsMs: +js.toFixed(2),
    ratioAsyncToTfjs: +(a.ms / tfMs).toFixed(3),
    ratioSyncToTfjs: +(s.ms / tfMs).toFixed(3),
  };
  rows.push(row);
  console.log(
    `Adam step, 1e6 params (${row.backend}, ${row.launchesPerStep} launches): sparsekit async ${row.sparsekitAsyncMs} ms, sync ${row.sparsekitSyncMs} ms; tfjs-wasm ${row.tfjsWasmMs} ms; plain JS ${row.plainJsMs} ms; time ratio vs tfjs ${row.ratioAsyncToTfjs} (async), ${row.ratioSyncToTfjs} (sync); target <= 0.5`,
  );
}
mkdirSync(RESULTS, { recursive: true });
const file = join(RESULTS, 'optimizers-adam.json');
writeFileSync(
  file,
  JSON.stringify(
    {
      name: 'optimizers-adam',
      date: new Date().toISOString(),
      node: process.version,
      parameters: N,
      target: 'time ratio to tfjs-wasm <= 0.5',
      rows,
    },
    null,
    2,
  ),
);
console.log(`wrote ${file}`);
process.exit(0);
