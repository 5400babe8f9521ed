import { GPU } from 'gpu.js';
import { BackendError } from './errors.js';
import { EXP2_CONSTANT, EXP2_TABLE } from './fastmath.js';
import { shared } from './registry.js';

/** Every backend SparseKit can run on; all are gpu.js modes. */
export type BackendName = 'webgpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'webasm' | 'cpu';

/** All backend names, in SparseKit's order of preference for automatic selection. */
export const BACKENDS: readonly BackendName[] = ['webgpu', 'webgl2', 'webgl', 'headlessgl', 'webasm', 'cpu'];

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
   * The most elements one tensor may have here (see {@link MAX_ELEMENTS}); every creation
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

/** Argument kinds that select a compiled variant: a host array, a device buffer, or a float. */
export type ArgKind = 'host' | 'device' | 'float';

/**
 * How a kernel lays out its output when it is not one float per flat cell: its gpu.js
 * output dimensions, the floats each cell returns (gpu.js's `Array(lanes)`), and the host
 * function that turns the raw result into the tensor's row-major data. Backend-specific
 * (webasm). @internal
 */
export interface KernelLayout {
  key: string;
  output: number[];
  lanes: number;
  post: (raw: Float32Array) => Float32Array;
}

/** A compiled kernel: call it with values, get a Float32Array, a device handle, or a Promise of either. */
export type CompiledKernel = (...args: unknown[]) => unknown;

interface BackendState {
  info: BackendInfo;
  gpu: GPU;
  kernels: Map<string, Map<string, { kernel: CompiledKernel; async: boolean }>>;
  stats: KernelStats;
  fallbacks: string[];
  threaded: boolean;
}

const GL: ReadonlySet<BackendName> = new Set(['webgl2', 'webgl', 'headlessgl']);
// Outputs this large are worth gpu.js's webasm worker pool. Its own threshold is 4096 cells,
// but it splits work in 4096-cell chunks, so below 8192 only one worker would run.
const THREAD_MIN_CELLS = 8192;

// One backend per process, whichever copy of this package (ESM, CJS, a second release) asks.
const slot = shared('backend', () => ({ state: null as BackendState | null }));

function isBackendName(name: string): name is BackendName {
  return (BACKENDS as readonly string[]).includes(name);
}

function support(name: BackendName): string | null {
  const G = GPU as unknown as Record<string, boolean>;
  switch (name) {
    case 'cpu':
      return null;
    case 'webasm':
      return G.isWebAssemblySupported ? null : 'WebAssembly SIMD is not supported here';
    case 'headlessgl':
      return G.isHeadlessGLSupported
        ? null
        : 'headless-gl is unavailable: build the optional `gl` dependency and provide an X display (xvfb-run -a)';
    case 'webgl2':
      return G.isWebGL2Supported ? null : 'WebGL2 is not available (not a browser, or disabled)';
    case 'webgl':
      return G.isWebGLSupported ? null : 'WebGL is not available (not a browser, or disabled)';
    case 'webgpu':
      return G.isWebGPUSupported ? null : 'navigator.gpu is missing (WebGPU needs a browser that exposes it)';
  }
}

function envBackend(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.SPARSEKIT_BACKEND;
  return v && v.trim() !== '' ? v.trim() : undefined;
}

function autoSelect(): { name: BackendName; reason: string } {
  // WebGPU is only chosen by initBackend(), which can await an adapter; here we stay sync.
  const skipped: string[] = [];
  for (const name of ['webgl2', 'webgl', 'headlessgl', 'webasm', 'cpu'] as BackendName[]) {
    const why = support(name);
    if (why === null) {
      const tail = skipped.length ? ` (skipped ${skipped.join('; ')})` : '';
      return { name, reason: `auto: best synchronously available backend${tail}` };
    }
    skipped.push(`${name}: ${why}`);
  }
  return { name: 'cpu', reason: 'auto: fallback' };
}

function create(name: BackendName, req: BackendName | 'auto', reason: string): BackendState {
  const gpu = new GPU({ mode: name } as never);
  const fallbacks: string[] = [];
  const info: BackendInfo = {
    requested: req,
    name,
    reason,
    syncReadback: name !== 'webgpu',
    resident: GL.has(name) || name === 'webgpu',
    fallbacks,
    maxElements: MAX_ELEMENTS[name],
  };
  return {
    info,
    gpu,
    kernels: new Map(),
    stats: { compiled: 0, calls: 0, uploads: 0, readbacks: 0 },
    fallbacks,
    threaded: name === 'webasm',
  };
}

function resolve(name: string): { name: BackendName; req: BackendName | 'auto'; reason: string } {
  if (name === 'auto') {
    const a = autoSelect();
    return { name: a.name, req: 'auto', reason: a.reason };
  }
  if (!isBackendName(name)) {
    throw new BackendError('setBackend', `unknown backend '${name}'; expected one of auto, ${BACKENDS.join(', ')}`);
  }
  const why = support(name);
  if (why !== null) throw new BackendError('setBackend', `backend '${name}' is not available: ${why}`);
  return { name, req: name, reason: 'requested explicitly' };
}

/**
 * Selects the backend for every tensor created afterwards. `'auto'` picks the best
 * backend that can run synchronously here (webgl2 → webgl → headlessgl → webasm → cpu);
 * use {@link initBackend} to also consider WebGPU. The `SPARSEKIT_BACKEND` environment
 * variable sets the initial choice. Throws a {@link BackendError} for an unknown or
 * unavailable backend and leaves the current one in place.
 */
export function setBackend(name: BackendName | 'auto'): BackendInfo {
  const r = resolve(name);
  const next = create(r.name, r.req, r.reason);
  const prev = slot.state;
  slot.state = next;
  if (prev) destroyState(prev);
  return next.info;
}

/**
 * Like {@link setBackend}, but may await: with `'auto'` (or `'webgpu'`) it asks for a real
 * WebGPU adapter and prefers WebGPU when one answers.
 */
export async function initBackend(name: BackendName | 'auto' = 'auto'): Promise<BackendInfo> {
  if (name === 'auto' || name === 'webgpu') {
    const available = support('webgpu') === null && (await GPU.isWebGPUAvailable());
    if (available) {
      const next = create('webgpu', name, name === 'auto' ? 'auto: a WebGPU adapter answered' : 'requested explicitly');
      const prev = slot.state;
      slot.state = next;
      if (prev) destroyState(prev);
      return next.info;
    }
    if (name === 'webgpu') {
      throw new BackendError('initBackend', "backend 'webgpu' is not available: no WebGPU adapter answered");
    }
  }
  return setBackend(name);
}

/** The backend in use (selecting one from `SPARSEKIT_BACKEND` or `'auto'` on first use). */
export function getBackend(): BackendInfo {
  return current().info;
}

/** @internal */
export function current(): BackendState {
  if (slot.state === null) {
    const env = envBackend();
    try {
      setBackend((env ?? 'auto') as BackendName | 'auto');
      if (env !== undefined && env !== 'auto' && slot.state) {
        (slot.state as BackendState).info = { ...(slot.state as BackendState).info, reason: 'requested by the SPARSEKIT_BACKEND environment variable' };
      }
    } catch (e) {
      if (env !== undefined && e instanceof BackendError) {
        throw new BackendError('SPARSEKIT_BACKEND', e.message.replace(/^setBackend: /, ''));
      }
      throw e;
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
  try {
    (s.gpu as unknown as { destroy(): void }).destroy();
  } catch {
    // A gpu.js instance that fails to tear down holds nothing we can still free.
  }
}

/** Whether a kernel runs under gpu.js's async contract: always on WebGPU; threaded webasm for large outputs. */
function runsAsync(s: BackendState, outSize: number, wantAsync: boolean, layout?: KernelLayout): boolean {
  if (s.info.name === 'webgpu') return true;
  const cells = layout ? layout.output.reduce((p, d) => p * d, 1) : outSize;
  return s.info.name === 'webasm' && wantAsync && s.threaded && cells >= THREAD_MIN_CELLS;
}

/** Settings every SparseKit kernel gets, per backend. @internal */
function kernelSettings(s: BackendState, source: string, outSize: number, argNames: string[], kinds: ArgKind[], wantAsync: boolean, layout?: KernelLayout) {
  const name = s.info.name;
  const argumentTypes: Record<string, string> = {};
  argNames.forEach((n, i) => {
    const k = kinds[i];
    argumentTypes[n] = k === 'float' ? 'Float' : k === 'host' ? 'Array' : name === 'webgpu' ? 'Array' : 'NumberTexture';
  });
  const settings: Record<string, unknown> = {
    output: layout ? layout.output : [outSize],
    loopMaxIterations: 1 << 30,
    precision: 'single',
    tactic: 'precision',
    immutable: true,
    argumentTypes: name === 'webgpu' ? undefined : argumentTypes,
  };
  if (layout && layout.lanes > 1) settings.returnType = `Array(${layout.lanes})`;
  if (source.includes(EXP2_CONSTANT)) settings.constants = { p2: EXP2_TABLE };
  if (s.info.resident) settings.pipeline = true;
  if (runsAsync(s, outSize, wantAsync, layout)) settings.asyncMode = true;
  return settings;
}

/**
 * The compiled kernel for `source` over `outSize` cells with the given argument kinds and
 * sizes (elements of each tensor argument, 0 for a float), compiling at most once per
 * signature. Sizes are part of it because gpu.js compiles them into a kernel, and one source
 * with one output size can read inputs of several sizes (a slice of a longer tensor, a CSR
 * product with another inner dimension). @internal
 */
export function kernelFor(
  source: string,
  outSize: number,
  argNames: string[],
  kinds: ArgKind[],
  argSizes: readonly number[],
  wantAsync: boolean,
  layout?: KernelLayout,
): { kernel: CompiledKernel; async: boolean } {
  const s = current();
  // Two levels: by source (the same string object each call, so V8 reuses its hash), then by
  // the small variant key; settings are built only when a kernel is compiled.
  const variant = `${outSize}|${kinds.join(',')}|${argSizes.join(',')}|${runsAsync(s, outSize, wantAsync, layout) ? 'a' : 's'}|${layout?.key ?? ''}`;
  let variants = s.kernels.get(source);
  if (!variants) {
    variants = new Map();
    s.kernels.set(source, variants);
  }
  let entry = variants.get(variant);
  if (!entry) {
    const settings = kernelSettings(s, source, outSize, argNames, kinds, wantAsync, layout);
    const kernel = s.gpu.createKernel(source as never, settings as never) as unknown as CompiledKernel;
    s.stats.compiled++;
    entry = { kernel, async: settings.asyncMode === true };
    variants.set(variant, entry);
  }
  return entry;
}

/** Records a fallback gpu.js reported for a kernel, once. @internal */
export function noteFallback(kernel: CompiledKernel): void {
  const s = current();
  const inner = (kernel as unknown as { kernel?: { fallbackReason?: string | null; constructor: { name: string } } }).kernel;
  const why = inner?.fallbackReason;
  if (why && !s.fallbacks.includes(why)) {
    s.fallbacks.push(why);
  }
}
