// The `wasm` backend's browser paths, exercised in Node: outside Node the kernel module is
// compiled only asynchronously (a synchronous setBackend('wasm') before that is a BackendError
// that says to await initBackend), and a browser's worker pool, whose workers start only once
// the page is back in its event loop, runs every call on the caller until they have started —
// with the same results — and splits calls once they have.
import { afterAll, describe, expect, it } from 'vitest';
import { current, disposeBackend, initBackend, setBackend } from '../../src/backend.js';
import { BackendError } from '../../src/errors.js';
import { matmul, tensor } from '../../src/index.js';
import * as generated from '../../src/wasm/modules.generated.js';
import { CTL, JOB, type ThreadHost, threadHost, WorkerPool } from '../../src/wasm/pool.js';
import { OP, prepareWasm, splitRange, WasmRuntime, wasmSupport } from '../../src/wasm/runtime.js';
import { bitwiseEqual, seeded } from './helpers.js';

afterAll(() => disposeBackend());

/** Runs `body` as if this were not Node: `process.versions.node` reads undefined meanwhile. */
async function asBrowser<R>(body: () => R | Promise<R>): Promise<R> {
  const saved = process.versions;
  Object.defineProperty(process, 'versions', { value: { ...saved, node: undefined }, configurable: true });
  try {
    return await body();
  } finally {
    Object.defineProperty(process, 'versions', { value: saved, configurable: true });
  }
}

describe('compiling outside Node', () => {
  // this file's first compile happens here: the module cache starts empty
  it('refuses a synchronous runtime before the async compile, then creates one after it', async () => {
    await asBrowser(async () => {
      expect(wasmSupport()).toMatch(/not compiled yet: browsers compile WebAssembly asynchronously/);
      expect(() => WasmRuntime.create({ threads: 1 })).toThrow(BackendError);
      expect(() => WasmRuntime.create({ threads: 1 })).toThrow(/^wasm: its kernels are not compiled yet/);
      expect(() => setBackend('wasm')).toThrow(BackendError);
      expect(() => setBackend('wasm')).toThrow(
        /^setBackend: backend 'wasm' is not available: its kernels are not compiled yet: .*await initBackend\('wasm'\)/,
      );
      // a refused selection left no backend behind, and auto passes over wasm, saying why
      const auto = setBackend('auto');
      expect(auto.name).toBe('webasm');
      expect(auto.reason).toMatch(/wasm: its kernels are not compiled yet/);

      const info = await initBackend('wasm');
      expect(info).toMatchObject({ name: 'wasm', requested: 'wasm', reason: 'requested explicitly' });
      expect(wasmSupport()).toBeNull();
      const c = matmul(tensor([1, 2, 3, 4], [2, 2]), tensor([5, 6, 7, 8], [2, 2]));
      expect(Array.from(c.dataSync())).toEqual([19, 22, 43, 50]);
      // compiled once, a synchronous selection works as in Node
      expect(setBackend('wasm').name).toBe('wasm');
      disposeBackend();
    });
  });

  it('prepareWasm compiles each variant once: a second call compiles nothing', async () => {
    await prepareWasm();
    const compile = WebAssembly.compile;
    let calls = 0;
    WebAssembly.compile = ((bytes: BufferSource) => {
      calls++;
      return compile(bytes);
    }) as typeof WebAssembly.compile;
    try {
      await prepareWasm();
      await WasmRuntime.createAsync({ threads: 1 });
    } finally {
      WebAssembly.compile = compile;
    }
    expect(calls).toBe(0);
  });

  it('initBackend refuses a misspelled backend before compiling anything, naming itself', async () => {
    await expect(initBackend('wasm ' as never)).rejects.toThrow(/^initBackend: unknown backend 'wasm '/);
  });
});

describe("a browser's worker pool", () => {
  // Node's workers under a browser host's rules: never waited for while they start
  const node = threadHost() as ThreadHost;
  const browserLike: ThreadHost = { kind: 'browser', spawn: (init, onError) => node.spawn(init, onError) };
  const module = new WebAssembly.Module(Buffer.from(generated.simdShared, 'base64'));
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 64, shared: true });
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as {
    unary(op: number, x: number, out: number, s: number, e: number): void;
  };
  const n = 10_000;
  const [x, out] = [65536, 65536 + 4 * n];
  const f32 = new Float32Array(memory.buffer);
  const X = seeded(n, 11, 4).map(Math.abs);
  f32.set(X, x >>> 2);
  const SQRT = 2;
  const want = X.map(Math.sqrt);
  const sqrt = (pool: WorkerPool): boolean => {
    f32.fill(Number.NaN, out >>> 2, (out >>> 2) + n);
    return pool.run(JOB.unary, [SQRT, x, out], [], splitRange(n, pool.threads, 16), (s, e) =>
      k.unary(SQRT, x, out, s, e),
    );
  };
  const result = (): Float32Array => f32.slice(out >>> 2, (out >>> 2) + n);

  it('runs a call on the caller while its workers start, then splits once they have, with equal results', async () => {
    const pool = new WorkerPool(3, module, memory, 0, 0, browserLike);
    try {
      expect(pool.isReady).toBe(false);
      expect(sqrt(pool)).toBe(false);
      expect(bitwiseEqual(result(), want)).toBe(true);
      await pool.ready();
      expect(pool.isReady).toBe(true);
      expect(Atomics.load(pool.control, CTL.READY)).toBe(2);
      for (let i = 0; i < 200; i++) {
        expect(sqrt(pool)).toBe(true);
        if (i % 50 === 0) expect(bitwiseEqual(result(), want)).toBe(true);
      }
      expect(bitwiseEqual(result(), want)).toBe(true);
    } finally {
      pool.dispose();
    }
    expect(() => sqrt(pool)).toThrow(/the worker pool was disposed/);
  });

  it('rejects ready() with the reason when a worker fails to start', async () => {
    const failing: ThreadHost = {
      kind: 'browser',
      spawn: (init, onError) => {
        setTimeout(() => onError(`blocked by the page's Content-Security-Policy (worker ${init.index})`), 5);
        return { terminate() {} };
      },
    };
    const pool = new WorkerPool(2, module, memory, 0, 0, failing);
    await expect(pool.ready()).rejects.toThrow(
      /^wasm: worker thread 1 failed: blocked by the page's Content-Security-Policy \(worker 1\)/,
    );
    // a failed pool refuses work loudly rather than running single-threaded in silence
    expect(() => sqrt(pool)).toThrow(BackendError);
    pool.dispose();
  });

  it('never waits for a worker that took no chunk: a stalled thread leaves every chunk to the caller', () => {
    // a worker that announced itself and then never serves (a thread the OS does not run)
    const stalled: ThreadHost = {
      kind: 'node',
      spawn: (init) => {
        Atomics.add(new Int32Array(init.control), CTL.READY, 1);
        return { terminate() {} };
      },
    };
    const pool = new WorkerPool(2, module, memory, 0, 0, stalled);
    try {
      // each call returns once the caller has run every chunk (waiting for the worker would
      // end in the pool's 60 s stall error, past the test's time limit)
      for (let i = 0; i < 50; i++) expect(sqrt(pool)).toBe(true);
      expect(bitwiseEqual(result(), want)).toBe(true);
    } finally {
      pool.dispose();
    }
  });

  it('rejects ready() when disposed before its workers started', async () => {
    const silent: ThreadHost = { kind: 'browser', spawn: () => ({ terminate() {} }) };
    const pool = new WorkerPool(2, module, memory, 0, 0, silent);
    const ready = pool.ready();
    pool.dispose();
    await expect(ready).rejects.toThrow(/disposed before it started/);
  });

  it('a runtime created by createAsync has started its workers, and splits its first call', async () => {
    const rt = await WasmRuntime.createAsync({ threads: 2 });
    const m = 1 << 18;
    const a = rt.alloc(m);
    const b = rt.alloc(m);
    rt.write(a, seeded(m, 1));
    rt.write(b, seeded(m, 2));
    const o = rt.alloc(m);
    rt.binary(OP.add, { ptr: a, shape: [m] }, { ptr: b, shape: [m] }, o);
    expect(rt.parallelCalls).toBe(1);
    rt.dispose();
  });

  it('the backend selected by initBackend runs its pool', async () => {
    const info = await initBackend('wasm');
    expect(info.name).toBe('wasm');
    expect((current().adapter as unknown as { threads: number }).threads).toBeGreaterThanOrEqual(1);
    disposeBackend();
  });
});
