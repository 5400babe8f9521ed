/**
 * The host side of the `wasm` backend: one `WebAssembly.Memory` holding every resident
 * tensor, the SIMD128 kernels compiled from assembly/kernels.ts, and (where
 * `SharedArrayBuffer` exists: Node, a cross-origin-isolated browser page) a worker pool over
 * that same memory. Each entry point validates its sizes, splits the work into ranges whose
 * results do not depend on the split, and runs on the pool only above a measured size (below
 * it, waking a thread costs more than it saves).
 *
 * Node compiles the kernel module synchronously when a runtime is created; browsers compile
 * only asynchronously ({@link prepareWasm}, which `initBackend` awaits), and a runtime created
 * before that is refused with a {@link BackendError} that says so.
 * @internal
 */

import { BackendError, ShapeError, ValueError } from '../errors.js';
import { WasmAllocator } from './allocator.js';
import * as generated from './modules.generated.js';
import { JOB, type JobCode, MAX_CHUNKS, MAX_THREADS, threadHost, WorkerPool } from './pool.js';

/** Bytes below this offset belong to the kernels' static data (AssemblyScript's Math tables). */
const STATIC_BYTES = 65536;
const PAGE = 65536;

/**
 * Work sizes from which a call is split over threads, from apps/bench/src/wasm.bench.mjs on the
 * project's 2-vCPU machine, where a job reaches a worker that is spinning between jobs in about
 * a microsecond (pool.ts; a sleeping one takes 50–100 µs to wake). Forced splits measured there:
 * a 128³ matmul (2²¹ multiply-adds) 107 → 56 µs on two threads, 96³ only 48 → 39 µs; a 64×1024
 * softmax 62 → 31 µs and a 16×1024 one 16 → 8 µs; an add over 2¹² cells lost (4.5 → 6.4 µs).
 */
export const PARALLEL_MIN = {
  /** multiply-adds (m·n·k) of a matmul */
  matmul: 1 << 20,
  /** output cells of an elementwise op */
  elementwise: 1 << 15,
  /** input cells of a reduction or softmax */
  rows: 1 << 14,
  /**
   * multiply-adds (nnz · n) of a sparse × dense product: the demo's pruned first layer at batch
   * 64 (~10,000 entries × 64 columns) split at this size went from 1.50× to 1.67× its dense model
   */
  spmm: 1 << 16,
} as const;

/** Chunks a split call is cut into per participant (pool.ts: they are claimed in turn). */
const CHUNKS_PER_THREAD = 4;

/** Options of {@link WasmRuntime.create}. */
export interface WasmRuntimeOptions {
  /** Participants in each split call, the caller included (default: up to 4 cores). 1 = no workers. */
  threads?: number;
  /** Use the relaxed-SIMD (FMA) build where it validates (default true). */
  fma?: boolean;
  /** Initial memory in bytes (default 16 MiB). */
  initialBytes?: number;
}

interface Kernels {
  matmulWorkspaceBytes(): number;
  matmul(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    ta: number,
    tb: number,
    batch: number,
    sA: number,
    sB: number,
    s: number,
    e: number,
    ws: number,
  ): void;
  binary(
    op: number,
    a: number,
    b: number,
    out: number,
    s: number,
    e: number,
    d1: number,
    d2: number,
    d3: number,
    ...strides: number[]
  ): void;
  unary(op: number, x: number, out: number, s: number, e: number): void;
  reduce(op: number, x: number, out: number, len: number, inner: number, s: number, e: number): void;
  softmax(mode: number, x: number, out: number, len: number, s: number, e: number): void;
  spmm(vals: number, cols: number, ptr: number, b: number, c: number, n: number, s: number, e: number): void;
  gatherRows(x: number, idx: number, out: number, len: number, inner: number, k: number, s: number, e: number): void;
  oneHot(idx: number, out: number, depth: number, s: number, e: number): void;
  copyRows(src: number, dst: number, width: number, dstStride: number, s: number, e: number): void;
  topKDirect(x: number, out: number, len: number, inner: number, k: number, s: number, e: number): void;
  adamMoments(
    g: number,
    m: number,
    v: number,
    theta: number,
    outM: number,
    outV: number,
    outU: number,
    s: number,
    e: number,
    ...f: number[]
  ): void;
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (B) return Uint8Array.from(B.from(s, 'base64'));
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Whether this realm can share a wasm memory between threads. */
export function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  // a browser page that is not cross-origin isolated has the constructor but may not post it
  const iso = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return iso !== false;
}

/** Whether the relaxed-SIMD build validates here (Node 20 needs --experimental-wasm-relaxed-simd). */
export function fmaSupported(): boolean {
  return WebAssembly.validate(decodeBase64(generated.fma));
}

/** Whether this engine runs WebAssembly SIMD128 (the plain build validates). */
export function simdSupported(): boolean {
  return WebAssembly.validate(moduleBytes('simd'));
}

type Variant = 'simd' | 'simdShared' | 'fma' | 'fmaShared';

const bytesCache = new Map<string, Uint8Array<ArrayBuffer>>();
function moduleBytes(name: Variant): Uint8Array<ArrayBuffer> {
  let b = bytesCache.get(name);
  if (!b) bytesCache.set(name, (b = decodeBase64(generated[name])));
  return b;
}

/** Whether this is Node (or a runtime that says it is), where WebAssembly compiles synchronously. */
export function isNode(): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
}

/** Compiled kernel modules by variant: a module is immutable, so every runtime here shares it. */
const compiled = new Map<Variant, WebAssembly.Module>();

/** The refusal when a browser asks for a runtime before its module compiled. */
const COMPILE_FIRST =
  "its kernels are not compiled yet: browsers compile WebAssembly asynchronously, so select it with `await initBackend('wasm')` (or `await initBackend()`) before any synchronous setBackend('wasm')";

/**
 * The compiled module of `variant`: from the cache, else compiled synchronously in Node.
 * Anywhere else a {@link BackendError} says to compile it asynchronously first.
 */
function compiledModule(variant: Variant): WebAssembly.Module {
  let m = compiled.get(variant);
  if (m === undefined) {
    if (!isNode()) throw new BackendError('wasm', COMPILE_FIRST);
    m = new WebAssembly.Module(moduleBytes(variant));
    compiled.set(variant, m);
  }
  return m;
}

/**
 * Compiles, asynchronously and once, every kernel module a runtime may pick here: the plain
 * SIMD build, the FMA build where it validates, and their shared-memory twins where memory can
 * be shared. Afterwards {@link WasmRuntime.create} (and so a synchronous `setBackend('wasm')`)
 * works in a browser too. Does nothing where WebAssembly SIMD is missing ({@link wasmSupport}
 * then says why).
 */
export async function prepareWasm(): Promise<void> {
  if (typeof WebAssembly === 'undefined' || !simdSupported()) return;
  const variants: Variant[] = ['simd'];
  if (fmaSupported()) variants.push('fma');
  if (canShareMemory()) variants.push(...variants.map((v): Variant => (v === 'simd' ? 'simdShared' : 'fmaShared')));
  await Promise.all(
    variants
      .filter((v) => !compiled.has(v))
      .map(async (v) => {
        const m = await WebAssembly.compile(moduleBytes(v));
        compiled.set(v, m);
      }),
  );
}

/**
 * Null when a `wasm` runtime with default options can be created synchronously here, else why
 * not: no WebAssembly, no SIMD128, or (outside Node) a module not compiled by {@link prepareWasm} yet.
 */
export function wasmSupport(): string | null {
  if (typeof WebAssembly === 'undefined') return 'WebAssembly is not available';
  if (!simdSupported()) return 'WebAssembly SIMD128 is not supported here';
  if (!isNode() && !compiled.has(plan({}).variant)) return COMPILE_FIRST;
  return null;
}

/** Runtimes with workers not known to have started (and not disposed), for {@link wasmReady}. */
const starting = new Set<WasmRuntime>();

/**
 * Resolves once the worker threads of every live runtime have started (at once where none has
 * workers). A browser's workers start only while the page is back in its event loop; until
 * then a runtime runs every call on the calling thread (the same results).
 */
export async function wasmReady(): Promise<void> {
  await Promise.all([...starting].map((rt) => rt.ready()));
}

interface Plan {
  variant: Variant;
  threads: number;
  shared: boolean;
  fma: boolean;
  initialPages: number;
}

function plan(options: WasmRuntimeOptions): Plan {
  const known = new Set(['threads', 'fma', 'initialBytes']);
  for (const key of Object.keys(options)) {
    if (!known.has(key))
      throw new ValueError('wasm', `unknown option "${key}"; expected one of threads, fma, initialBytes`);
  }
  const { threads, fma = true, initialBytes = 16 << 20 } = options;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS)) {
    throw new ValueError('wasm', `threads must be an integer in [1, ${MAX_THREADS}], got ${String(threads)}`);
  }
  if (typeof fma !== 'boolean') throw new ValueError('wasm', `fma must be a boolean, got ${typeof fma}`);
  if (!Number.isInteger(initialBytes) || initialBytes < 0 || initialBytes > generated.MAX_PAGES * PAGE) {
    throw new ValueError(
      'wasm',
      `initialBytes must be an integer in [0, ${generated.MAX_PAGES * PAGE}], got ${String(initialBytes)}`,
    );
  }
  const poolable = canShareMemory() && threadHost() !== undefined;
  const cores = coreCount();
  const t = threads ?? (poolable ? Math.min(4, Math.max(1, cores)) : 1);
  if (t > 1 && !poolable) {
    throw new BackendError(
      'wasm',
      `threads: ${t} needs SharedArrayBuffer and worker threads, which this runtime lacks (a browser page must be cross-origin isolated: served with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp); use threads: 1`,
    );
  }
  const useFma = fma && fmaSupported();
  const shared = t > 1;
  const variant = useFma ? (shared ? 'fmaShared' : 'fma') : shared ? 'simdShared' : 'simd';
  return {
    variant,
    threads: t,
    shared,
    fma: useFma,
    initialPages: Math.max(1, Math.ceil((STATIC_BYTES + initialBytes) / PAGE)),
  };
}

function coreCount(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  if (nav) return nav;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const os = proc?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  return os?.availableParallelism?.() ?? 1;
}

/** Splits [0, total) into `parts` ranges cut at multiples of `align`. */
export function splitRange(total: number, parts: number, align: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const units = Math.ceil(total / align);
  let at = 0;
  for (let p = 0; p < parts; p++) {
    const end = Math.min(total, Math.round((units * (p + 1)) / parts) * align);
    out.push([at, Math.max(at, end)]);
    at = Math.max(at, end);
  }
  return out;
}

/** An operand of {@link WasmRuntime.binary}: its byte offset and shape. */
export interface Operand {
  ptr: number;
  shape: readonly number[];
}

/**
 * Reduces a broadcast of `a` and `b` to at most 4 dimensions: per-dimension element strides
 * (0 where broadcast), size-1 dimensions dropped, neighbours merged where both operands
 * stay contiguous across them. Undefined when more than 4 dimensions remain.
 */
export function broadcastPlan(
  a: readonly number[],
  b: readonly number[],
): { out: number[]; dims: number[]; sa: number[]; sb: number[] } | undefined {
  const r = Math.max(a.length, b.length);
  const pa = [...new Array<number>(r - a.length).fill(1), ...a];
  const pb = [...new Array<number>(r - b.length).fill(1), ...b];
  const out: number[] = [];
  for (let d = 0; d < r; d++) {
    if (pa[d] !== pb[d] && pa[d] !== 1 && pb[d] !== 1) {
      throw new ShapeError('wasm', `shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast (dimension ${d})`);
    }
    out.push(pa[d] === 1 ? pb[d] : pa[d]);
  }
  const strides = (p: number[]): number[] => {
    const s = new Array<number>(r);
    let acc = 1;
    for (let d = r - 1; d >= 0; d--) {
      s[d] = p[d] === 1 ? 0 : acc;
      acc *= p[d];
    }
    return s;
  };
  const sa0 = strides(pa);
  const sb0 = strides(pb);
  const dims: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let d = 0; d < r; d++) {
    if (out[d] === 1) continue;
    const k = dims.length - 1;
    if (k >= 0 && sa[k] === sa0[d] * out[d] && sb[k] === sb0[d] * out[d]) {
      dims[k] *= out[d];
      sa[k] = sa0[d];
      sb[k] = sb0[d];
    } else {
      dims.push(out[d]);
      sa.push(sa0[d]);
      sb.push(sb0[d]);
    }
  }
  if (dims.length > 4) return undefined;
  while (dims.length < 4) {
    dims.unshift(1);
    sa.unshift(0);
    sb.unshift(0);
  }
  return { out, dims, sa, sb };
}

/** Hyperparameters of {@link WasmRuntime.adamMoments}. */
export interface AdamStep {
  /** The learning rate of a whole step (with `theta`); unused for the moments and direction. */
  lr?: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1-based step count t, for the bias corrections 1 − βᵗ. */
  step: number;
}

export class WasmRuntime {
  readonly memory: WebAssembly.Memory;
  readonly threads: number;
  readonly fma: boolean;
  readonly shared: boolean;
  private readonly k: Kernels;
  private readonly allocator: WasmAllocator;
  private readonly pool: WorkerPool | undefined;
  private readonly wsBase: number;
  private readonly wsBytes: number;
  private view: Float32Array;
  private disposed = false;

  private constructor(p: Plan, module: WebAssembly.Module) {
    this.threads = p.threads;
    this.fma = p.fma;
    this.shared = p.shared;
    this.memory = new WebAssembly.Memory(
      p.shared
        ? { initial: p.initialPages, maximum: generated.MAX_PAGES, shared: true }
        : { initial: p.initialPages, maximum: generated.MAX_PAGES },
    );
    this.k = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as Kernels;
    this.allocator = new WasmAllocator(this.memory, STATIC_BYTES, generated.MAX_PAGES * PAGE);
    this.wsBytes = this.k.matmulWorkspaceBytes();
    this.wsBase = this.allocator.alloc(this.wsBytes * p.threads);
    this.view = new Float32Array(this.memory.buffer);
    this.pool = p.threads > 1 ? new WorkerPool(p.threads, module, this.memory, this.wsBase, this.wsBytes) : undefined;
    if (this.pool) starting.add(this);
  }

  /**
   * A runtime whose module is compiled synchronously in Node. Elsewhere the module must have
   * been compiled by {@link prepareWasm} (or {@link createAsync}) first, else a {@link BackendError}.
   * A browser's workers start once the page returns to its event loop ({@link ready}).
   */
  static create(options: WasmRuntimeOptions = {}): WasmRuntime {
    const p = plan(options);
    return new WasmRuntime(p, compiledModule(p.variant));
  }

  /** A runtime compiled asynchronously (a browser's way), returned once its worker threads have started. */
  static async createAsync(options: WasmRuntimeOptions = {}): Promise<WasmRuntime> {
    plan(options);
    await prepareWasm();
    const rt = WasmRuntime.create(options);
    try {
      await rt.ready();
    } catch (err) {
      rt.dispose();
      throw err;
    }
    return rt;
  }

  /** Resolves once the worker threads have started (at once with one thread); rejects if one failed to. */
  ready(): Promise<void> {
    if (!this.pool) return Promise.resolve();
    return this.pool.ready().then(() => {
      starting.delete(this);
    });
  }

  private check(): void {
    if (this.disposed) throw new BackendError('wasm', 'the runtime was disposed');
  }

  /**
   * The memory as float32, refreshed when the memory has grown since the last call. Only the
   * allocator grows it, so its growth count decides: reading `memory.buffer` of a shared memory
   * makes a new SharedArrayBuffer object each time (~20 µs a call measured).
   */
  f32(): Float32Array {
    if (this.viewGrowths !== this.allocator.growths) {
      this.view = new Float32Array(this.memory.buffer);
      this.viewGrowths = this.allocator.growths;
    }
    return this.view;
  }
  private viewGrowths = 0;

  /** Byte offset of a new block of `n` float32 cells. */
  alloc(n: number): number {
    this.check();
    return this.allocator.alloc(n * 4);
  }

  /** Frees a block from {@link alloc}. */
  free(ptr: number): void {
    this.allocator.release(ptr);
  }

  /** Bytes in live blocks (the workspace included) and their count. */
  get bytesInUse(): number {
    return this.allocator.bytesInUse;
  }

  get blocks(): number {
    return this.allocator.blocks;
  }

  /** Copies `data` into memory at `ptr`. */
  write(ptr: number, data: ArrayLike<number>): void {
    this.f32().set(data, ptr >>> 2);
  }

  /** A copy of `n` cells at `ptr`. */
  read(ptr: number, n: number): Float32Array {
    return this.f32().slice(ptr >>> 2, (ptr >>> 2) + n);
  }

  private run(
    op: JobCode,
    parallel: boolean,
    total: number,
    align: number,
    args: number[],
    fargs: number[],
    self: (s: number, e: number) => void,
  ): void {
    this.check();
    if (!this.pool || !parallel || total < 2 * align) {
      if (total > 0) self(0, total);
      return;
    }
    // chunks claimed in turn (pool.ts): four a thread, so a thread that runs slow or wakes late
    // leaves its share to the others; one a thread for a matmul, whose every chunk packs B anew
    const chunks = Math.min(MAX_CHUNKS, op === JOB.matmul ? this.threads : CHUNKS_PER_THREAD * this.threads);
    if (this.pool.run(op, args, fargs, splitRange(total, chunks, align), self)) this.parallelCalls++;
  }

  /** Calls split over the worker pool so far (not those the caller ran alone while a browser's workers started). */
  parallelCalls = 0;

  /**
   * C = op(A)·op(B), `batch` products; A is m×k (stored k×m when `ta`), B is k×n (stored n×k
   * when `tb`). `strideA`/`strideB` are the element strides between batches (0 shares one 2-D operand).
   */
  matmul(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    ta: boolean,
    tb: boolean,
    batch = 1,
    strideA = m * k,
    strideB = k * n,
  ): void {
    const args = [a, b, c, m, n, k, ta ? 1 : 0, tb ? 1 : 0, batch, strideA, strideB];
    const ws = this.wsBase;
    const rows = batch * m;
    this.run(JOB.matmul, m * n * k * batch >= PARALLEL_MIN.matmul, rows, 4, args, [], (s, e) =>
      this.k.matmul(a, b, c, m, n, k, ta ? 1 : 0, tb ? 1 : 0, batch, strideA, strideB, s, e, ws),
    );
  }

  /** out = a ∘ b with broadcasting; `op` is a kernel op code (OP_ADD…). Returns the output shape. */
  binary(op: number, a: Operand, b: Operand, out: number): number[] {
    const p = broadcastPlan(a.shape, b.shape);
    if (!p)
      throw new ShapeError(
        'wasm',
        `broadcast of [${a.shape.join(', ')}] and [${b.shape.join(', ')}] needs more than 4 dimensions`,
      );
    const [, d1, d2, d3] = p.dims;
    const total = p.dims.reduce((x, y) => x * y, 1);
    const args = [op, a.ptr, b.ptr, out, d1, d2, d3, ...p.sa, ...p.sb];
    this.run(JOB.binary, total >= PARALLEL_MIN.elementwise, total, 16, args, [], (s, e) =>
      this.k.binary(op, a.ptr, b.ptr, out, s, e, d1, d2, d3, ...p.sa, ...p.sb),
    );
    return p.out;
  }

  /** out = f(x) over `n` cells; `op` is a kernel op code (UOP_NEG…). */
  unary(op: number, x: number, out: number, n: number): void {
    this.run(JOB.unary, n >= PARALLEL_MIN.elementwise, n, 16, [op, x, out], [], (s, e) =>
      this.k.unary(op, x, out, s, e),
    );
  }

  /** Reduces x viewed as [outer, len, inner] along len; `op` is ROP_SUM, ROP_MAX, ROP_MIN or ROP_MEAN. */
  reduce(op: number, x: number, out: number, outer: number, len: number, inner: number): void {
    this.run(JOB.reduce, outer * len * inner >= PARALLEL_MIN.rows, outer, 1, [op, x, out, len, inner], [], (s, e) =>
      this.k.reduce(op, x, out, len, inner, s, e),
    );
  }

  /** Row-wise softmax (mode 0), logSoftmax (1) or logSumExp (2, one cell per row) of `rows`×`len`. */
  softmax(mode: number, x: number, out: number, rows: number, len: number): void {
    this.run(JOB.softmax, rows * len >= PARALLEL_MIN.rows, rows, 1, [mode, x, out, len], [], (s, e) =>
      this.k.softmax(mode, x, out, len, s, e),
    );
  }

  /**
   * C (m×n) = A·B with A in CSR (`vals`, `cols` and `ptr` as float32: its values, column
   * indices and m + 1 row pointers; `nnz` stored entries) and B dense k×n. Split by rows over
   * the pool from {@link PARALLEL_MIN}.spmm multiply-adds (nnz · n); every row is computed
   * alone, so the result is the same whatever the split.
   */
  spmm(vals: number, cols: number, ptr: number, b: number, c: number, m: number, n: number, nnz: number): void {
    if (m === 0 || n === 0) {
      this.check();
      return;
    }
    this.run(JOB.spmm, nnz * n >= PARALLEL_MIN.spmm, m, 1, [vals, cols, ptr, b, c, n], [], (s, e) =>
      this.k.spmm(vals, cols, ptr, b, c, n, s, e),
    );
  }

  /**
   * gather: `out` viewed as [outer·k, inner] gets, for row a·k + j, row round(idx[j]) of x's
   * slab a ([len, inner]), NaN for an index that is not an integer in [0, len). Split by rows.
   */
  gather(x: number, idx: number, out: number, outer: number, len: number, inner: number, k: number): void {
    this.run(
      JOB.gather,
      outer * k * inner >= PARALLEL_MIN.elementwise,
      outer * k,
      1,
      [x, idx, out, len, inner, k],
      [],
      (s, e) => this.k.gatherRows(x, idx, out, len, inner, k, s, e),
    );
  }

  /** oneHot: `n` rows of `depth`, 1 at round(idx[r]) where that is in [0, depth), else 0. Split by rows. */
  oneHot(idx: number, out: number, n: number, depth: number): void {
    this.run(JOB.oneHot, n * depth >= PARALLEL_MIN.elementwise, n, 1, [idx, out, depth], [], (s, e) =>
      this.k.oneHot(idx, out, depth, s, e),
    );
  }

  /** `rows` rows of `width` floats from `src` to `dst`, row r at r · `dstStride` floats (a piece of a concat). */
  copyRows(src: number, dst: number, rows: number, width: number, dstStride: number): void {
    this.run(
      JOB.copyRows,
      rows * width >= PARALLEL_MIN.elementwise,
      rows,
      1,
      [src, dst, width, dstStride],
      [],
      (s, e) => this.k.copyRows(src, dst, width, dstStride, s, e),
    );
  }

  /**
   * topKMask by direct ranking over `size` cells in groups of `len` cells `inner` apart: 1 where
   * fewer than k cells of the group have a larger |x| (NaN the largest; ties to the lower
   * index), else 0. O(len) a cell; split by cells from {@link PARALLEL_MIN}.matmul comparisons.
   */
  topKDirect(x: number, out: number, size: number, len: number, inner: number, k: number): void {
    this.run(JOB.topK, size * len >= PARALLEL_MIN.matmul, size, 16, [x, out, len, inner, k], [], (s, e) =>
      this.k.topKDirect(x, out, len, inner, k, s, e),
    );
  }

  /**
   * Adam's new moments and update direction in one pass over `n` cells: m' = β₁m + (1−β₁)g into
   * `out[0]`, v' = β₂v + (1−β₂)g² into `out[1]`, and u = m'/(1−β₁ᵗ) / (√v'/√(1−β₂ᵗ) + ε) into
   * `out[2]` (the reciprocals of the bias corrections formed in float64 here and rounded once)
   * — or, given `theta` (a nonzero address) and `h.lr`, θ' = θ + u·(−lr) there: a whole step.
   * The outputs may be the inputs (`[m, v, theta]`: the step in place). Split over the pool as
   * an elementwise op.
   */
  adamMoments(
    g: number,
    m: number,
    v: number,
    out: readonly [number, number, number],
    n: number,
    h: AdamStep,
    theta = 0,
  ): void {
    const f = [
      h.beta1,
      1 - h.beta1,
      h.beta2,
      1 - h.beta2,
      1 / (1 - h.beta1 ** h.step),
      1 / Math.sqrt(1 - h.beta2 ** h.step),
      h.eps,
      -(h.lr ?? 0),
    ].map(Math.fround);
    const [om, ov, ou] = out;
    this.run(JOB.adamMoments, n >= PARALLEL_MIN.elementwise, n, 16, [g, m, v, theta, om, ov, ou], f, (s, e) =>
      this.k.adamMoments(g, m, v, theta, om, ov, ou, s, e, ...f),
    );
  }

  /**
   * Runs the fused elementwise program at byte offset `prog` (written by
   * kernels/wasm-fusion.ts; assembly/kernels.ts's `runProgram`) over `total` output cells,
   * split over the pool above {@link PARALLEL_MIN}.elementwise in chunks of whole `block`s,
   * each participant in its own scratch (the caller's is 0).
   */
  program(prog: number, total: number, block: number): void {
    this.run(JOB.program, total >= PARALLEL_MIN.elementwise, total, block, [PROGRAM_OP, prog], [], (s, e) =>
      this.k.unary(PROGRAM_OP, prog, 0, s, e),
    );
  }

  /** Stops the worker threads; the memory and its tensors become unusable. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    starting.delete(this);
    this.pool?.dispose();
  }
}

/** Kernel op codes, as exported by the module (assembly/kernels.ts). */
export const OP = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
  equal: 6,
  notEqual: 7,
  greater: 8,
  greaterEqual: 9,
  less: 10,
  lessEqual: 11,
  softThreshold: 12,
  hardThreshold: 13,
} as const;
export const UOP = { neg: 0, abs: 1, sqrt: 2, square: 3, relu: 4, leakyRelu: 5, exp: 6, sigmoid: 7, sign: 8 } as const;
export const ROP = { sum: 0, max: 1, min: 2, mean: 3 } as const;
export const SOFTMAX = { softmax: 0, logSoftmax: 1, logSumExp: 2 } as const;
/** The unary op code that runs a fused program (assembly/kernels.ts's UOP_PROGRAM). */
export const PROGRAM_OP = 100;
