/**
 * The `wasm` backend's own checks in the browser, run by entry.ts beside the parity suite on
 * the wasm lanes (run.mjs): `wasm` (page cross-origin isolated: a Worker pool over shared
 * memory) and `wasm-single` (page not isolated: no SharedArrayBuffer, the non-shared
 * single-thread build). Each asserts which path ran.
 */
import { autoOrder, current, currentHost } from '../../src/backend.js';
import * as T from '../../src/index.js';
import { OP, PARALLEL_MIN, SOFTMAX, WasmRuntime } from '../../src/wasm/runtime.js';
import type { ParityCase } from '../parity/cases.js';
import { bitwiseEqual, seeded } from '../wasm/helpers.js';
import type { WorkerReport } from './worker-entry.js';

/** Which thread path a lane expects: `pool` (isolated page) or `single` (not isolated). */
export type WasmPath = 'pool' | 'single';

/** The wasm backend's runtime facts, as the adapter exposes them to tests. */
function adapterThreads(): number {
  return (current().adapter as unknown as { threads: number }).threads;
}

function assert(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}

/**
 * Runs before `initBackend`: a synchronous `setBackend('wasm')` in a browser, before the module
 * was compiled asynchronously, is a BackendError that says to use the async path.
 */
export function beforeInit(): ParityCase {
  return {
    name: "wasm: setBackend('wasm') before initBackend is a BackendError naming initBackend",
    async run() {
      let thrown: unknown;
      try {
        T.setBackend('wasm');
      } catch (e) {
        thrown = e;
      }
      assert(thrown instanceof T.BackendError, `expected a BackendError, got ${String(thrown)}`);
      const message = (thrown as Error).message;
      assert(/^setBackend: /.test(message), `the message names setBackend: ${message}`);
      assert(/await initBackend\('wasm'\)/.test(message), `the message says to await initBackend: ${message}`);
    },
  };
}

/** Runs after `initBackend('wasm')`, before the parity cases. */
export function afterInit(path: WasmPath): ParityCase[] {
  const isolated = globalThis.crossOriginIsolated === true;
  // one multiply over PARALLEL_MIN.matmul, a softmax and an add over PARALLEL_MIN.rows/.elementwise
  const [m, n, k] = [160, 192, 160];
  const rows = 64;
  const len = Math.ceil(PARALLEL_MIN.rows / rows);
  const cells = PARALLEL_MIN.elementwise + 13;
  const run = (rt: WasmRuntime): Float32Array[] => {
    const a = rt.alloc(m * k);
    const b = rt.alloc(k * n);
    const c = rt.alloc(m * n);
    rt.write(a, seeded(m * k, 1));
    rt.write(b, seeded(k * n, 2));
    rt.matmul(a, b, c, m, n, k, false, false);
    const x = rt.alloc(rows * len);
    const y = rt.alloc(rows * len);
    rt.write(x, seeded(rows * len, 3, 4));
    rt.softmax(SOFTMAX.softmax, x, y, rows, len);
    const p = rt.alloc(cells);
    const q = rt.alloc(cells);
    const r = rt.alloc(cells);
    rt.write(p, seeded(cells, 4));
    rt.write(q, seeded(cells, 5));
    rt.binary(OP.mul, { ptr: p, shape: [cells] }, { ptr: q, shape: [cells] }, r);
    return [rt.read(c, m * n), rt.read(y, rows * len), rt.read(r, cells)];
  };
  return [
    {
      name: `wasm: auto order in a browser puts wasm after webgpu and webgl2`,
      async run() {
        const order = autoOrder(currentHost()).join(' → ');
        assert(currentHost() === 'browser', `host ${currentHost()}`);
        assert(order === 'webgpu → webgl2 → wasm → webgl → webasm → cpu', `order ${order}`);
      },
    },
    {
      name: `wasm: runs the ${path === 'pool' ? 'Worker pool over shared memory' : 'non-shared single-thread build'}`,
      async run() {
        const threads = adapterThreads();
        if (path === 'pool') {
          assert(isolated, 'the page is not cross-origin isolated (COOP/COEP headers missing)');
          assert(navigator.hardwareConcurrency > 1, `only ${navigator.hardwareConcurrency} core: no pool to test`);
          assert(threads === Math.min(4, navigator.hardwareConcurrency), `the backend runs ${threads} threads`);
        } else {
          assert(
            !isolated && typeof SharedArrayBuffer === 'undefined',
            'the page is isolated: SharedArrayBuffer exists',
          );
          assert(threads === 1, `the backend runs ${threads} threads`);
          let thrown: unknown;
          try {
            await WasmRuntime.createAsync({ threads: 2 });
          } catch (e) {
            thrown = e;
          }
          assert(
            thrown instanceof T.BackendError && /cross-origin isolated/.test((thrown as Error).message),
            `threads: 2 without isolation should be a BackendError naming cross-origin isolation, got ${String(thrown)}`,
          );
        }
      },
    },
    {
      name: `wasm: ${path === 'pool' ? 'a split over Workers' : 'the single-thread build'} gives the bitwise results of one thread`,
      async run() {
        const one = await WasmRuntime.createAsync({ threads: 1 });
        const want = run(one);
        assert(!one.shared && one.parallelCalls === 0, 'threads: 1 is not shared and splits nothing');
        one.dispose();
        if (path === 'single') {
          const rt = await WasmRuntime.createAsync();
          assert(rt.threads === 1 && !rt.shared, `default runtime: ${rt.threads} threads, shared ${rt.shared}`);
          const got = run(rt);
          rt.dispose();
          got.forEach((g, i) => assert(bitwiseEqual(g, want[i]), `result ${i} differs`));
          return;
        }
        const rt = await WasmRuntime.createAsync({ threads: 2 });
        assert(rt.shared && rt.memory.buffer instanceof SharedArrayBuffer, 'the pool memory is shared');
        const got = run(rt);
        const split = rt.parallelCalls;
        rt.dispose();
        assert(split === 3, `${split} of 3 calls were split over the Workers`);
        got.forEach((g, i) => assert(bitwiseEqual(g, want[i]), `result ${i} differs between 1 and 2 threads`));
      },
    },
    ...(path === 'pool' ? [stress(), insideWorker()] : []),
  ];
}

/**
 * Inside a module Worker (where apps/demo runs its experiments) `initBackend('wasm')` starts a
 * pool whose Workers nest in it, and splits a product with the one-thread result.
 */
function insideWorker(): ParityCase {
  return {
    name: "wasm: inside a module Worker, initBackend('wasm') runs a nested pool with the one-thread results",
    async run() {
      const worker = new Worker('/worker-entry.js', { type: 'module' });
      const report = await new Promise<WorkerReport>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the Worker did not answer within 60 s')), 60_000);
        worker.onmessage = (e: MessageEvent<WorkerReport>) => {
          clearTimeout(timer);
          resolve(e.data);
        };
        worker.onerror = (e) => {
          clearTimeout(timer);
          reject(new Error(`the Worker failed: ${e.message}`));
        };
      }).finally(() => worker.terminate());
      assert(report.error === null, `the Worker threw ${report.error}`);
      assert(report.backend === 'wasm', `the Worker runs ${report.backend}`);
      assert(
        report.threads === Math.min(4, navigator.hardwareConcurrency),
        `the Worker's backend runs ${report.threads} threads`,
      );
      assert(report.product.join(',') === '19,22,43,50', `matmul gave ${report.product.join(',')}`);
      assert(report.splitCalls === 1, `${report.splitCalls} of 1 call was split`);
      assert(report.identical, 'two threads differ from one inside the Worker');
    },
  };
}

/**
 * The page's thread joins its Workers by spinning (it may not `Atomics.wait`): 3000
 * back-to-back split calls must lose no hand-off, each one's result complete.
 */
function stress(): ParityCase {
  return {
    name: 'wasm: 3000 back-to-back split calls from the page thread lose no hand-off',
    async run() {
      const rt = await WasmRuntime.createAsync({ threads: 2 });
      try {
        const n = PARALLEL_MIN.elementwise;
        const X = seeded(n, 8);
        const Y = seeded(n, 9);
        const want = Float32Array.from(X, (v, i) => v + Y[i]);
        const [x, y, out] = [rt.alloc(n), rt.alloc(n), rt.alloc(n)];
        rt.write(x, X);
        rt.write(y, Y);
        for (let i = 0; i < 3000; i++) {
          // poison both ends: a share the Workers skipped would leave NaN behind
          rt.write(out, [Number.NaN]);
          rt.write(out + 4 * (n - 1), [Number.NaN]);
          rt.binary(OP.add, { ptr: x, shape: [n] }, { ptr: y, shape: [n] }, out);
          const got = rt.read(out, n);
          assert(got[0] === want[0] && got[n - 1] === want[n - 1], `call ${i}: a share was not computed`);
        }
        assert(bitwiseEqual(rt.read(out, n), want), 'the last result differs from x + y');
        assert(rt.parallelCalls === 3000, `${rt.parallelCalls} of 3000 calls were split`);
      } finally {
        rt.dispose();
      }
    },
  };
}

/** Runs last: once compiled, a synchronous `setBackend('wasm')` works in the browser too. */
export function afterSuite(path: WasmPath): ParityCase {
  return {
    name: "wasm: setBackend('wasm') works synchronously once initBackend compiled the module",
    async run() {
      const info = T.setBackend('wasm');
      assert(info.name === 'wasm' && info.requested === 'wasm', `got ${info.name}`);
      const threads = adapterThreads();
      assert(path === 'pool' ? threads > 1 : threads === 1, `${threads} threads on the ${path} path`);
      const got = T.matmul(T.tensor([1, 2, 3, 4], [2, 2]), T.tensor([5, 6, 7, 8], [2, 2]));
      const data = Array.from(await got.data());
      assert(data.join(',') === '19,22,43,50', `matmul gave ${data.join(',')}`);
    },
  };
}
