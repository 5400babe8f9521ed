// @sparsekit/tensor vs TensorFlow.js (wasm = XNNPACK, cpu = plain JS), same machine, same run.
// Each SparseKit figure includes realising the lazy result and reading it back (await data()),
// as each tfjs figure includes dataSync(). Ratios > 1 mean SparseKit is faster.
import { createRequire } from 'node:module';
import * as sk from '@sparsekit/tensor';
import { fmt, table, time, writeResults } from './harness.mjs';

// tfjs through require(): its ESM entry in Node loads the wasm backend without SIMD (about
// 10× slower), which would flatter SparseKit.
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');

const QUICK = process.env.BENCH_QUICK === '1';
const rows = [];

async function tfOn(backend) {
  await tf.setBackend(backend);
  await tf.ready();
}

function randArray(n, seed) {
  const r = new sk.Random(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r.uniform() * 2 - 1;
  return a;
}

// Runs a tfjs computation, reads it back and frees every tensor it made. The read happens
// outside tf.tidy(): on the wasm backend a dataSync() inside tidy() measured ~10× slower.
function once(build) {
  const out = tf.tidy(build);
  const data = out.dataSync();
  out.dispose();
  return data;
}

// Both sides get their inputs created once, before timing; each timed call computes and
// reads the result back.
async function measure(label, size, work, skBuild, tfBuild) {
  const row = { bench: label, size };
  sk.setBackend(process.env.SPARSEKIT_BENCH_BACKEND ?? 'webasm');
  row.backend = sk.getBackend().name;
  const skT = await time(skBuild(), work.opts);
  row.sparsekitMs = fmt(skT.medianMs, 3);
  for (const b of ['wasm', 'cpu']) {
    if (b === 'cpu' && work.skipCpu) continue;
    await tfOn(b);
    const run = tfBuild();
    const t = await time(run, work.opts);
    row[`tfjs_${b}Ms`] = fmt(t.medianMs, 3);
  }
  if (work.flops) {
    row.sparsekitGflops = fmt(work.flops / skT.medianMs / 1e6);
    row.tfjs_wasmGflops = fmt(work.flops / row.tfjs_wasmMs / 1e6);
  }
  row.ratioVsTfjsWasm = fmt(row.tfjs_wasmMs / row.sparsekitMs, 3);
  if (row.tfjs_cpuMs) row.ratioVsTfjsCpu = fmt(row.tfjs_cpuMs / row.sparsekitMs, 3);
  rows.push(row);
  console.log(
    `${label} ${size}: sparsekit ${row.sparsekitMs} ms, tfjs-wasm ${row.tfjs_wasmMs} ms (×${row.ratioVsTfjsWasm})`,
  );
  sk.disposeBackend();
}

// Matrix multiply, GFLOP/s.
for (const n of QUICK ? [128, 256] : [128, 256, 512, 1024]) {
  const a = randArray(n * n, 1);
  const b = randArray(n * n, 2);
  const reps = n >= 1024 ? 3 : n >= 512 ? 5 : 9;
  // Both sides warm up alike: at least 50 calls (10 at 512, 3 at 1024) and 0.3 s; then at
  // least `reps` calls and 0.3 s are timed (6 warm-ups left 128's still-warming calls in the median).
  await measure(
    'matmul',
    `${n}x${n}`,
    {
      flops: 2 * n * n * n,
      opts: { warmup: n >= 1024 ? 3 : n >= 512 ? 10 : 50, warmupMs: 300, reps, minMs: 300 },
      skipCpu: n >= 1024,
    },
    () => {
      const A = sk.tensor(a, [n, n]);
      const B = sk.tensor(b, [n, n]);
      return async () => {
        const C = sk.matmul(A, B);
        await C.data();
        C.dispose();
      };
    },
    () => {
      const A = tf.tensor2d(a, [n, n]);
      const B = tf.tensor2d(b, [n, n]);
      return () => once(() => tf.matMul(A, B));
    },
  );
}

// An elementwise chain of 10 ops on 1e6 elements: ((relu(x·2 + 1) − 0.5)·(−1)) → exp → +1 → 1/· → square → ·3 − 1.
{
  const n = 1_000_000;
  const x = randArray(n, 3);
  await measure(
    'elementwise chain (10 ops)',
    '1e6',
    { opts: { warmup: 3, reps: 9 } },
    () => {
      const X = sk.tensor(x, [n]);
      return async () => {
        const y = sk.tidy(() => {
          const t = sk.sub(sk.relu(sk.add(sk.mul(X, 2), 1)), 0.5);
          return sk.sub(sk.mul(sk.square(sk.div(1, sk.add(sk.exp(sk.neg(t)), 1))), 3), 1);
        });
        await y.data();
        y.dispose();
      };
    },
    () => {
      const X = tf.tensor1d(x);
      return () =>
        once(() => {
          let t = tf.sub(tf.relu(tf.add(tf.mul(X, 2), 1)), 0.5);
          t = tf.div(1, tf.add(tf.exp(tf.neg(t)), 1));
          return tf.sub(tf.mul(tf.square(t), 3), 1);
        });
    },
  );
}

// Reductions and softmax on a 64×1024 batch.
{
  const x = randArray(64 * 1024, 4);
  const cases = [
    ['row sum', (X) => sk.sum(X, { axis: 1 }), (X) => tf.sum(X, 1)],
    ['row max', (X) => sk.max(X, { axis: 1 }), (X) => tf.max(X, 1)],
    ['full sum', (X) => sk.sum(X), (X) => tf.sum(X)],
    ['softmax rows', (X) => sk.softmax(X), (X) => tf.softmax(X)],
  ];
  for (const [label, skOp, tfOp] of cases) {
    await measure(
      label,
      '64x1024',
      { opts: { warmup: 5, reps: 31 } },
      () => {
        const X = sk.tensor(x, [64, 1024]);
        return async () => {
          const y = skOp(X);
          await y.data();
          y.dispose();
        };
      },
      () => {
        const X = tf.tensor2d(x, [64, 1024]);
        return () => once(() => tfOp(X));
      },
    );
  }
}

// Per-call overhead of an 8×8 op (µs), on SparseKit's cpu backend as well.
for (const backend of ['webasm', 'cpu']) {
  process.env.SPARSEKIT_BENCH_BACKEND = backend;
  const a = randArray(64, 5);
  await measure(
    `8x8 add overhead (${backend})`,
    '8x8',
    { opts: { warmup: 50, reps: 2000 } },
    () => {
      const A = sk.tensor(a, [8, 8]);
      return () => {
        const y = sk.add(A, A);
        y.dataSync();
        y.dispose();
      };
    },
    () => {
      const A = tf.tensor2d(a, [8, 8]);
      return () => once(() => tf.add(A, A));
    },
  );
}
delete process.env.SPARSEKIT_BENCH_BACKEND;

console.log(
  '\n' +
    table(rows, [
      'bench',
      'size',
      'backend',
      'sparsekitMs',
      'tfjs_wasmMs',
      'tfjs_cpuMs',
      'sparsekitGflops',
      'tfjs_wasmGflops',
      'ratioVsTfjsWasm',
      'ratioVsTfjsCpu',
    ]),
);
console.log(`\nwrote ${writeResults('tensor', rows, { peer: 'tfjs 4.22.0 (wasm, cpu)' })}`);
