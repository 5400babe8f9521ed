// Shared by the wasm backend's tests: seeded inputs and the parity suite's tolerance rule
// (|got − ref| ≤ atol + rtol·|ref|, NaN = NaN, ±Inf exact).
import { type BackendName, setBackend } from '../../src/backend.js';
import { Random } from '../../src/random.js';

export function seeded(n: number, seed: number, scale = 1): Float32Array {
  const r = new Random(seed);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (r.uniform() * 2 - 1) * scale;
  return a;
}

export interface Tolerance {
  rtol: number;
  atol: number;
}
export const EXACT: Tolerance = { rtol: 1e-6, atol: 0 };
export const TRANS: Tolerance = { rtol: 2e-5, atol: 1e-6 };
export const ACC = (n: number): Tolerance => ({ rtol: 1e-4, atol: 1e-5 * Math.max(1, n) });

/** The index and values of the first cell outside tolerance, or undefined. */
export function mismatch(got: ArrayLike<number>, ref: ArrayLike<number>, tol: Tolerance): string | undefined {
  if (got.length !== ref.length) return `length ${got.length}, reference ${ref.length}`;
  for (let i = 0; i < ref.length; i++) {
    const g = got[i];
    const r = Math.fround(ref[i]);
    if (
      Number.isNaN(r)
        ? Number.isNaN(g)
        : !Number.isFinite(r)
          ? g === r
          : Math.abs(g - r) <= tol.atol + tol.rtol * Math.abs(r)
    )
      continue;
    return `cell ${i}: ${g}, reference ${r}`;
  }
  return undefined;
}

export function bitwiseEqual(a: Float32Array, b: Float32Array): boolean {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * Selects `backend`, on `threads` wasm threads where given (SPARSEKIT_WASM_THREADS is read when
 * the backend starts), and leaves the environment as it was.
 */
export function useBackend(backend: BackendName, threads?: string): void {
  const prev = process.env.SPARSEKIT_WASM_THREADS;
  if (threads) process.env.SPARSEKIT_WASM_THREADS = threads;
  try {
    setBackend(backend);
  } finally {
    if (prev === undefined) delete process.env.SPARSEKIT_WASM_THREADS;
    else process.env.SPARSEKIT_WASM_THREADS = prev;
  }
}

/** "wasm (2 threads)", "cpu": a test name's backend. */
export function backendLabel(backend: string, threads?: string): string {
  return threads ? `${backend} (${threads} thread${threads === '1' ? '' : 's'})` : backend;
}
