// @sparsekit/tensor's own wasm kernels (src/wasm, issue 12) against TensorFlow.js-wasm 4.22
// (XNNPACK, SIMD, one thread in Node), same machine, same run, on 1 and 2 threads.
// SparseKit figures include reading the result back into a Float32Array, as tfjs's include
// dataSync(), except the Adam step, which both sides run on resident parameters.
// The runtime is not exported by the package yet, so its TypeScript is bundled here with the
// tensor package's esbuild (the build must have generated src/wasm/modules.generated.ts).

import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { fmt, table, time, writeResults } from './harness.mjs';
import { seededArray as randArray } from './seeded.mjs';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');
const tensorPkg = new URL('../../../packages/tensor/', import.meta.url);
const esbuild = createRequire(new URL('package.json', tensorPkg))('esbuild');

const dir = mkdtempSync(join(tmpdir(), 'sk-wasm-bench-'));
const entry = join(dir, 'runtime.mjs');
await esbuild.build({
  entryPoints: [new URL('src/wasm/runtime.ts', tensorPkg).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: entry,
  logLevel: 'warning',
});
// relaxed SIMD is behind a flag in Node 20; set it before any module is compiled so the FMA
// build can be measured beside the plain one (tfjs-wasm does not use relaxed SIMD)
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const { WasmRuntime, OP, UOP, ROP, SOFTMAX } = await import(pathToFileURL(entry).href);
rmSync(dir, { recursive: true, force: true });

await tf.setBackend('wasm');
await tf.ready();

const QUICK = process.env.BENCH_QUICK === '1';
const rows = [];
const runtimes = {
  '1 thread': WasmRuntime.create({ threads: 1, fma: false }),
  '2 threads': WasmRuntime.create({ threads: 2, fma: false }),
  '1 thread fma': WasmRuntime.create({ threads: 1, fma: true }),
  '2 threads fma': WasmRuntime.create({ threads: 2, fma: true }),
};

function once(build) {
  const out = tf.tidy(build);
  const data = out.dataSync();
  out.dispose();
  return data;
}

function put(rt, data) {
  const p = rt.alloc(data.length);
  rt.write(p, data);
  return p;
}

async function measure(label, size, opts, flops, sk, tfBuild, which = Object.keys(runtimes)) {
  const tfT = await time(tfBuild(), opts);
  for (const name of which) {
    const rt = runtimes[name];
    const { run, free } = sk(rt);
    const t = await time(run, opts);
    free();
    const row = {
      bench: label,
      size,
      threads: name,
      sparsekitMs: fmt(t.medianMs, 4),
      tfjs_wasmMs: fmt(tfT.medianMs, 4),
    };
    if (flops) {
      row.sparsekitGflops = fmt(flops / t.medianMs / 1e6, 1);
      row.tfjs_wasmGflops = fmt(flops / tfT.medianMs / 1e6, 1);
    }
    row.ratioVsTfjsWasm = fmt(tfT.medianMs / t.medianMs, 2);
    rows.push(row);
    console.log(
      `${label} ${size} (${name}): ${row.sparsekitMs} ms, tfjs-wasm ${row.tfjs_wasmMs} ms (×${row.ratioVsTfjsWasm})`,
    );
  }
}

// Matrix multiply, GFLOP/s.
for (const n of QUICK ? [128, 256] : [128, 256, 512, 1024]) {
  const a = randArray(n * n, 1),
    b = randArray(n * n, 2);
  const reps = n >= 1024 ? 5 : n >= 512 ? 9 : 21;
  await measure(
    'matmul',
    `${n}x${n}`,
    { warmup: 3, warmupMs: 300, reps },
    2 * n ** 3,
    (rt) => {
      const A = put(rt, a),
        B = put(rt, b),
        C = rt.alloc(n * n);
      return {
        run: () => {
          rt.matmul(A, B, C, n, n, n, false, false);
          rt.read(C, n * n);
        },
        free: () => {
          rt.free(A);
          rt.free(B);
          rt.free(C);
        },
      };
    },
    () => {
      const A = tf.tensor2d(a, [n, n]),
        B = tf.tensor2d(b, [n, n]);
      return () => once(() => tf.matMul(A, B));
    },
  );
}

// One Adam step over 1e6 resident parameters (no read-back on either side).
{
  const n = 1_000_000;
  const g = randArray(n, 3),
    p0 = randArray(n, 4);
  await measure(
    'adam step',
    '1e6',
    { warmup: 3, reps: 15 },
    0,
    (rt) => {
      const P = put(rt, p0),
        G = put(rt, g),
        M = rt.alloc(n),
        V = rt.alloc(n);
      rt.write(M, new Float32Array(n));
      rt.write(V, new Float32Array(n));
      let step = 0;
      return {
        // the whole step over its own inputs, as the optimizers' Adam runs it (adamStep in place)
        run: () =>
          rt.adamMoments(G, M, V, [M, V, P], n, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: ++step }, P),
        free: () => [P, G, M, V].forEach((x) => rt.free(x)),
      };
    },
    () => {
      const w = tf.variable(tf.tensor1d(p0));
      const grad = tf.tensor1d(g);
      const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
      return () => opt.applyGradients([{ name: w.name, tensor: grad }]);
    },
    ['1 thread', '2 threads'],
  );
}

// Reductions and softmax on a 64×1024 batch.
{
  const [R, L] = [64, 1024];
  const x = randArray(R * L, 5);
  const cases = [
    ['row sum', R, (rt, X, O) => rt.reduce(ROP.sum, X, O, R, L, 1), (X) => tf.sum(X, 1)],
    ['row max', R, (rt, X, O) => rt.reduce(ROP.max, X, O, R, L, 1), (X) => tf.max(X, 1)],
    ['full sum', 1, (rt, X, O) => rt.reduce(ROP.sum, X, O, 1, R * L, 1), (X) => tf.sum(X)],
    ['softmax rows', R * L, (rt, X, O) => rt.softmax(SOFTMAX.softmax, X, O, R, L), (X) => tf.softmax(X)],
    ['logSumExp rows', R, (rt, X, O) => rt.softmax(SOFTMAX.logSumExp, X, O, R, L), (X) => tf.logSumExp(X, 1)],
  ];
  for (const [label, outN, skOp, tfOp] of cases) {
    await measure(
      label,
      '64x1024',
      { warmup: 10, reps: 101 },
      0,
      (rt) => {
        const X = put(rt, x),
          O = rt.alloc(R * L);
        return {
          run: () => {
            skOp(rt, X, O);
            rt.read(O, outN);
          },
          free: () => {
            rt.free(X);
            rt.free(O);
          },
        };
      },
      () => {
        const X = tf.tensor2d(x, [R, L]);
        return () => once(() => tfOp(X));
      },
      ['1 thread', '2 threads'],
    );
  }
}

// The 10-op elementwise chain of tensor.bench.mjs on 1e6 elements, one kernel per op (unfused):
// ((relu(x·2 + 1) − 0.5)·(−1)) → exp → +1 → 1/· → square → ·3 − 1.
{
  const n = 1_000_000;
  const x = randArray(n, 6);
  await measure(
    'elementwise chain (10 ops)',
    '1e6',
    { warmup: 3, reps: 21 },
    0,
    (rt) => {
      const X = put(rt, x),
        T = rt.alloc(n),
        U = rt.alloc(n);
      const c = {};
      for (const v of [2, 1, 0.5, 3]) c[v] = put(rt, [v]);
      const s = (v) => ({ ptr: c[v], shape: [] });
      const t = { ptr: T, shape: [n] },
        u = { ptr: U, shape: [n] };
      return {
        run: () => {
          rt.binary(OP.mul, { ptr: X, shape: [n] }, s(2), T);
          rt.binary(OP.add, t, s(1), U);
          rt.unary(UOP.relu, U, T, n);
          rt.binary(OP.sub, t, s(0.5), U);
          rt.unary(UOP.neg, U, T, n);
          rt.unary(UOP.exp, T, U, n);
          rt.binary(OP.add, u, s(1), T);
          rt.binary(OP.div, s(1), t, U);
          rt.unary(UOP.square, U, T, n);
          rt.binary(OP.mul, t, s(3), U);
          rt.binary(OP.sub, u, s(1), T);
          rt.read(T, n);
        },
        free: () => [X, T, U, ...Object.values(c)].forEach((p) => rt.free(p)),
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
    ['1 thread', '2 threads'],
  );
}

// Per-call overhead of an 8×8 add, read back (µs = ms × 1000).
{
  const a = randArray(64, 7);
  await measure(
    '8x8 add overhead',
    '8x8',
    { warmup: 200, reps: 3000 },
    0,
    (rt) => {
      const A = put(rt, a),
        O = rt.alloc(64);
      const op = { ptr: A, shape: [8, 8] };
      return {
        run: () => {
          rt.binary(OP.add, op, op, O);
          rt.read(O, 64);
        },
        free: () => {
          rt.free(A);
          rt.free(O);
        },
      };
    },
    () => {
      const A = tf.tensor2d(a, [8, 8]);
      return () => once(() => tf.add(A, A));
    },
    ['1 thread'],
  );
}

// The same 8×8 add on SparseKit's gpu.js cpu backend, the per-call target of issue 12.
{
  const sk = await import('@sparsekit/tensor');
  sk.setBackend('cpu');
  const A = sk.tensor(randArray(64, 7), [8, 8]);
  const t = await time(
    () => {
      const y = sk.add(A, A);
      y.dataSync();
      y.dispose();
    },
    { warmup: 200, reps: 3000 },
  );
  const row = rows.find((r) => r.bench === '8x8 add overhead');
  row.gpujsCpuMs = fmt(t.medianMs, 4);
  row.ratioVsGpujsCpu = fmt(t.medianMs / row.sparsekitMs, 2);
  console.log(`8x8 add overhead on gpu.js cpu: ${row.gpujsCpuMs} ms (wasm ×${row.ratioVsGpujsCpu})`);
  sk.disposeBackend();
}

// Through the tensor API on the `wasm` backend, on 1 and 2 threads (SPARSEKIT_WASM_THREADS,
// read when the backend is created): the same 10-op chain, now one fused kernel that the
// backend's program executor runs in wasm memory; softmax rows; and the 8×8 add per call.
{
  const sk = await import('@sparsekit/tensor');
  const chainIn = randArray(1_000_000, 6);
  const rowsIn = randArray(64 * 1024, 5);
  const addIn = randArray(64, 7);
  const cases = [
    [
      'API elementwise chain (10 ops, fused)',
      '1e6',
      // long warm-ups on both sides: V8 allocates a large result array ~5× slower for its
      // first hundred or so readbacks in a process (2.5 ms against 0.45 ms for 4 MB measured)
      { warmup: 150, reps: 41 },
      () => {
        const X = sk.tensor(chainIn, [1_000_000]);
        return () => {
          const y = sk.tidy(() => {
            const t = sk.sub(sk.relu(sk.add(sk.mul(X, 2), 1)), 0.5);
            return sk.sub(sk.mul(sk.square(sk.div(1, sk.add(sk.exp(sk.neg(t)), 1))), 3), 1);
          });
          y.dataSync();
          y.dispose();
        };
      },
      () => {
        const X = tf.tensor1d(chainIn);
        return () =>
          once(() => {
            let t = tf.sub(tf.relu(tf.add(tf.mul(X, 2), 1)), 0.5);
            t = tf.div(1, tf.add(tf.exp(tf.neg(t)), 1));
            return tf.sub(tf.mul(tf.square(t), 3), 1);
          });
      },
    ],
    [
      'API softmax rows',
      '64x1024',
      { warmup: 2000, reps: 301 },
      () => {
        const X = sk.tensor(rowsIn, [64, 1024]);
        return () => {
          const y = sk.softmax(X);
          y.dataSync();
          y.dispose();
        };
      },
      () => {
        const X = tf.tensor2d(rowsIn, [64, 1024]);
        return () => once(() => tf.softmax(X));
      },
    ],
    [
      'API 8x8 add overhead',
      '8x8',
      { warmup: 2000, reps: 3000 },
      () => {
        const A = sk.tensor(addIn, [8, 8]);
        return () => {
          const y = sk.add(A, A);
          y.dataSync();
          y.dispose();
        };
      },
      () => {
        const A = tf.tensor2d(addIn, [8, 8]);
        return () => once(() => tf.add(A, A));
      },
    ],
  ];
  for (const [label, size, opts, skBuild, tfBuild] of cases) {
    const tfT = await time(tfBuild(), opts);
    for (const threads of label.includes('8x8') ? ['1'] : ['1', '2']) {
      process.env.SPARSEKIT_WASM_THREADS = threads;
      sk.setBackend('wasm');
      const t = await time(skBuild(), opts);
      const row = {
        bench: label,
        size,
        threads: `${threads} thread${threads === '1' ? '' : 's'}`,
        sparsekitMs: fmt(t.medianMs, 4),
        tfjs_wasmMs: fmt(tfT.medianMs, 4),
        ratioVsTfjsWasm: fmt(tfT.medianMs / t.medianMs, 2),
        fallbacks: sk.getBackend().fallbacks.length,
      };
      if (label.includes('8x8')) {
        sk.setBackend('cpu');
        const c = await time(skBuild(), opts);
        row.gpujsCpuMs = fmt(c.medianMs, 4);
        row.ratioVsGpujsCpu = fmt(c.medianMs / t.medianMs, 2);
      }
      sk.disposeBackend();
      rows.push(row);
      console.log(
        `${label} ${size} (${row.threads}): ${row.sparsekitMs} ms, tfjs-wasm ${row.tfjs_wasmMs} ms (×${row.ratioVsTfjsWasm}), ${row.fallbacks} fallbacks${row.gpujsCpuMs ? `, gpu.js cpu ${row.gpujsCpuMs} ms` : ''}`,
      );
    }
  }
  delete process.env.SPARSEKIT_WASM_THREADS;
}

for (const rt of Object.values(runtimes)) rt.dispose();
console.log(
  '\n' +
    table(rows, [
      'bench',
      'size',
      'threads',
      'sparsekitMs',
      'tfjs_wasmMs',
      'sparsekitGflops',
      'tfjs_wasmGflops',
      'ratioVsTfjsWasm',
      'gpujsCpuMs',
      'ratioVsGpujsCpu',
      'fallbacks',
    ]),
);
console.log(`\nwrote ${writeResults('wasm', rows, { peer: 'tfjs-backend-wasm 4.22.0 (XNNPACK, SIMD, 1 thread)' })}`);
