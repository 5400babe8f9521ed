import { matmul, type Tensor, tensor } from '@sparsekit/tensor';
import type { Steps } from './steps.js';

/**
 * G = DDᵀ for atoms as the rows of D (k×n row-major), in float64 on the host. Cholesky-based
 * OMP decides linear dependence from G_λλ − wᵀw ≤ eps, which a float32 Gram cannot resolve;
 * at k²n/2 multiply-adds it is also cheap next to the per-signal work.
 * @internal
 */
export function gramMatrix(D: ArrayLike<number>, k: number, n: number): Float64Array {
  const G = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = 0;
      for (let t = 0; t < n; t++) s += D[ri + t]! * D[rj + t]!;
      G[i * k + j] = s;
      G[j * k + i] = s;
    }
  }
  return G;
}

/**
 * The correlations of every signal with every atom, X·Dᵀ (nSamples×k, row i = D·xᵢ), as one
 * `@sparsekit/tensor` matmul kernel: the one step of sparse coding that is data-parallel
 * across all signals at once (see the README for the measurements behind that choice). Its
 * result is yielded for the driver to read (see steps.ts), so it runs on WebGPU under
 * `runAsync`; the tensors are released once read, or when the driver closes the generator.
 * @internal
 */
export function* correlations(
  X: ArrayLike<number>,
  nSamples: number,
  D: ArrayLike<number>,
  k: number,
  n: number,
): Steps<Float32Array> {
  const made: Tensor[] = [];
  try {
    const x = tensor(typed(X), [nSamples, n]);
    made.push(x);
    const d = tensor(typed(D), [k, n]);
    made.push(d);
    const product = matmul(x, d, { transposeB: true });
    made.push(product);
    return yield product;
  } finally {
    for (const t of made) t.dispose();
  }
}

/** Typed arrays go to `tensor()` as they are: it converts them natively (and copies). */
function typed(x: ArrayLike<number>): Float32Array | Float64Array {
  return x instanceof Float32Array || x instanceof Float64Array ? x : new Float64Array(x);
}

/** ‖xᵢ‖² of every row of X (nSamples×n row-major), in float64. @internal */
export function rowSquaredNorms(X: ArrayLike<number>, nSamples: number, n: number): Float64Array {
  const out = new Float64Array(nSamples);
  for (let i = 0; i < nSamples; i++) {
    let s = 0;
    for (let t = i * n, e = t + n; t < e; t++) s += X[t]! * X[t]!;
    out[i] = s;
  }
  return out;
}
