/**
 * The kernel registry: the one place that knows which backend runs which kernel source.
 *
 * The contract, in the manner of TensorFlow.js's `kernel_registry.ts`:
 *
 * - **Ops name kernels.** An op validates its arguments and calls {@link runKernel} with a
 *   kernel declared by {@link defineKernel} (a name and a *generic* builder that works on
 *   every backend) and its parameters (shapes, loop bounds, input tensors). It never asks
 *   which backend runs.
 * - **Variants live with their backend, not in the op.** A backend's table
 *   (`kernels/webasm.ts`'s `webasmKernels`, read below) or {@link registerVariant} adds a
 *   builder for one backend (`'webasm'`) or one whole family (`'gpujs'`, or a future
 *   `'wasm'`). {@link runKernel} picks, in this order, the current backend's variant, its
 *   family's variant, then the generic builder; a variant returns `null` for parameters it
 *   does not handle (webasm's four-row matmul needs m and k divisible by 4), and the next
 *   candidate is tried. Variants live in `kernels/<backend>.ts` (see `kernels/webasm.ts`).
 * - **A builder returns tensors.** It builds one or more lazy kernel ops with `kernelOp`,
 *   each carrying a {@link KernelProgram}: the source, every constant it reads (passed
 *   explicitly, never discovered by searching the source) and, when the output is not one
 *   float per cell, its {@link OutputLayout}.
 * - **An adapter runs programs.** A {@link BackendAdapter} serves a family of backends: it
 *   says whether each backend is available here, and creates per-backend
 *   {@link AdapterInstance}s that compile a program for given argument kinds and sizes, say
 *   how generated code should be formulated ({@link CodegenProfile}), report silent
 *   fallbacks, and tear down. Everything that touches a library's internals (gpu.js's
 *   private fields included) stays inside its adapter module (`kernels/gpujs.ts`).
 *
 * Adding a backend-specific kernel touches its `kernels/<backend>.ts` and nothing else.
 * Adding a backend family (issue 12's own WebAssembly kernels) means: its names in
 * `BACKENDS` (backend.ts), its adapter in `ADAPTERS` below, and a variants table (or
 * {@link registerVariant} calls) for the kernels it runs differently —
 * every kernel without a variant runs its generic source through the new adapter, so the
 * adapter must accept gpu.js-style kernel sources (`function(a0, …, s0, …)` over
 * `this.thread.x`) or register a variant for every kernel.
 * @internal
 */
import { backendName, type BackendName } from '../backend.js';
import type { Tensor } from '../tensor.js';
import { gpujsAdapter } from './gpujs.js';
import { wasmAdapter, wasmKernels } from './wasm.js';
import { webasmKernels } from './webasm.js';

/**
 * How a kernel lays out its output when it is not one float per flat cell: the output
 * dimensions the kernel runs over, the floats each cell returns, and the host function that
 * turns the raw result (row-major over `dims`, `lanes` floats a cell) into the tensor's data.
 * `key` names the layout in the compiled-kernel cache. @internal
 */
export interface OutputLayout {
  readonly key: string;
  readonly dims: readonly number[];
  readonly lanes: number;
  readonly post: (raw: Float32Array) => Float32Array;
}

/**
 * A complete kernel: a gpu.js-style source whose arguments are its tensor inputs (`a0…`)
 * then its float scalars (`s0…`), the constant tables it reads as `this.constants.<name>`,
 * and its output layout (default: one float per cell of the tensor). @internal
 */
export interface KernelProgram {
  readonly source: string;
  readonly constants?: Readonly<Record<string, Float32Array>>;
  readonly layout?: OutputLayout;
}

/** How generated code is formulated for a backend. @internal */
export interface CodegenProfile {
  /** Inline the polynomial exp (fastmath.ts) instead of calling `Math.exp`. */
  readonly fastExp: boolean;
}

/** Argument kinds that select a compiled variant: a host array, a device buffer, or a float. */
export type ArgKind = 'host' | 'device' | 'float';

/** A compiled kernel: call it with values, get a Float32Array, a device handle, or a Promise of either. */
export type CompiledKernel = (...args: unknown[]) => unknown;

/** What an adapter needs to compile one program variant. @internal */
export interface CompileRequest {
  readonly program: KernelProgram;
  /** Cells of the output (the tensor's size) when the program has no layout. */
  readonly outSize: number;
  readonly argNames: readonly string[];
  readonly kinds: readonly ArgKind[];
  /** Whether the caller can await a Promise result. */
  readonly wantAsync: boolean;
}

/** One backend of a family, created by {@link BackendAdapter.create}. @internal */
export interface AdapterInstance {
  /** Whether results stay in device memory between kernels. */
  readonly resident: boolean;
  /** Whether results can be read synchronously. */
  readonly syncReadback: boolean;
  readonly codegen: CodegenProfile;
  /** Whether {@link AdapterInstance.compile} would return an async kernel for this request (part of the cache key). */
  runsAsync(req: CompileRequest): boolean;
  compile(req: CompileRequest): CompiledKernel;
  /** A fallback the library reported for this compiled kernel (it ran elsewhere), or null. */
  fallbackReason(kernel: CompiledKernel): string | null;
  /** The raw floats of a result computed under an {@link OutputLayout}. */
  rawLayoutResult(out: unknown, kernel: CompiledKernel, cells: number): Float32Array;
  destroy(): void;
}

/** A family of backends served by one library. @internal */
export interface BackendAdapter {
  readonly family: string;
  readonly backends: readonly BackendName[];
  /** Null when `name` can run here, else why not. */
  support(name: BackendName): string | null;
  /** Whether `name` really answers here (may await a device, e.g. a WebGPU adapter). */
  probe(name: BackendName): Promise<boolean>;
  create(name: BackendName): AdapterInstance;
}

/** A builder: the lazy tensor(s) of one kernel for `params`, or null where it does not apply. @internal */
export type KernelBuilder<P> = (params: P) => Tensor | null;

/** A kernel as an op declares it: its name and the builder every backend can run. @internal */
export interface KernelDef<P> {
  readonly name: string;
  readonly generic: (params: P) => Tensor;
}

/** Declares kernel `name` with its generic builder (pure: registration order never matters). @internal */
export function defineKernel<P>(name: string, generic: (params: P) => Tensor): KernelDef<P> {
  return { name, generic };
}

// Each family's adapter, and the variants each backend or family registers. Adding a backend
// family adds its adapter here; adding a backend-specific kernel adds it to its table.
const ADAPTERS: readonly BackendAdapter[] = [gpujsAdapter, wasmAdapter];
const variants = new Map<string, Map<string, KernelBuilder<never>>>();
let seeded = false;

function table(target: string): Map<string, KernelBuilder<never>> | undefined {
  if (!seeded) {
    // Read lazily: the tables import ops' helpers, which import this module.
    seeded = true;
    const builtIn: Record<string, Record<string, KernelBuilder<never>>> = {
      webasm: webasmKernels as Record<string, KernelBuilder<never>>,
      wasm: wasmKernels as Record<string, KernelBuilder<never>>,
    };
    for (const [target, kernels] of Object.entries(builtIn)) variants.set(target, new Map(Object.entries(kernels)));
  }
  return variants.get(target);
}

/**
 * Registers a builder of kernel `name` for one backend or a whole family; it returns null
 * for parameters it does not handle. Returns the function that unregisters it. @internal
 */
export function registerVariant<P>(name: string, target: BackendName | string, builder: KernelBuilder<P>): () => void {
  table(target); // seed the built-in tables first, so they never replace this builder
  let t = variants.get(target);
  if (!t) {
    t = new Map();
    variants.set(target, t);
  }
  const previous = t.get(name);
  t.set(name, builder as KernelBuilder<never>);
  const map = t;
  // Unregistering restores what was there before.
  return () => {
    if (map.get(name) !== builder) return;
    if (previous) map.set(name, previous);
    else map.delete(name);
  };
}

/** The adapter serving `name`. @internal */
export function adapterFor(name: BackendName): BackendAdapter {
  const a = ADAPTERS.find((x) => x.backends.includes(name));
  if (!a) throw new Error(`no kernel adapter serves backend '${name}'`);
  return a;
}

/**
 * Runs `kernel` on the current backend: the backend's variant, its family's variant, else
 * the generic builder. The one place a kernel source is chosen by backend. @internal
 */
export function runKernel<P>(kernel: KernelDef<P>, params: P): Tensor {
  const backend = backendName();
  for (const target of [backend, adapterFor(backend).family]) {
    const variant = table(target)?.get(kernel.name) as KernelBuilder<P> | undefined;
    const out = variant?.(params);
    if (out) return out;
  }
  return kernel.generic(params);
}
