/**
 * A fork-join pool of Node `worker_threads` over the `wasm` backend's shared memory. Each
 * worker instantiates the same kernel module on the same `WebAssembly.Memory`; a job is an
 * op code, its arguments and one range of work per participant (the calling thread is
 * participant 0), handed over in a small `SharedArrayBuffer` of its own that never moves when
 * the wasm memory grows.
 *
 * The hand-off cannot lose a wake-up: the caller clears DONE, writes the job, then bumps EPOCH
 * and notifies; a worker sleeps with `Atomics.wait(EPOCH, lastSeen)`, which returns at once
 * when EPOCH already moved, and the caller sleeps with `Atomics.wait(DONE, seenCount)`, which
 * returns at once when a worker finished in between. (The first protocol tried for issue 12
 * slept on a flag the caller had already flipped, and deadlocked after ~200 calls.)
 * @internal
 */

import { BackendError } from '../errors.js';

export const JOB = { matmul: 1, binary: 2, unary: 3, reduce: 4, softmax: 5, adam: 6, stop: 99 } as const;
export type JobCode = (typeof JOB)[keyof typeof JOB];

/** Int32 slots of the control block. */
export const CTL = { EPOCH: 0, DONE: 1, READY: 2, OP: 3, ERROR: 4, ARGS: 8, FARGS: 40, RANGES: 64, SIZE: 256 } as const;
/** Most participants a job can have (the control block holds one range pair each). */
export const MAX_THREADS = (CTL.SIZE - CTL.RANGES) / 2;

// The worker's whole program, evaluated as CommonJS by `new Worker(code, { eval: true })`,
// so the bundle needs no worker file to locate at run time.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, index, wsBase, wsBytes } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(control);
const f = new Float32Array(control);
const A = ${CTL.ARGS}, F = ${CTL.FARGS};
// read the epoch before announcing readiness: the caller bumps it only once all are ready
let seen = Atomics.load(c, ${CTL.EPOCH});
Atomics.add(c, ${CTL.READY}, 1);
Atomics.notify(c, ${CTL.READY});
for (;;) {
  Atomics.wait(c, ${CTL.EPOCH}, seen);
  const e = Atomics.load(c, ${CTL.EPOCH});
  if (e === seen) continue;
  seen = e;
  const op = c[${CTL.OP}];
  if (op === ${JOB.stop}) break;
  const s = c[${CTL.RANGES} + 2 * index], t = c[${CTL.RANGES} + 2 * index + 1];
  try {
    if (s < t) {
      if (op === ${JOB.matmul}) k.matmul(c[A], c[A+1], c[A+2], c[A+3], c[A+4], c[A+5], c[A+6], c[A+7], c[A+8], c[A+9], c[A+10], s, t, wsBase + index * wsBytes);
      else if (op === ${JOB.binary}) k.binary(c[A], c[A+1], c[A+2], c[A+3], s, t, c[A+4], c[A+5], c[A+6], c[A+7], c[A+8], c[A+9], c[A+10], c[A+11], c[A+12], c[A+13], c[A+14]);
      else if (op === ${JOB.unary}) k.unary(c[A], c[A+1], c[A+2], s, t);
      else if (op === ${JOB.reduce}) k.reduce(c[A], c[A+1], c[A+2], c[A+3], c[A+4], s, t);
      else if (op === ${JOB.softmax}) k.softmax(c[A], c[A+1], c[A+2], c[A+3], s, t);
      else if (op === ${JOB.adam}) k.adam(c[A], c[A+1], c[A+2], c[A+3], s, t, f[F], f[F+1], f[F+2], f[F+3], f[F+4], f[F+5], f[F+6]);
    }
  } catch (err) {
    Atomics.store(c, ${CTL.ERROR}, index);
  }
  Atomics.add(c, ${CTL.DONE}, 1);
  Atomics.notify(c, ${CTL.DONE});
}
`;

interface NodeWorker {
  unref(): void;
  terminate(): Promise<number>;
}
type WorkerCtor = new (code: string, options: { eval: true; workerData: unknown }) => NodeWorker;

/** `worker_threads.Worker` when running in Node (20.16+ has `process.getBuiltinModule`), else undefined. */
export function nodeWorkerCtor(): WorkerCtor | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as
    | { Worker?: WorkerCtor; isMainThread?: boolean }
    | undefined;
  return wt?.Worker;
}

/** How long a caller waits for workers before calling the pool broken (a trap, a killed thread). */
const STALL_MS = 60_000;

export class WorkerPool {
  readonly control: Int32Array;
  readonly fcontrol: Float32Array;
  private readonly workers: NodeWorker[] = [];
  private ready = false;
  private closed = false;

  /**
   * @param threads participants including the caller (workers = threads − 1)
   */
  constructor(
    readonly threads: number,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    wsBase: number,
    wsBytes: number,
  ) {
    const Worker = nodeWorkerCtor();
    if (!Worker)
      throw new BackendError('wasm', 'threads need Node worker_threads (Node 20.16+), which this runtime lacks');
    const sab = new SharedArrayBuffer(CTL.SIZE * 4);
    this.control = new Int32Array(sab);
    this.fcontrol = new Float32Array(sab);
    for (let index = 1; index < threads; index++) {
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, control: sab, index, wsBase, wsBytes },
      });
      // idle workers must not keep the process alive
      w.unref();
      this.workers.push(w);
    }
  }

  private waitReady(): void {
    if (this.ready) return;
    const c = this.control;
    const need = this.threads - 1;
    const deadline = Date.now() + STALL_MS;
    let r: number;
    while ((r = Atomics.load(c, CTL.READY)) < need) {
      if (Date.now() > deadline)
        throw new BackendError('wasm', `only ${r} of ${need} worker threads started within ${STALL_MS} ms`);
      Atomics.wait(c, CTL.READY, r, 50);
    }
    this.ready = true;
  }

  /**
   * Runs job `op` with integer `args` (and float `fargs`) over `ranges` ([start, end) per
   * participant, ranges[0] for the caller), calling `self(start, end)` for the caller's share,
   * and returns when every participant has finished.
   */
  run(
    op: JobCode,
    args: readonly number[],
    fargs: readonly number[],
    ranges: ReadonlyArray<readonly [number, number]>,
    self: (s: number, e: number) => void,
  ): void {
    if (this.closed) throw new BackendError('wasm', 'the worker pool was disposed');
    this.waitReady();
    const c = this.control;
    for (let i = 0; i < args.length; i++) c[CTL.ARGS + i] = args[i];
    for (let i = 0; i < fargs.length; i++) this.fcontrol[CTL.FARGS + i] = fargs[i];
    for (let w = 0; w < this.threads; w++) {
      const [s, e] = ranges[w] ?? [0, 0];
      c[CTL.RANGES + 2 * w] = s;
      c[CTL.RANGES + 2 * w + 1] = e;
    }
    c[CTL.OP] = op;
    Atomics.store(c, CTL.ERROR, 0);
    Atomics.store(c, CTL.DONE, 0);
    Atomics.add(c, CTL.EPOCH, 1);
    Atomics.notify(c, CTL.EPOCH);
    let selfError: unknown;
    try {
      const [s, e] = ranges[0];
      if (s < e) self(s, e);
    } catch (err) {
      selfError = err;
    }
    const need = this.threads - 1;
    const deadline = Date.now() + STALL_MS;
    let d: number;
    while ((d = Atomics.load(c, CTL.DONE)) < need) {
      if (Atomics.wait(c, CTL.DONE, d, 1000) === 'timed-out' && Date.now() > deadline) {
        throw new BackendError('wasm', `worker threads stalled: ${d} of ${need} finished within ${STALL_MS} ms`);
      }
    }
    if (selfError) throw selfError;
    const failed = Atomics.load(c, CTL.ERROR);
    if (failed) throw new BackendError('wasm', `a kernel trapped in worker thread ${failed}`);
  }

  /** Stops the workers; the pool cannot run jobs afterwards. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    const c = this.control;
    c[CTL.OP] = JOB.stop;
    Atomics.add(c, CTL.EPOCH, 1);
    Atomics.notify(c, CTL.EPOCH);
    for (const w of this.workers) void w.terminate();
  }
}
