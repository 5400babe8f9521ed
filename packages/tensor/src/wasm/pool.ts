/**
 * A fork-join pool of worker threads over the `wasm` backend's shared memory: Node
 * `worker_threads`, or in a browser page that is cross-origin isolated, `Worker`s loaded from a
 * Blob URL (the program is inlined, so a bundled package has no worker file to locate). Each
 * worker instantiates the same kernel module on the same `WebAssembly.Memory`; a job is an
 * op code, its arguments and a list of chunks of work, handed over in a small
 * `SharedArrayBuffer` of its own that never moves when the wasm memory grows.
 *
 * Every participant, the caller included, claims chunks in turn by compare-and-swap on NEXT,
 * which holds the job's epoch (its tag) beside the next chunk's index, so a claim can only
 * succeed for the job that is running. The caller returns once every chunk is done: it waits
 * for the chunks workers claimed (DONE counts them) and never for a worker that claimed none —
 * a worker still asleep when the caller ran every chunk itself costs nothing, and when it
 * wakes, its claim fails on the tag. A job's state is not rewritten while a claimed chunk is
 * unfinished, so a worker reads the arguments of the job it claimed from.
 *
 * No wake-up is lost: the caller writes the job, then stores EPOCH and notifies; a worker
 * sleeps with `Atomics.wait(EPOCH, lastSeen)`, which returns at once when EPOCH already moved,
 * and the caller sleeps with `Atomics.wait(DONE, seenCount)`, which returns at once when a
 * chunk finished in between (a browser page's main thread may not wait, and spins on DONE
 * instead). (The first protocol tried for issue 12 slept on a flag the caller had already
 * flipped, and deadlocked after ~200 calls.)
 * @internal
 */

import { BackendError } from '../errors.js';

export const JOB = {
  matmul: 1,
  binary: 2,
  unary: 3,
  reduce: 4,
  softmax: 5,
  adamMoments: 7,
  program: 8,
  spmm: 9,
  gather: 10,
  oneHot: 11,
  copyRows: 12,
  topK: 13,
  stop: 99,
} as const;
export type JobCode = (typeof JOB)[keyof typeof JOB];

/**
 * How long a worker polls for the next job before it sleeps in `Atomics.wait` (ms), and how long
 * a caller polls for its workers' chunks before it sleeps. Waking a sleeping thread costs
 * 50–300 µs on the project's 2-vCPU VM (a futex wake-up, and the hypervisor waking an idle
 * vCPU), more than a 128³ matmul's share; a job that comes within the spin is picked up in about
 * a microsecond. A training step's jobs come closer together than that, with reads back and
 * JavaScript between them (a 256 KB readback alone measured up to 0.18 ms). Timed, not counted:
 * an optimised polling loop runs ~20× faster than an unoptimised one (2¹⁶ polls measured
 * 40 µs to 1.4 ms), which left workers asleep between back-to-back 128³ matmuls.
 */
const SPIN_MS = 1;
const JOIN_SPIN_MS = 0.25;

/**
 * Int32 slots of the control block: NEXT is the next unclaimed chunk of the job, COUNT its
 * number of chunks, RANGES their [start, end) pairs.
 */
export const CTL = {
  EPOCH: 0,
  DONE: 1,
  READY: 2,
  OP: 3,
  ERROR: 4,
  NEXT: 5,
  COUNT: 6,
  ARGS: 8,
  FARGS: 40,
  RANGES: 64,
  SIZE: 256,
} as const;
/** Most chunks a job can have (the control block holds one range pair each). */
export const MAX_CHUNKS = (CTL.SIZE - CTL.RANGES) / 2; // 96 < 2^TAG_SHIFT
/** Most participants a pool can have: at least one chunk each. */
export const MAX_THREADS = MAX_CHUNKS;
// NEXT = (epoch & TAG_MASK) << TAG_SHIFT | chunk index
const TAG_SHIFT = 7;
const INDEX_MASK = (1 << TAG_SHIFT) - 1;
const TAG_MASK = 0xffffff;

// The dispatch loop every worker runs, in Node and in browsers alike: it instantiates the
// kernel module on the shared memory, announces itself in READY, then serves jobs until STOP.
// A job code added to JOB is dispatched here, once, for both kinds of worker.
const SERVE = `
function serve({ module, memory, control, index, wsBase, wsBytes }) {
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const c = new Int32Array(control);
  const f = new Float32Array(control);
  const A = ${CTL.ARGS}, F = ${CTL.FARGS};
  // read the epoch before announcing readiness: the caller bumps it only once all are ready
  let seen = Atomics.load(c, ${CTL.EPOCH});
  Atomics.add(c, ${CTL.READY}, 1);
  Atomics.notify(c, ${CTL.READY});
  for (;;) {
    // spin a while before sleeping: jobs come back to back, and a futex wake-up costs far more
    // than a small job (see SPIN_MS)
    let e = Atomics.load(c, ${CTL.EPOCH});
    if (e === seen) {
      const until = performance.now() + ${SPIN_MS};
      for (let i = 1; e === seen; i++) {
        e = Atomics.load(c, ${CTL.EPOCH});
        if ((i & 1023) === 0 && performance.now() > until) break;
      }
    }
    if (e === seen) {
      Atomics.wait(c, ${CTL.EPOCH}, seen);
      continue;
    }
    seen = e;
    if (c[${CTL.OP}] === ${JOB.stop}) break;
    // claim chunks of job e until none is left (or the job is over: the tag moved on)
    const tag = (e & ${TAG_MASK}) << ${TAG_SHIFT};
    for (;;) {
      const cur = Atomics.load(c, ${CTL.NEXT});
      const i = cur & ${INDEX_MASK};
      if ((cur & ~${INDEX_MASK}) !== tag || i >= c[${CTL.COUNT}]) break;
      if (Atomics.compareExchange(c, ${CTL.NEXT}, cur, cur + 1) !== cur) continue;
      const op = c[${CTL.OP}];
      const s = c[${CTL.RANGES} + 2 * i], t = c[${CTL.RANGES} + 2 * i + 1];
      try {
        if (s < t) {
          if (op === ${JOB.matmul}) k.matmul(c[A], c[A+1], c[A+2], c[A+3], c[A+4], c[A+5], c[A+6], c[A+7], c[A+8], c[A+9], c[A+10], s, t, wsBase + index * wsBytes);
          else if (op === ${JOB.binary}) k.binary(c[A], c[A+1], c[A+2], c[A+3], s, t, c[A+4], c[A+5], c[A+6], c[A+7], c[A+8], c[A+9], c[A+10], c[A+11], c[A+12], c[A+13], c[A+14]);
          else if (op === ${JOB.unary}) k.unary(c[A], c[A+1], c[A+2], s, t);
          else if (op === ${JOB.program}) k.unary(c[A], c[A+1], index, s, t);
          else if (op === ${JOB.spmm}) k.spmm(c[A], c[A+1], c[A+2], c[A+3], c[A+4], c[A+5], s, t);
          else if (op === ${JOB.gather}) k.gatherRows(c[A], c[A+1], c[A+2], c[A+3], c[A+4], c[A+5], s, t);
          else if (op === ${JOB.oneHot}) k.oneHot(c[A], c[A+1], c[A+2], s, t);
          else if (op === ${JOB.copyRows}) k.copyRows(c[A], c[A+1], c[A+2], c[A+3], s, t);
          else if (op === ${JOB.topK}) k.topKDirect(c[A], c[A+1], c[A+2], c[A+3], c[A+4], s, t);
          else if (op === ${JOB.reduce}) k.reduce(c[A], c[A+1], c[A+2], c[A+3], c[A+4], s, t);
          else if (op === ${JOB.softmax}) k.softmax(c[A], c[A+1], c[A+2], c[A+3], s, t);
          else if (op === ${JOB.adamMoments}) k.adamMoments(c[A], c[A+1], c[A+2], c[A+3], c[A+4], c[A+5], c[A+6], s, t, f[F], f[F+1], f[F+2], f[F+3], f[F+4], f[F+5], f[F+6], f[F+7]);
        }
      } catch (err) {
        Atomics.store(c, ${CTL.ERROR}, index);
      }
      Atomics.add(c, ${CTL.DONE}, 1);
      Atomics.notify(c, ${CTL.DONE});
    }
  }
}
`;

/** A Node worker's program, evaluated as CommonJS by `new Worker(code, { eval: true })`: no worker file to locate. */
const NODE_WORKER_SOURCE = `${SERVE}\nserve(require('node:worker_threads').workerData);\n`;

/**
 * A browser worker's program, loaded from a Blob URL (a bundled package has no worker file to
 * point at): it serves once its first message brings the module, the memory and its index.
 */
const BROWSER_WORKER_SOURCE = `${SERVE}\nself.onmessage = (e) => serve(e.data);\n`;

/** What a worker needs to serve jobs: posted to it once, at start. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  /** The worker's participant index (1…threads − 1; the caller is 0). */
  index: number;
  /** The matmul workspaces' base and per-participant size in bytes. */
  wsBase: number;
  wsBytes: number;
}

/** A started worker, whichever runtime started it. */
interface PoolWorker {
  terminate(): void;
}

/**
 * Where worker threads come from: Node's `worker_threads`, or a browser's `Worker`. Node's
 * threads may block the caller while they start; a browser's do not start (or receive their
 * first message) until the page's thread returns to its event loop, so a browser pool is ready
 * only after an `await` ({@link WorkerPool.ready}).
 */
export interface ThreadHost {
  readonly kind: 'node' | 'browser';
  /** Starts worker `init.index`; `onError` receives a failure to start or a crash. */
  spawn(init: WorkerInit, onError: (message: string) => void): PoolWorker;
}

interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error', cb: (err: Error) => void): void;
}
type NodeWorkerCtor = new (code: string, options: { eval: true; workerData: unknown }) => NodeWorker;

interface BrowserWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'error', cb: (event: { message?: string }) => void): void;
}
type BrowserWorkerCtor = new (url: string, options?: { name?: string }) => BrowserWorker;

/** `worker_threads.Worker` when running in Node (20.16+ has `process.getBuiltinModule`), else undefined. */
export function nodeWorkerCtor(): NodeWorkerCtor | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as { Worker?: NodeWorkerCtor } | undefined;
  return wt?.Worker;
}

// One Blob URL per realm for every browser worker's program (a few KB, kept for the page's life:
// revoking it could race a worker that is still loading it).
let browserWorkerUrl: string | undefined;

/**
 * The thread host of this runtime: Node's `worker_threads`, else a browser's `Worker` with
 * `Blob` and `URL.createObjectURL` to load the inlined program; undefined where neither exists.
 */
export function threadHost(): ThreadHost | undefined {
  const NodeWorker = nodeWorkerCtor();
  if (NodeWorker) {
    return {
      kind: 'node',
      spawn(init, onError) {
        const w = new NodeWorker(NODE_WORKER_SOURCE, { eval: true, workerData: init });
        w.on('error', (err) => onError(err.message));
        // idle workers must not keep the process alive
        w.unref();
        return { terminate: () => void w.terminate() };
      },
    };
  }
  const g = globalThis as {
    Worker?: BrowserWorkerCtor;
    Blob?: typeof Blob;
    URL?: { createObjectURL?(blob: Blob): string };
  };
  const BrowserWorker = g.Worker;
  const createUrl = g.URL?.createObjectURL;
  if (!BrowserWorker || !g.Blob || !createUrl) return undefined;
  const BlobCtor = g.Blob;
  return {
    kind: 'browser',
    spawn(init, onError) {
      browserWorkerUrl ??= createUrl.call(g.URL, new BlobCtor([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
      const w = new BrowserWorker(browserWorkerUrl, { name: `sparsekit-wasm-${init.index}` });
      w.addEventListener('error', (event) => onError(event.message ?? 'the worker failed to load or crashed'));
      w.postMessage(init);
      return { terminate: () => w.terminate() };
    },
  };
}

let blockingAllowed: boolean | undefined;

/**
 * Whether this thread may block in `Atomics.wait` (Node's main thread and every worker may;
 * a browser page's main thread may not, and spins instead).
 */
export function mayBlock(): boolean {
  if (blockingAllowed === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blockingAllowed = true;
    } catch {
      blockingAllowed = false;
    }
  }
  return blockingAllowed;
}

/** How long a caller waits for workers before calling the pool broken (a trap, a killed thread). */
const STALL_MS = 60_000;

export class WorkerPool {
  readonly control: Int32Array;
  readonly fcontrol: Float32Array;
  private readonly workers: PoolWorker[] = [];
  private readonly host: ThreadHost;
  private readonly blocking: boolean;
  private started = false;
  private closed = false;
  /** Why a worker failed to start or crashed, once one has. */
  private failure: string | null = null;

  /**
   * @param threads participants including the caller (workers = threads − 1)
   * @param host where the workers come from (default: this runtime's {@link threadHost})
   */
  constructor(
    readonly threads: number,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    wsBase: number,
    wsBytes: number,
    host: ThreadHost | undefined = threadHost(),
  ) {
    if (!host) {
      throw new BackendError(
        'wasm',
        'threads need Node worker_threads (Node 20.16+) or a browser Worker, which this runtime lacks',
      );
    }
    this.host = host;
    this.blocking = mayBlock();
    const sab = new SharedArrayBuffer(CTL.SIZE * 4);
    this.control = new Int32Array(sab);
    this.fcontrol = new Float32Array(sab);
    for (let index = 1; index < threads; index++) {
      const init: WorkerInit = { module, memory, control: sab, index, wsBase, wsBytes };
      this.workers.push(
        host.spawn(init, (message) => {
          this.failure ??= `worker thread ${index} failed: ${message}`;
        }),
      );
    }
  }

  /** Whether every worker has started and waits for jobs (never blocks). */
  get isReady(): boolean {
    if (!this.started && Atomics.load(this.control, CTL.READY) >= this.threads - 1) this.started = true;
    return this.started;
  }

  /**
   * Resolves once every worker has started; rejects with a {@link BackendError} when one failed
   * to start (a browser that refuses Blob-URL workers, say) or none came up within a minute.
   * A browser's workers start only while the page's thread is back in its event loop, which
   * this promise's polling gives them.
   */
  ready(): Promise<void> {
    const deadline = Date.now() + STALL_MS;
    return new Promise((resolve, reject) => {
      const poll = (): void => {
        if (this.failure) reject(new BackendError('wasm', this.failure));
        else if (this.isReady) resolve();
        else if (this.closed) reject(new BackendError('wasm', 'the worker pool was disposed before it started'));
        else if (Date.now() > deadline) {
          reject(
            new BackendError(
              'wasm',
              `only ${Atomics.load(this.control, CTL.READY)} of ${this.threads - 1} worker threads started within ${STALL_MS} ms`,
            ),
          );
        } else setTimeout(poll, 2);
      };
      poll();
    });
  }

  /** Waits (Node only) for the workers to start; false where they have not and this thread cannot wait. */
  private waitReady(): boolean {
    if (this.isReady) return true;
    if (this.failure) throw new BackendError('wasm', this.failure);
    // a browser's workers cannot start while this thread waits for them
    if (this.host.kind !== 'node') return false;
    const c = this.control;
    const need = this.threads - 1;
    const deadline = Date.now() + STALL_MS;
    let r: number;
    while ((r = Atomics.load(c, CTL.READY)) < need) {
      if (this.failure) throw new BackendError('wasm', this.failure);
      if (Date.now() > deadline)
        throw new BackendError('wasm', `only ${r} of ${need} worker threads started within ${STALL_MS} ms`);
      Atomics.wait(c, CTL.READY, r, 50);
    }
    this.started = true;
    return true;
  }

  /**
   * Runs job `op` with integer `args` (and float `fargs`) over `chunks` ([start, end) each,
   * at most {@link MAX_CHUNKS}): every participant, the caller included, claims chunks in turn
   * until none is left (the caller through `self(start, end)`), so a worker that wakes late or
   * runs slow takes fewer; returns when every worker has finished. While a browser's workers
   * are still starting, the caller runs every chunk itself (the same results: chunks are
   * independent) and this returns false; true when the workers took part.
   */
  run(
    op: JobCode,
    args: readonly number[],
    fargs: readonly number[],
    chunks: ReadonlyArray<readonly [number, number]>,
    self: (s: number, e: number) => void,
  ): boolean {
    if (this.closed) throw new BackendError('wasm', 'the worker pool was disposed');
    if (chunks.length > MAX_CHUNKS)
      throw new BackendError('wasm', `a job has at most ${MAX_CHUNKS} chunks, got ${chunks.length}`);
    if (!this.waitReady()) {
      for (const [s, e] of chunks) if (s < e) self(s, e);
      return false;
    }
    const c = this.control;
    for (let i = 0; i < args.length; i++) c[CTL.ARGS + i] = args[i];
    for (let i = 0; i < fargs.length; i++) this.fcontrol[CTL.FARGS + i] = fargs[i];
    chunks.forEach(([s, e], i) => {
      c[CTL.RANGES + 2 * i] = s;
      c[CTL.RANGES + 2 * i + 1] = e;
    });
    c[CTL.COUNT] = chunks.length;
    c[CTL.OP] = op;
    Atomics.store(c, CTL.ERROR, 0);
    Atomics.store(c, CTL.DONE, 0);
    // only this thread writes EPOCH
    const epoch = (c[CTL.EPOCH] + 1) | 0;
    const tag = (epoch & TAG_MASK) << TAG_SHIFT;
    Atomics.store(c, CTL.NEXT, tag);
    Atomics.store(c, CTL.EPOCH, epoch);
    Atomics.notify(c, CTL.EPOCH);
    let selfError: unknown;
    let mine = 0;
    for (;;) {
      const cur = Atomics.load(c, CTL.NEXT);
      const i = cur & INDEX_MASK;
      if (i >= chunks.length) break;
      if (Atomics.compareExchange(c, CTL.NEXT, cur, cur + 1) !== cur) continue;
      mine++;
      const [s, e] = chunks[i];
      try {
        if (s < e) self(s, e);
      } catch (err) {
        selfError ??= err;
      }
    }
    // every chunk is claimed: wait for those the workers took
    this.join(chunks.length - mine);
    if (selfError) throw selfError;
    const failed = Atomics.load(c, CTL.ERROR);
    if (failed) throw new BackendError('wasm', `a kernel trapped in worker thread ${failed}`);
    return true;
  }

  /**
   * Returns when every worker has finished the current job: sleeping in `Atomics.wait` where
   * this thread may, spinning on `Atomics.load` on a browser page's main thread (the workers'
   * shares are the size of the caller's, so the spin lasts about as long as they do).
   */
  private join(need: number): void {
    if (need === 0) return;
    const c = this.control;
    const deadline = Date.now() + STALL_MS;
    let d: number;
    let spins = 0;
    const until = performance.now() + JOIN_SPIN_MS;
    for (let i = 1; Atomics.load(c, CTL.DONE) < need; i++) if ((i & 1023) === 0 && performance.now() > until) break;
    while ((d = Atomics.load(c, CTL.DONE)) < need) {
      const timedOut = this.blocking ? Atomics.wait(c, CTL.DONE, d, 1000) === 'timed-out' : ++spins % 65536 === 0;
      if (timedOut && Date.now() > deadline) {
        throw new BackendError(
          'wasm',
          `worker threads stalled: ${d} of their ${need} chunks finished within ${STALL_MS} ms`,
        );
      }
    }
  }

  /** Stops the workers; the pool cannot run jobs afterwards. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    const c = this.control;
    c[CTL.OP] = JOB.stop;
    Atomics.store(c, CTL.EPOCH, (c[CTL.EPOCH] + 1) | 0);
    Atomics.notify(c, CTL.EPOCH);
    for (const w of this.workers) w.terminate();
  }
}
