/**
 * A module Worker's program for the wasm lane's nested-Worker case (wasm-checks.ts): the
 * `wasm` backend selected inside a dedicated Worker, as apps/demo runs its experiments. Its
 * pool's Workers nest in this one, and this thread may block in `Atomics.wait` to join them
 * (a page's main thread spins instead). Posts one {@link WorkerReport}.
 */
import { current } from '../../src/backend.js';
import * as T from '../../src/index.js';
import { WasmRuntime } from '../../src/wasm/runtime.js';
import { bitwiseEqual, seeded } from '../wasm/helpers.js';

/** What the Worker found. */
export interface WorkerReport {
  backend: string;
  threads: number;
  splitCalls: number;
  identical: boolean;
  product: number[];
  error: string | null;
}

const scope = self as unknown as { postMessage(m: WorkerReport): void };

async function main(): Promise<WorkerReport> {
  const info = await T.initBackend('wasm');
  const threads = (current().adapter as unknown as { threads: number }).threads;
  const product = Array.from(await T.matmul(T.tensor([1, 2, 3, 4], [2, 2]), T.tensor([5, 6, 7, 8], [2, 2])).data());
  // one product above PARALLEL_MIN.matmul on two threads, against one thread
  const [m, n, k] = [160, 192, 160];
  const A = seeded(m * k, 1);
  const B = seeded(k * n, 2);
  const results: Float32Array[] = [];
  let splitCalls = 0;
  for (const t of [1, 2]) {
    const rt = await WasmRuntime.createAsync({ threads: t });
    const [a, b, c] = [rt.alloc(m * k), rt.alloc(k * n), rt.alloc(m * n)];
    rt.write(a, A);
    rt.write(b, B);
    rt.matmul(a, b, c, m, n, k, false, false);
    results.push(rt.read(c, m * n));
    splitCalls += rt.parallelCalls;
    rt.dispose();
  }
  T.disposeBackend();
  return {
    backend: info.name,
    threads,
    splitCalls,
    identical: bitwiseEqual(results[0], results[1]),
    product,
    error: null,
  };
}

main().then(
  (report) => scope.postMessage(report),
  (e: unknown) =>
    scope.postMessage({
      backend: '',
      threads: 0,
      splitCalls: 0,
      identical: false,
      product: [],
      error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    }),
);
