/**
 * The gpu.js adapter: the only module that constructs gpu.js, chooses its kernel settings or
 * touches its internals. It serves every backend SparseKit has today (gpu.js modes).
 * @internal
 */
import { GPU } from 'gpu.js';
import type { BackendName } from '../backend.js';
import type { AdapterInstance, BackendAdapter, CompiledKernel, CompileRequest } from './registry.js';

const GL: ReadonlySet<BackendName> = new Set(['webgl2', 'webgl', 'headlessgl']);
// Outputs this large are worth gpu.js's webasm worker pool. Its own threshold is 4096 cells,
// but it splits work in 4096-cell chunks, so below 8192 only one worker would run.
const THREAD_MIN_CELLS = 8192;

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
    case 'wasm':
      return "'wasm' is SparseKit's own WebAssembly backend (kernels/wasm.ts), not a gpu.js mode";
  }
}

/** gpu.js's compiled kernel object behind the callable it returns. */
interface InnerKernel {
  fallbackReason?: string | null;
  _shapeOutput?: unknown;
  skFlat?: boolean;
}

function inner(kernel: CompiledKernel): InnerKernel | undefined {
  return (kernel as unknown as { kernel?: InnerKernel }).kernel;
}

function create(name: BackendName): AdapterInstance {
  const gpu = new GPU({ mode: name } as never);
  const resident = GL.has(name) || name === 'webgpu';
  // webasm is the one mode whose large kernels run on gpu.js's worker pool, asynchronously.
  const threaded = name === 'webasm';
  const runsAsync = (req: CompileRequest): boolean => {
    if (name === 'webgpu') return true;
    const cells = req.program.layout ? req.program.layout.dims.reduce((p, d) => p * d, 1) : req.outSize;
    return threaded && req.wantAsync && cells >= THREAD_MIN_CELLS;
  };
  return {
    resident,
    syncReadback: name !== 'webgpu',
    codegen: { fastExp: name === 'webasm' },
    runsAsync,
    compile(req: CompileRequest): CompiledKernel {
      const { program } = req;
      const argumentTypes: Record<string, string> = {};
      req.argNames.forEach((n, i) => {
        const k = req.kinds[i];
        argumentTypes[n] =
          k === 'float' ? 'Float' : k === 'host' ? 'Array' : name === 'webgpu' ? 'Array' : 'NumberTexture';
      });
      const settings: Record<string, unknown> = {
        output: program.layout ? [...program.layout.dims] : [req.outSize],
        loopMaxIterations: 1 << 30,
        precision: 'single',
        tactic: 'precision',
        immutable: true,
        argumentTypes: name === 'webgpu' ? undefined : argumentTypes,
      };
      if (program.layout && program.layout.lanes > 1) settings.returnType = `Array(${program.layout.lanes})`;
      if (program.constants && Object.keys(program.constants).length > 0) settings.constants = { ...program.constants };
      if (resident) settings.pipeline = true;
      if (runsAsync(req)) settings.asyncMode = true;
      return gpu.createKernel(program.source as never, settings as never) as unknown as CompiledKernel;
    },
    fallbackReason(kernel: CompiledKernel): string | null {
      return inner(kernel)?.fallbackReason ?? null;
    },
    // A multi-float (Array(lanes)) result comes back as cells that are subarrays of one
    // buffer; view the buffer instead of walking them, and have gpu.js skip building them
    // after the first call.
    rawLayoutResult(out: unknown, kernel: CompiledKernel, cells: number): Float32Array {
      const k = inner(kernel);
      if (k && typeof k._shapeOutput === 'function' && !k.skFlat) {
        k._shapeOutput = (d: unknown) => d;
        k.skFlat = true;
      }
      if (out instanceof Float32Array) return out;
      let leaf: unknown = out;
      while (Array.isArray(leaf)) leaf = leaf[0];
      const f = leaf as Float32Array;
      return new Float32Array(f.buffer, f.byteOffset, cells);
    },
    destroy(): void {
      try {
        (gpu as unknown as { destroy(): void }).destroy();
      } catch {
        // A gpu.js instance that fails to tear down holds nothing we can still free.
      }
    },
  };
}

/** @internal */
export const gpujsAdapter: BackendAdapter = {
  family: 'gpujs',
  backends: ['webgpu', 'webgl2', 'webgl', 'headlessgl', 'webasm', 'cpu'],
  support,
  async probe(name: BackendName): Promise<boolean> {
    if (support(name) !== null) return false;
    return name === 'webgpu' ? GPU.isWebGPUAvailable() : true;
  },
  create,
};
