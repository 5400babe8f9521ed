// Backend selection and state: which backend runs and why, its adapter instance
// (kernels/registry.ts), the compiled-kernel cache and the counters.
import { BackendError } from './errors.js';
import {
  type AdapterInstance,
  type ArgKind,
  adapterFor,
  type CompiledKernel,
  type CompileRequest,
  type KernelProgram,
} from './kernels/registry.js';
import { shared } from './registry.js';
import { isNode, prepareWasm, wasmReady } from './wasm/runtime.js';

export type { ArgKind, CompiledKernel } from './kernels/registry.js';

/**
 * Every backend SparseKit can run on: gpu.js modes (kernels/gpujs.ts), and `wasm`, SparseKit's
 * own WebAssembly SIMD kernels over resident memory (kernels/wasm.ts; distinct from gpu.js's `webasm`).
 */
export type BackendName = 'webgpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'wasm' | 'webasm' | 'cpu';

/** All backend names, in SparseKit's order of preference for automatic selection. */
export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl2', 'webgl', 'headlessgl', 'wasm', 'webasm', 'cpu'];

/** What runs now, and why. */
export interface BackendInfo {
  /** What was asked for: a backend name or `'auto'`. */
  readonly requested: BackendName | 'auto';
  /** The backend that actually runs the kernels. */
  readonly name: BackendName;
  /** Why this backend was chosen (or why the requested one was not). */
  readonly reason: string;
  /** Whether `dataSync()` works (false on webgpu, which has no synchronous readback). */
  readonly syncReadback: boolean;
  /** Whether kernel results stay in device memory between ops (GL textures, WebGPU buffers). */
  readonly resident: boolean;
  /** Kernels that gpu.js silently degraded to another backend, with its reason. */
  readonly fallbacks: readonly string[];
  /**
   * The most elements one tensor may have here (2^24 on every backend; see the README's Limits); every creation
   * function and op refuses a larger result with a `ShapeError` before allocating anything.
   */
  readonly maxElements: number;
}

/**
 * The per-tensor element limit of each backend: 2²⁴ = 16,777,216 everywhere.
 * - webasm: gpu.js's WebAssembly code keeps every declared local, flat indices included, in
 *   float32, whose integers are exact only up to 2²⁴ (its wasm memory, 4 GiB, would allow more).
 * - webgl2, webgl, headlessgl: shaders index in highp float (float32), the same 2²⁴; a device
 *   whose MAX_TEXTURE_SIZE² is smaller fails in gpu.js's texture allocation instead.
 * - webgpu: the generated WGSL indexes in f32 as well.
 * - cpu: indices are float64 there, but cpu is the reference the others are checked against,
 *   so it keeps their limit: a program that runs on cpu runs unchanged on every backend.
 * @internal
 */
export const MAX_ELEMENTS: Readonly<Record<BackendName, number>> = {
  webgpu: 2 ** 24,
  webgl2: 2 ** 24,
  webgl: 2 ** 24,
  headlessgl: 2 ** 24,
  // wasm keeps webasm's limit: ops without a wasm kernel run their gpu.js source on webasm
  wasm: 2 ** 24,
  webasm: 2 ** 24,
  cpu: 2 ** 24,
};

/** Counters that make waste visible: compilations, calls and host↔device transfers. */
export interface KernelStats {
  /** Kernels compiled since the backend was created (each op × shape signature once). */
  compiled: number;
  /** Kernel launches. */
  calls: number;
  /** Host arrays handed to a kernel (one per host-resident tensor argument per launch). */
  uploads: number;
  /** Results brought back to host memory (every launch on cpu/webasm; explicit reads on GL/WebGPU). */
  readbacks: number;
}

/** One compiled variant of a kernel source: the signature it was compiled for, and the kernel. @internal */
export interface CompiledVariant {
  readonly outSize: number;
  readonly kinds: readonly ArgKind[];
  readonly sizes: readonly number[];
  readonly async: boolean;
  readonly layout: string;
  readonly kernel: CompiledKernel;
}

/** The current backend: what runs, its adapter instance, compiled kernels and counters. @internal */
export interface BackendState {
  readonly info: BackendInfo;
  readonly adapter: AdapterInstance;
  readonly kernels: Map<string, Map<number, CompiledVariant[]>>;
  readonly stats: KernelStats;
}

// One backend per process, whichever copy of this package (ESM, CJS, a second release) asks.
const slot = shared('backend', () => ({ state: null as BackendState | null }));

function isBackendName(name: string): name is BackendName {
  return (BACKENDS as readonly string[]).includes(name);
}

/**
 * Null when `name` can be created synchronously here, else why not (its adapter answers; the
 * `wasm` adapter asks its runtime, which alone knows whether {@link initBackend} has compiled
 * its module outside Node).
 */
function support(name: BackendName): string | null {
  return adapterFor(name).support(name);
}

/** Where this code runs, for the order of automatic selection. @internal */
export type Host = 'node' | 'browser';

/** Node (or a runtime that says it is one), else a browser (a page or a worker). @internal */
export function currentHost(): Host {
  return isNode() ? 'node' : 'browser';
}

/**
 * The order `'auto'` tries backends in. Node: the GPU backends (WebGPU through
 * {@link initBackend} only), then SparseKit's `wasm`, gpu.js's `webasm`, `cpu`. Browsers put
 * `wasm` right after WebGPU and WebGL2 (issue 12): SIMD kernels on resident memory, threaded
 * where the page is cross-origin isolated, beat WebGL1's float emulation and gpu.js's webasm.
 * @internal
 */
export function autoOrder(host: Host): readonly BackendName[] {
  return host === 'browser'
    ? ['webgpu', 'webgl2', 'wasm', 'webgl', 'webasm', 'cpu']
    : ['webgpu', 'webgl2', 'webgl', 'headlessgl', 'wasm', 'webasm', 'cpu'];
}

/**
 * The first backend of `order` that `check` finds available (null means available, a string
 * why not), and the reason `getBackend()` reports, naming what was skipped and why. `cpu`
 * always answers, so a list ending in it always chooses. @internal
 */
export async function chooseBackend(
  order: readonly BackendName[],
  check: (name: BackendName) => string | null | Promise<string | null>,
  how: string,
): Promise<{ name: BackendName; reason: string }> {
  // ask one at a time, up to the first that answers, then choose from the answers
  const answers = new Map<BackendName, string | null>();
  for (const name of order) {
    const why = await check(name);
    answers.set(name, why);
    if (why === null) break;
  }
  return chooseBackendSync(
    order,
    (name) => (answers.has(name) ? (answers.get(name) as string | null) : 'not asked'),
    how,
  );
}

/** Synchronous twin of {@link chooseBackend}. @internal */
export function chooseBackendSync(
  order: readonly BackendName[],
  check: (name: BackendName) => string | null,
  how: string,
): { name: BackendName; reason: string } {
  const skipped: string[] = [];
  for (const name of order) {
    const why = check(name);
    if (why === null) return { name, reason: chosenReason(how, skipped) };
    skipped.push(`${name}: ${why}`);
  }
  return { name: 'cpu', reason: chosenReason('fallback', skipped) };
}

function chosenReason(how: string, skipped: readonly string[]): string {
  return `auto: ${how}${skipped.length ? ` (skipped ${skipped.join('; ')})` : ''}`;
}

function envBackend(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.SPARSEKIT_BACKEND;
  return v && v.trim() !== '' ? v.trim() : undefined;
}

function autoSelect(): { name: BackendName; reason: string } {
  // WebGPU is only chosen by initBackend(), which can await an adapter; here we stay sync.
  const order = autoOrder(currentHost()).filter((name) => name !== 'webgpu');
  return chooseBackendSync(order, support, 'best synchronously available backend');
}

/**
 * What {@link initBackend} checks before each backend: a WebGPU adapter's answer, the `wasm`
 * module compiled asynchronously (browsers' way), the synchronous support of the rest.
 */
async function supportAsync(name: BackendName): Promise<string | null> {
  if (name === 'webgpu') {
    const why = support(name);
    if (why !== null) return why;
    return (await adapterFor(name).probe(name)) ? null : 'no WebGPU adapter answered';
  }
  if (name === 'wasm') {
    try {
      await prepareWasm();
    } catch (err) {
      return `its kernels failed to compile: ${(err as Error).message}`;
    }
  }
  return support(name);
}

function unknownBackend(op: string, name: string): BackendError {
  return new BackendError(op, `unknown backend '${name}'; expected one of auto, ${BACKENDS.join(', ')}`);
}

function resolve(op: string, name: string): { name: BackendName; req: BackendName | 'auto'; reason: string } {
  if (name === 'auto') {
    const a = autoSelect();
    return { name: a.name, req: 'auto', reason: a.reason };
  }
  if (!isBackendName(name)) throw unknownBackend(op, name);
  const why = support(name);
  if (why !== null) throw new BackendError(op, `backend '${name}' is not available: ${why}`);
  return { name, req: name, reason: 'requested explicitly' };
}

/** Creates the backend and makes it current, releasing the previous one: every selection path ends here. */
function install(name: BackendName, requested: BackendName | 'auto', reason: string): BackendInfo {
  return commit(build(name, requested, reason));
}

/** Creates a backend's state without making it current. */
function build(name: BackendName, requested: BackendName | 'auto', reason: string): BackendState {
  const adapter = adapterFor(name).create(name);
  const info: BackendInfo = {
    requested,
    name,
    reason,
    syncReadback: adapter.syncReadback,
    resident: adapter.resident,
    fallbacks: [],
    maxElements: MAX_ELEMENTS[name],
  };
  return { info, adapter, kernels: new Map(), stats: { compiled: 0, calls: 0, uploads: 0, readbacks: 0 } };
}

/** Makes `state` current and releases the previous backend. */
function commit(state: BackendState): BackendInfo {
  const prev = slot.state;
  slot.state = state;
  if (prev) destroyState(prev);
  return state.info;
}

/**
 * Selects the backend for every tensor created afterwards. `'auto'` picks the best
 * backend that can run synchronously here (Node: webgl2 → webgl → headlessgl → wasm → webasm →
 * cpu; browsers: webgl2 → wasm → webgl → webasm → cpu); use {@link initBackend} to also
 * consider WebGPU. The `SPARSEKIT_BACKEND` environment variable sets the initial choice.
 * Throws a {@link BackendError} for an unknown or unavailable backend and leaves the current
 * one in place — in a browser, `'wasm'` before {@link initBackend} has compiled its module.
 */
export function setBackend(name: BackendName | 'auto'): BackendInfo {
  const r = resolve('setBackend', name);
  return install(r.name, r.req, r.reason);
}

/**
 * Like {@link setBackend}, but may await, and is how a browser selects `wasm`:
 * - `'auto'` tries WebGPU first (a real adapter must answer), then the synchronous order,
 *   compiling the `wasm` module on the way (browsers: webgpu → webgl2 → wasm → webgl → webasm
 *   → cpu; Node: webgpu → webgl2 → webgl → headlessgl → wasm → webasm → cpu);
 * - `'webgpu'` asks for an adapter;
 * - `'wasm'` compiles its kernels asynchronously (`WebAssembly.compile`) and resolves once its
 *   worker threads have started (where the page is cross-origin isolated).
 * Rejects with a {@link BackendError} where the backend is unknown or unavailable, leaving the
 * current one in place.
 */
export async function initBackend(name: BackendName | 'auto' = 'auto'): Promise<BackendInfo> {
  let state: BackendState;
  if (name === 'auto') {
    const a = await chooseBackend(autoOrder(currentHost()), supportAsync, 'best available backend');
    state = build(a.name, 'auto', a.reason);
  } else {
    if (!isBackendName(name)) throw unknownBackend('initBackend', name);
    const why = await supportAsync(name);
    if (why !== null) throw new BackendError('initBackend', `backend '${name}' is not available: ${why}`);
    state = build(name, name, 'requested explicitly');
  }
  if (state.info.name === 'wasm') {
    // a browser's workers start while we await; one that cannot start fails the selection
    try {
      await wasmReady();
    } catch (err) {
      destroyState(state);
      throw new BackendError('initBackend', `backend 'wasm' could not start its threads: ${(err as Error).message}`);
    }
  }
  return commit(state);
}

/** The backend in use (selecting one from `SPARSEKIT_BACKEND` or `'auto'` on first use). */
export function getBackend(): BackendInfo {
  return current().info;
}

/** @internal */
export function current(): BackendState {
  if (slot.state === null) {
    const env = envBackend();
    if (env === undefined || env === 'auto') setBackend('auto');
    else {
      const r = resolve('SPARSEKIT_BACKEND', env);
      install(r.name, r.req, 'requested by the SPARSEKIT_BACKEND environment variable');
    }
  }
  return slot.state as BackendState;
}

/** @internal */
export function backendName(): BackendName {
  return current().info.name;
}

/** Compilation, launch and transfer counters of the current backend. */
export function kernelStats(): Readonly<KernelStats> {
  return { ...current().stats };
}

/** Releases the current backend's compiled kernels and gpu.js instance (worker pools included). */
export function disposeBackend(): void {
  if (slot.state) destroyState(slot.state);
  slot.state = null;
}

function destroyState(s: BackendState): void {
  s.kernels.clear();
  s.adapter.destroy();
}

/**
 * The compiled kernel for `program` over `outSize` cells with the given argument kinds and
 * sizes (elements of each tensor argument, 0 for a float), compiling at most once per
 * signature. Sizes are part of it because gpu.js compiles them into a kernel, and one source
 * with one output size can read inputs of several sizes (a slice of a longer tensor, a CSR
 * product with another inner dimension). @internal
 */
export function kernelFor(
  program: KernelProgram,
  outSize: number,
  argNames: string[],
  kinds: ArgKind[],
  argSizes: readonly number[],
  wantAsync: boolean,
): CompiledKernel {
  const s = current();
  const req: CompileRequest = { program, outSize, argNames, kinds, wantAsync };
  // Two levels: by source (the same string object each call, so V8 reuses its hash), then by
  // a hash of the signature, each bucket compared in full: no key string is built per call
  // (that was 5–8% of an 8×8 op). Settings are built only when a kernel is compiled. A source
  // fixes its constants, so they need no key.
  const async = s.adapter.runsAsync(req);
  const layout = program.layout?.key ?? '';
  let h = Math.imul(2166136261 ^ outSize, 16777619);
  for (let i = 0; i < kinds.length; i++) h = Math.imul(h ^ KIND_CODE[kinds[i]] ^ (argSizes[i] << 2), 16777619);
  h = Math.imul(h ^ (async ? 1 : 0) ^ layout.length, 16777619);
  let variants = s.kernels.get(program.source);
  if (!variants) {
    variants = new Map();
    s.kernels.set(program.source, variants);
  }
  let bucket = variants.get(h);
  if (bucket) {
    for (const v of bucket) {
      if (
        v.outSize === outSize &&
        v.async === async &&
        v.layout === layout &&
        sameList(v.kinds, kinds) &&
        sameList(v.sizes, argSizes)
      )
        return v.kernel;
    }
  } else {
    bucket = [];
    variants.set(h, bucket);
  }
  const kernel = s.adapter.compile(req);
  s.stats.compiled++;
  bucket.push({ outSize, kinds: kinds.slice(), sizes: argSizes.slice(), async, layout, kernel });
  return kernel;
}

const KIND_CODE: Readonly<Record<ArgKind, number>> = { host: 1, device: 2, float: 3 };

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Records a fallback the kernel's library reported, once. @internal */
export function noteFallback(kernel: CompiledKernel): void {
  const s = current();
  const why = s.adapter.fallbackReason(kernel);
  // `info.fallbacks` is readonly to users; the backend is its one writer.
  const fallbacks = s.info.fallbacks as string[];
  if (why && !fallbacks.includes(why)) fallbacks.push(why);
}
