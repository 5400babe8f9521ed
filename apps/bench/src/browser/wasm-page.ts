// The page wasm-browser.bench.mjs loads: SparseKit's wasm runtime (packages/tensor/src/wasm)
// against TensorFlow.js-wasm 4.22 in the same Chromium page, both on `?threads=` threads
// (ours: its Worker pool over shared memory; tfjs: setThreadsCount on its threaded SIMD build).
// Each figure is a median over repetitions after warm-up, results read back as in the Node bench.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { SOFTMAX, WasmRuntime } from '../../../../packages/tensor/src/wasm/runtime.js';
import { seededArray as seeded } from '../seeded.mjs';

const MARK = '__SPARSEKIT_BENCH__';
const report = (x: unknown): void => console.log(MARK + JSON.stringify(x));

async function median(fn: () => void, reps: number, warmMs: number): Promise<number> {
  const w0 = performance.now();
  for (let i = 0; i < 3 || performance.now() - w0 < warmMs; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
    // let the page breathe between reps of long ops (a browser page's thread never blocks)
    if (i % 16 === 15) await new Promise((r) => setTimeout(r, 0));
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1];
}

async function main(): Promise<void> {
  const threads = Number(new URLSearchParams(location.search).get('threads') ?? '1');
  setWasmPaths('/tfjs/');
  setThreadsCount(threads);
  await tf.setBackend('wasm');
  await tf.ready();
  const rt = await WasmRuntime.createAsync({ threads });
  report({
    kind: 'info',
    threads,
    ours: { threads: rt.threads, fma: rt.fma, shared: rt.shared },
    crossOriginIsolated: globalThis.crossOriginIsolated,
    userAgent: navigator.userAgent,
  });
  const rows: Array<Record<string, unknown>> = [];
  const row = (bench: string, size: string, ms: number, tfMs: number, flops = 0) => {
    const r: Record<string, unknown> = { bench, size, threads, sparsekitMs: ms, tfjs_wasmMs: tfMs };
    if (flops) {
      r.sparsekitGflops = flops / ms / 1e6;
      r.tfjs_wasmGflops = flops / tfMs / 1e6;
    }
    r.ratioVsTfjsWasm = tfMs / ms;
    rows.push(r);
    report({ kind: 'row', ...r });
  };
  for (const n of [128, 256, 512, 1024]) {
    const a = seeded(n * n, 1);
    const b = seeded(n * n, 2);
    const A = rt.alloc(n * n);
    const B = rt.alloc(n * n);
    const C = rt.alloc(n * n);
    rt.write(A, a);
    rt.write(B, b);
    const reps = n >= 1024 ? 7 : n >= 512 ? 15 : 61;
    const ms = await median(
      () => {
        rt.matmul(A, B, C, n, n, n, false, false);
        rt.read(C, n * n);
      },
      reps,
      300,
    );
    const ta = tf.tensor2d(a, [n, n]);
    const tb = tf.tensor2d(b, [n, n]);
    const tfMs = await median(
      () => {
        const c = tf.matMul(ta, tb);
        c.dataSync();
        c.dispose();
      },
      reps,
      300,
    );
    ta.dispose();
    tb.dispose();
    for (const p of [A, B, C]) rt.free(p);
    row('matmul', `${n}x${n}`, ms, tfMs, 2 * n ** 3);
  }
  {
    const [R, L] = [64, 1024];
    const x = seeded(R * L, 5);
    const X = rt.alloc(R * L);
    const O = rt.alloc(R * L);
    rt.write(X, x);
    const ms = await median(
      () => {
        rt.softmax(SOFTMAX.softmax, X, O, R, L);
        rt.read(O, R * L);
      },
      201,
      300,
    );
    const tx = tf.tensor2d(x, [R, L]);
    const tfMs = await median(
      () => {
        const y = tf.softmax(tx);
        y.dataSync();
        y.dispose();
      },
      201,
      300,
    );
    tx.dispose();
    rt.free(X);
    rt.free(O);
    row('softmax rows', '64x1024', ms, tfMs);
  }
  {
    // Adam over 1e6 resident parameters: the whole step in one pass over θ, g, m and v, written
    // over θ, m and v (the tensor package's adamStep in place, as the optimizers run it), against
    // tf.train.adam's applyGradients
    const n = 1_000_000;
    const g = seeded(n, 3);
    const p0 = seeded(n, 4);
    const [G, P, M, V] = [g, p0, new Float32Array(n), new Float32Array(n)].map((a) => {
      const ptr = rt.alloc(n);
      rt.write(ptr, a);
      return ptr;
    });
    let step = 0;
    const h = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const ms = await median(() => rt.adamMoments(G, M, V, [M, V, P], n, { ...h, step: ++step }, P), 31, 300);
    const w = tf.variable(tf.tensor1d(p0));
    const tg = tf.tensor1d(g);
    const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
    const tfMs = await median(() => opt.applyGradients([{ name: w.name, tensor: tg }]), 31, 300);
    opt.dispose();
    w.dispose();
    tg.dispose();
    for (const ptr of [G, P, M, V]) rt.free(ptr);
    row('adam step (in place)', '1e6', ms, tfMs);
  }
  rt.dispose();
  report({ kind: 'done', rows: rows.length });
}

main().catch((e) => report({ kind: 'error', message: String(e?.stack ?? e) }));
