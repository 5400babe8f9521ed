/**
 * The `wasm` backend's adapter (issue 12): SparseKit's own SIMD128 kernels (assembly/kernels.ts,
 * run by src/wasm/runtime.ts) over one `WebAssembly.Memory` where every tensor stays resident,
 * with a worker pool on shared memory in Node. It is the registry's second family.
 *
 * Kernels with a `'wasm'` variant (`wasmKernels` below) run natively: their program's source
 * is a {@link WASM_SOURCE} marker that names the native kernel and its dimensions. Fused
 * elementwise chains run natively too, as register programs compiled by wasm-fusion.ts
 * (source `ew:<number>`), and so do the constant fills and uploads. Every other kernel — any op
 * this backend has no kernel for yet, and a chain wasm-fusion.ts does not compile (a broadcast
 * of more than 4 dimensions) — runs its generic gpu.js source on gpu.js (cpu mode below 4096
 * cells, webasm above): its arguments are copied out of wasm memory and its result copied back
 * in, and `getBackend().fallbacks` names it, so coverage grows op by op while every op works.
 * @internal
 */
import type { BackendName } from '../backend.js';
import type { FusedChain } from '../codegen.js';
import type { SpmmParams } from '../csr.js';
import { ValueError } from '../errors.js';
import { kernelOp } from '../internal.js';
import type { ConcatParams, GatherParams, OneHotParams, SliceRowsParams, TransposeParams } from '../manipulate.js';
import type { MatmulParams } from '../matmul.js';
import type { AdamMomentsParams, AdamStepParams, PartParams } from '../optim.js';
import type { ArgReduceParams, ReduceParams, SliceParams, SoftmaxParams } from '../reduce.js';
import { sizeOf } from '../shape.js';
import type { TopKParams } from '../sparsity.js';
import type { Tensor } from '../tensor.js';
import { prepareWasm, ROP, SOFTMAX, WasmRuntime, wasmSupport } from '../wasm/runtime.js';
import { gpujsAdapter } from './gpujs.js';
import type { AdapterInstance, BackendAdapter, CompiledKernel, CompileRequest, KernelProgram } from './registry.js';
import { fusedProgram, fusedProgramAt, ProgramScratch, programRunner, transposeProgram } from './wasm-fusion.js';

/** assembly/kernels.ts's reductions of |x|: max |x| (normLInf) and Σ |x| (normL1). */
const ROP_MAX_ABS = 4;
const ROP_SUM_ABS = 5;
/** assembly/kernels.ts's argmax / argmin (first on ties, the first NaN wins). */
const ROP_ARGMAX = 6;
const ROP_ARGMIN = 7;

/** Output cells below which a kernel without a wasm variant runs on gpu.js's cpu mode rather than webasm. */
const SMALL_CELLS = 4096;

/** The prefix of a native kernel's program source: `/*wasm*∕name:dim,dim,…`. */
export const WASM_SOURCE = '/*wasm*/';

/**
 * A tensor's values in wasm memory: `size` float32 cells at byte offset `ptr`. A buffer may be
 * a part of another ({@link WasmBuffer.part}: the outputs of a multi-output kernel, packed in
 * one block); the block is freed when its last holder is deleted. @internal
 */
export class WasmBuffer {
  /** Holders of the block: this buffer and its live parts. */
  private holders = 1;
  /** The block's address, kept past {@link WasmBuffer.delete} for the parts that outlive it. */
  private readonly block: number;

  constructor(
    private readonly rt: WasmRuntime,
    public ptr: number,
    readonly size: number,
    private readonly owner: WasmBuffer | null = null,
  ) {
    this.block = ptr;
  }

  /** `size` cells from cell `offset` on, without a copy; the block lives while the part does. */
  part(offset: number, size: number): WasmBuffer {
    this.holders++;
    return new WasmBuffer(this.rt, this.ptr + offset * 4, size, this);
  }

  /**
   * The values as a view on wasm memory, valid until the memory next grows: realize.ts copies
   * it at once (its readback), and a gpu.js fallback copies it into its own memory.
   */
  toArray(): Float32Array {
    const at = this.ptr >>> 2;
    return this.rt.f32().subarray(at, at + this.size);
  }

  /** A copy of the values (a readback: one slice of wasm memory, no view in between). */
  copy(): Float32Array {
    const at = this.ptr >>> 2;
    return this.rt.f32().slice(at, at + this.size);
  }

  /** Lets go of the block (freed with its last holder); a second call does nothing. */
  delete(): void {
    if (this.ptr < 0) return;
    this.ptr = -1;
    if (this.owner) this.owner.release();
    else this.release();
  }

  private release(): void {
    if (--this.holders > 0) return;
    this.rt.free(this.block);
  }
}

// The source of program number k (kernels/wasm-fusion.ts), the same string each time.
const fusedSources: string[] = [];
function programSource(id: number): string {
  fusedSources[id] ??= `${WASM_SOURCE}ew:${id}`;
  return fusedSources[id];
}

function fusedSource(chain: FusedChain): KernelProgram | null {
  const id = fusedProgram(chain);
  return id === null ? null : { source: programSource(id) };
}

function native(name: string, dims: readonly (number | boolean)[]): string {
  return `${WASM_SOURCE}${name}:${dims.map((d) => (typeof d === 'boolean' ? (d ? 1 : 0) : d)).join(',')}`;
}

/** Kernels the wasm family runs natively, by kernel name (registry.ts reads this table). @internal */
export const wasmKernels = {
  matmul({ a, b, m, n, k, ta, tb, batch, batchA, batchB, outShape }: MatmulParams): Tensor | null {
    if (k === 0) return null;
    return kernelOp(
      outShape,
      native('matmul', [m, n, k, ta, tb, batch, batchA > 1 ? m * k : 0, batchB > 1 ? k * n : 0]),
      [a, b],
    );
  },
  // sum, mean, max and min are recognised by their reducer (reduce.ts's SUM/MAX/MIN steps)
  // and finish, and normL1 / normLInf by the |·| map; the other norms keep the generic source
  reduce({ x, r, finish, len, inner, outShape }: ReduceParams): Tensor | null {
    if (len === 0) return null;
    const sum = r.step === 'acc += v;';
    const max = r.step === 'acc = (v > acc || v != v) ? v : acc;';
    const min = r.step === 'acc = (v < acc || v != v) ? v : acc;';
    let op = -1;
    if (r.map) {
      if (r.map('v') === 'Math.abs(v)' && finish === 'acc') op = sum ? ROP_SUM_ABS : max ? ROP_MAX_ABS : -1;
    } else if (sum) op = finish === 'acc' ? ROP.sum : finish === `(acc / ${len}.0)` ? ROP.mean : -1;
    else if (finish === 'acc') op = max ? ROP.max : min ? ROP.min : -1;
    if (op < 0) return null;
    return kernelOp(outShape, native('reduce', [op, x.size / (len * inner), len, inner]), [x]);
  },
  // the same walk as the generic kernel (one slice per output cell, scalar)
  argReduce({ x, better, len, inner, outShape }: ArgReduceParams): Tensor | null {
    if (len === 0) return null;
    const op = better === '>' ? ROP_ARGMAX : ROP_ARGMIN;
    return kernelOp(outShape, native('reduce', [op, x.size / (len * inner), len, inner]), [x]);
  },
  // along the last axis only; other axes keep the generic kernels
  logSumExp({ x, len, inner, outShape }: SliceParams): Tensor | null {
    if (inner !== 1 || len === 0) return null;
    return kernelOp(outShape, native('softmax', [SOFTMAX.logSumExp, x.size / len, len]), [x]);
  },
  // spmm() itself returns zeros without a kernel when A stores nothing
  spmm({ vals, cols, ptr, b, m, n }: SpmmParams): Tensor | null {
    return kernelOp([m, n], native('spmm', [m, n]), [vals, cols, ptr, b]);
  },
  // a program whose one instruction gathers the input with permuted strides (at most 4
  // dimensions after merging the axes that stay in order)
  transpose({ x, perm, outShape }: TransposeParams): Tensor | null {
    const id = transposeProgram(x.shape, perm);
    return id === null ? null : kernelOp(outShape, programSource(id), [x]);
  },
  // Adam's m', v' and update in one pass, packed as [3, …shape] (optim.ts splits it with `part`);
  // the hyperparameters are scalar arguments, so every step reuses one compiled kernel
  adamMoments({ g, m, v, beta1, beta2, eps, step }: AdamMomentsParams): Tensor | null {
    return kernelOp([3, ...g.shape], native('adam', [g.size, false]), [g, m, v], [beta1, beta2, eps, step]);
  },
  // the same pass writing θ + u·(−lr) in u's place: m', v' and θ' packed as [3, …shape]
  adamStep({ theta, g, m, v, beta1, beta2, eps, step, lr }: AdamStepParams): Tensor | null {
    return kernelOp([3, ...g.shape], native('adam', [g.size, true]), [g, m, v, theta], [beta1, beta2, eps, step, lr]);
  },
  gather({ x, idx, outer, len, inner, k, shape }: GatherParams): Tensor | null {
    return kernelOp(shape, native('gather', [outer, len, inner, k]), [x, idx]);
  },
  oneHot({ idx, depth }: OneHotParams): Tensor | null {
    return kernelOp([idx.size, depth], native('oneHot', [idx.size, depth]), [idx]);
  },
  // along the first axis the pieces' rows are whole blocks; every layout copies rows of `inner` cells
  concat({ pieces, axis, inner, total, shape }: ConcatParams): Tensor | null {
    const outer = sizeOf(shape.slice(0, axis));
    return kernelOp(shape, native('concat', [outer, inner, total, ...pieces.map((p) => p.shape[axis])]), [...pieces]);
  },
  // one copy of the contiguous rows (a view would keep the whole input alive)
  sliceRows({ x, offset, shape }: SliceRowsParams): Tensor | null {
    const size = sizeOf(shape);
    return size === 0 ? null : kernelOp(shape, native('sliceRows', [offset, size]), [x]);
  },
  topKRank({ x, k, len, inner }: TopKParams): Tensor | null {
    return kernelOp(x.shape, native('topKRank', [x.size, len, inner, k]), [x]);
  },
  // a view of cells [offset, offset + size) of x: no kernel runs, the block is shared
  part({ x, offset, shape }: PartParams): Tensor | null {
    return kernelOp(shape, native('part', [offset]), [x]);
  },
  softmax({ x, axis, log }: SoftmaxParams): Tensor | null {
    const len = x.shape[x.rank - 1];
    if (x.rank === 0 || (axis !== -1 && axis !== x.rank - 1) || len === 0 || x.size === 0) return null;
    return kernelOp(x.shape, native('softmax', [log ? SOFTMAX.logSoftmax : SOFTMAX.softmax, x.size / len, len]), [x]);
  },
};

/** A native kernel: its tensor arguments (then its float scalars, as numbers) and its output. */
type Native = (rt: WasmRuntime, dims: number[], args: unknown[], out: WasmBuffer) => void;

const NATIVE: Record<string, Native> = {
  matmul(rt, [m, n, k, ta, tb, batch, strideA, strideB], args, out) {
    const [a, b] = args as WasmBuffer[];
    rt.matmul(a.ptr, b.ptr, out.ptr, m, n, k, ta === 1, tb === 1, batch, strideA, strideB);
  },
  reduce(rt, [op, outer, len, inner], args, out) {
    rt.reduce(op, (args[0] as WasmBuffer).ptr, out.ptr, outer, len, inner);
  },
  spmm(rt, [m, n], args, out) {
    const [vals, cols, ptr, b] = args as WasmBuffer[];
    rt.spmm(vals.ptr, cols.ptr, ptr.ptr, b.ptr, out.ptr, m, n, vals.size);
  },
  softmax(rt, [mode, rows, len], args, out) {
    rt.softmax(mode, (args[0] as WasmBuffer).ptr, out.ptr, rows, len);
  },
  gather(rt, [outer, len, inner, k], [x, idx], out) {
    rt.gather((x as WasmBuffer).ptr, (idx as WasmBuffer).ptr, out.ptr, outer, len, inner, k);
  },
  oneHot(rt, [n, depth], [idx], out) {
    rt.oneHot((idx as WasmBuffer).ptr, out.ptr, n, depth);
  },
  concat(rt, [outer, inner, total, ...lens], pieces, out) {
    let offset = 0;
    lens.forEach((l, i) => {
      rt.copyRows((pieces[i] as WasmBuffer).ptr, out.ptr + offset * inner * 4, outer, l * inner, total * inner);
      offset += l;
    });
  },
  sliceRows(rt, [offset, size], [x], out) {
    rt.copyRows((x as WasmBuffer).ptr + offset * 4, out.ptr, 1, size, size);
  },
  topKRank(rt, [size, len, inner, k], [x], out) {
    rt.topKDirect((x as WasmBuffer).ptr, out.ptr, size, len, inner, k);
  },
  // adamMoments' [g, m, v, β₁, β₂, ε, t], or with θ adamStep's [g, m, v, θ, β₁, β₂, ε, t, lr]
  adam(rt, [n, withTheta], args, out) {
    const tensors = (args.slice(0, withTheta ? 4 : 3) as WasmBuffer[]).map((x) => x.ptr);
    const [beta1, beta2, eps, step, lr] = args.slice(tensors.length) as number[];
    const [pg, pm, pv, pt = 0] = tensors;
    rt.adamMoments(pg, pm, pv, packedParts(out.ptr, n), n, { beta1, beta2, eps, step, lr }, pt);
  },
};

/** The byte offsets of the three `n`-cell parts of a packed [3, …] block at `ptr`. */
function packedParts(ptr: number, n: number): [number, number, number] {
  return [ptr, ptr + 4 * n, ptr + 8 * n];
}

// The host copy of the upload program realize.ts compiles for every host tensor on a resident
// backend; recognised so an upload is one memcpy instead of a gpu.js kernel.
const UPLOAD_SOURCE = 'function(a0) {\n  return a0[this.thread.x];\n}';
// creation.ts's fill of a constant tensor (zeros, ones, full): one fill of wasm memory.
const FILL_SOURCE = 'function(s0) {\n  return s0;\n}';

/**
 * Null when `name` is `wasm` and its runtime can be created synchronously here, else why not:
 * the runtime answers for itself (no WebAssembly, no SIMD128, or, outside Node, a module that
 * {@link prepareWasm} has not compiled yet).
 */
function support(name: BackendName): string | null {
  return name !== 'wasm' ? `the wasm adapter does not serve '${name}'` : wasmSupport();
}

function envThreads(): number | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.SPARSEKIT_WASM_THREADS;
  if (v === undefined || v.trim() === '') return undefined;
  const t = Number(v);
  if (!Number.isInteger(t) || t < 1)
    throw new ValueError('setBackend', `SPARSEKIT_WASM_THREADS must be an integer >= 1, got "${v}"`);
  return t;
}

function create(): AdapterInstance {
  const threads = envThreads();
  const rt = WasmRuntime.create(threads === undefined ? {} : { threads });
  let gpu: AdapterInstance | undefined;
  let gpuCpu: AdapterInstance | undefined;
  const fallbackKernels = new Map<CompiledKernel, { reason: string; inner: CompiledKernel; engine: AdapterInstance }>();
  let fallbackCount = 0;
  // wasm memory the adapter holds for itself: the fused programs' blocks and their scratch
  const scratch = new ProgramScratch(rt);
  const internal: number[] = [];
  const alloc = (size: number): WasmBuffer => new WasmBuffer(rt, rt.alloc(size), size);
  const host = (x: unknown): unknown => (x instanceof WasmBuffer ? x.toArray() : x);
  const webasm = (): AdapterInstance => (gpu ??= gpujsAdapter.create('webasm'));
  // Small kernels run on gpu.js's plain-JS mode: a webasm launch costs ~8 µs of copies and
  // set-up, a JS one ~2 µs (BASELINES.md, 8×8 matmul), and below a few thousand cells the
  // SIMD work does not pay that back.
  const engineFor = (req: CompileRequest): AdapterInstance => {
    const cells = req.program.layout ? req.program.layout.dims.reduce((p, d) => p * d, 1) : req.outSize;
    return cells < SMALL_CELLS ? (gpuCpu ??= gpujsAdapter.create('cpu')) : webasm();
  };
  // gpu.js reads the arguments from host copies
  const onHost = (req: CompileRequest): CompileRequest => ({
    ...req,
    kinds: req.kinds.map((k) => (k === 'device' ? 'host' : k)),
  });
  return {
    resident: true,
    syncReadback: true,
    // generic sources run on gpu.js (webasm, or cpu for small kernels): the inline polynomial
    // exp vectorises on webasm and is plain arithmetic on cpu
    codegen: { fastExp: true, fuse: fusedSource },
    // a generic kernel may run on gpu.js's webasm worker pool, asynchronously, when the caller awaits
    runsAsync: (req) => !req.program.source.startsWith(WASM_SOURCE) && engineFor(req).runsAsync(onHost(req)),
    compile(req: CompileRequest): CompiledKernel {
      const src = req.program.source;
      if (src.startsWith(WASM_SOURCE)) {
        const [kernel, dimList] = src.slice(WASM_SOURCE.length).split(':');
        if (kernel === 'ew') {
          const runner = programRunner(rt, fusedProgramAt(Number(dimList)), scratch);
          internal.push(runner.ptr);
          return (...args: unknown[]) => {
            const out = alloc(req.outSize);
            try {
              runner.run(args, out.ptr);
            } catch (err) {
              out.delete();
              throw err;
            }
            return out;
          };
        }
        const dims = dimList.split(',').map(Number);
        // a part shares its argument's block (a multi-output kernel's packed result)
        if (kernel === 'part') return (x: unknown) => (x as WasmBuffer).part(dims[0], req.outSize);
        const run = NATIVE[kernel];
        return (...args: unknown[]) => {
          const out = alloc(req.outSize);
          try {
            run(rt, dims, args, out);
          } catch (err) {
            out.delete();
            throw err;
          }
          return out;
        };
      }
      if (src === FILL_SOURCE && req.kinds.length === 1 && req.kinds[0] === 'float') {
        return (value: unknown) => {
          const out = alloc(req.outSize);
          const at = out.ptr >>> 2;
          rt.f32().fill(value as number, at, at + req.outSize);
          return out;
        };
      }
      if (src === UPLOAD_SOURCE && req.kinds[0] === 'host') {
        return (x: unknown) => {
          const out = alloc(req.outSize);
          rt.write(out.ptr, x as Float32Array);
          return out;
        };
      }
      const engine = engineFor(req);
      const inner = engine.compile(onHost(req));
      const layout = req.program.layout;
      const resident = (out: unknown): unknown => {
        // a layout result goes back to the host through rawLayoutResult
        if (layout) return out;
        const flat = out as Float32Array;
        const buf = alloc(req.outSize);
        rt.write(buf.ptr, flat.length === req.outSize ? flat : flat.subarray(0, req.outSize));
        return buf;
      };
      const fn: CompiledKernel = (...args: unknown[]) => {
        const out = inner(...args.map(host));
        return out instanceof Promise ? out.then(resident) : resident(out);
      };
      fallbackKernels.set(fn, {
        reason: `no wasm kernel: gpu.js ${engine === gpu ? 'webasm' : 'cpu'} ran kernel #${++fallbackCount} (${src.length}-character source)`,
        inner,
        engine,
      });
      return fn;
    },
    fallbackReason(kernel: CompiledKernel): string | null {
      const f = fallbackKernels.get(kernel);
      if (!f) return null;
      return f.engine.fallbackReason(f.inner) ?? f.reason;
    },
    adamInPlace(g, m, v, theta, n, h): boolean {
      const bufs = [g, m, v, theta];
      if (!bufs.every((b) => b instanceof WasmBuffer && b.ptr >= 0) || new Set(bufs).size < 4) return false;
      const [pg, pm, pv, pt] = (bufs as WasmBuffer[]).map((b) => b.ptr);
      rt.adamMoments(pg, pm, pv, [pm, pv, pt], n, h, pt);
      return true;
    },
    rawLayoutResult(out: unknown, kernel: CompiledKernel, cells: number): Float32Array {
      const f = fallbackKernels.get(kernel);
      if (!f) throw new Error('wasm adapter: a layout result from a kernel it did not compile');
      return f.engine.rawLayoutResult(out, f.inner, cells);
    },
    destroy(): void {
      gpu?.destroy();
      gpuCpu?.destroy();
      rt.dispose();
    },
    // live blocks in wasm memory besides the workspace, and the thread count, for tests
    blocks: () => rt.blocks - 1 - internal.length - (scratch.ptr >= 0 ? 1 : 0),
    threads: rt.threads,
    parallelCalls: () => rt.parallelCalls,
  } as AdapterInstance;
}

/** @internal */
export const wasmAdapter: BackendAdapter = {
  family: 'wasm',
  backends: ['wasm'],
  support,
  // compiles the module asynchronously first (browsers' only way), then asks the runtime
  async probe(name: BackendName): Promise<boolean> {
    if (name === 'wasm') await prepareWasm();
    return support(name) === null;
  },
  create,
};
