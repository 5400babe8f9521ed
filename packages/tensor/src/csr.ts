import { describeValue, formatShape, ShapeError, ValueError } from './errors.js';
import { assertTensor, elementwise, hostTensor, kernelOp } from './internal.js';
import { defineKernel, runKernel } from './kernels/registry.js';
import { checkSize, divmod } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * A 2-D matrix in compressed sparse row form: `values` and `colIndices` of its non-zeros
 * row by row, and `rowPtr` (length rows + 1) where row i's entries start. Indices are
 * stored as int32 on the host; the product kernel receives them as float32, exact for
 * dimensions below 2²⁴.
 */
// Registered, like the tensor brand: a CsrTensor from another loaded copy of the package passes.
const CSR_BRAND = Symbol.for('sparsekit.csr');

export class CsrTensor {
  /** @internal */
  get [CSR_BRAND](): true {
    return true;
  }

  /** Answers by the brand, so a CsrTensor from another copy of the package passes `instanceof CsrTensor`. */
  static [Symbol.hasInstance](x: unknown): x is CsrTensor {
    return typeof x === 'object' && x !== null && (x as { [CSR_BRAND]?: unknown })[CSR_BRAND] === true;
  }

  /** [rows, cols]. */
  readonly shape: readonly [number, number];
  readonly values: Float32Array;
  readonly colIndices: Int32Array;
  readonly rowPtr: Int32Array;

  constructor(shape: readonly [number, number], values: Float32Array, colIndices: Int32Array, rowPtr: Int32Array) {
    const [rows, cols] = shape;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError('CsrTensor', `shape must be two non-negative integers, got ${formatShape(shape)}`);
    }
    if (
      rowPtr.length !== rows + 1 ||
      rowPtr[0] !== 0 ||
      rowPtr[rows] !== values.length ||
      colIndices.length !== values.length
    ) {
      throw new ShapeError(
        'CsrTensor',
        `need rowPtr of length ${rows + 1} from 0 to nnz=${values.length} and ${values.length} column indices, got rowPtr length ${rowPtr.length}, ${colIndices.length} indices`,
      );
    }
    for (let i = 0; i < rows; i++) {
      if (rowPtr[i + 1] < rowPtr[i]) throw new ValueError('CsrTensor', `rowPtr must be non-decreasing (row ${i})`);
    }
    for (const c of colIndices) {
      if (c < 0 || c >= cols) throw new ValueError('CsrTensor', `column index ${c} out of range [0, ${cols})`);
    }
    this.shape = [rows, cols];
    this.values = values;
    this.colIndices = colIndices;
    this.rowPtr = rowPtr;
  }

  /** Number of stored non-zeros. */
  get nnz(): number {
    return this.values.length;
  }

  /** Bytes of the three arrays (float32 values, int32 indices and row pointers). */
  get bytes(): number {
    return this.values.byteLength + this.colIndices.byteLength + this.rowPtr.byteLength;
  }

  /** Bytes the same matrix takes dense in float32. */
  get denseBytes(): number {
    return this.shape[0] * this.shape[1] * 4;
  }

  /** Builds CSR from a dense row-major array, dropping entries with |x| ≤ `tol` (default 0). */
  static fromArray(data: ArrayLike<number>, shape: readonly [number, number], tol = 0): CsrTensor {
    const [rows, cols] = shape;
    if (data.length !== rows * cols) {
      throw new ShapeError(
        'CsrTensor.fromArray',
        `shape ${formatShape(shape)} needs ${rows * cols} values, got ${data.length}`,
      );
    }
    if (!(tol >= 0)) throw new ValueError('CsrTensor.fromArray', `tol must be >= 0, got ${tol}`);
    const rowPtr = new Int32Array(rows + 1);
    let nnz = 0;
    for (let i = 0; i < data.length; i++) if (!(Math.abs(data[i]) <= tol)) nnz++;
    const values = new Float32Array(nnz);
    const colIndices = new Int32Array(nnz);
    let k = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = data[r * cols + c];
        if (!(Math.abs(v) <= tol)) {
          values[k] = v;
          colIndices[k++] = c;
        }
      }
      rowPtr[r + 1] = k;
    }
    return new CsrTensor([rows, cols], values, colIndices, rowPtr);
  }

  /** Builds CSR from a dense 2-D tensor (reads it back; works on every backend). */
  static async fromDense(x: Tensor, tol = 0): Promise<CsrTensor> {
    assertTensor('CsrTensor.fromDense', 'x', x);
    if (x.rank !== 2) throw new ShapeError('CsrTensor.fromDense', `x must be 2-D, got ${formatShape(x.shape)}`);
    return CsrTensor.fromArray(await x.data(), [x.shape[0], x.shape[1]], tol);
  }

  /** Synchronous {@link CsrTensor.fromDense} (not on WebGPU). */
  static fromDenseSync(x: Tensor, tol = 0): CsrTensor {
    assertTensor('CsrTensor.fromDenseSync', 'x', x);
    if (x.rank !== 2) throw new ShapeError('CsrTensor.fromDenseSync', `x must be 2-D, got ${formatShape(x.shape)}`);
    return CsrTensor.fromArray(x.dataSync(), [x.shape[0], x.shape[1]], tol);
  }

  /** The dense row-major values. */
  toArray(): Float32Array {
    const [rows, cols] = this.shape;
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let p = this.rowPtr[r]; p < this.rowPtr[r + 1]; p++) out[r * cols + this.colIndices[p]] = this.values[p];
    }
    return out;
  }

  /** The dense tensor. */
  toDense(): Tensor {
    checkSize('CsrTensor.toDense', 'the dense matrix', this.shape);
    return hostTensor([this.shape[0], this.shape[1]], this.toArray());
  }

  /** Largest number of non-zeros in one row (the product kernel's loop bound). */
  get maxRowNnz(): number {
    let m = 0;
    for (let r = 0; r < this.shape[0]; r++) m = Math.max(m, this.rowPtr[r + 1] - this.rowPtr[r]);
    return m;
  }
}

/**
 * Sparse × dense product: A (CSR, [m, k]) · B (dense, [k, n]) → dense [m, n]. Each output
 * cell walks only its row's non-zeros, so the work is nnz·n instead of m·k·n.
 */
export function spmm(a: CsrTensor, b: Tensor): Tensor {
  if (!(a instanceof CsrTensor)) throw new ValueError('spmm', `a must be a CsrTensor, got ${describeValue(a)}`);
  assertTensor('spmm', 'b', b);
  const [m, k] = a.shape;
  if (b.rank !== 2 || b.shape[0] !== k) {
    throw new ShapeError(
      'spmm',
      `b must be [${k}, n] to multiply a ${formatShape(a.shape)}, got ${formatShape(b.shape)}`,
    );
  }
  const n = b.shape[1];
  checkSize('spmm', 'the result', [m, n]);
  checkSize('spmm', 'the stored entries of a', [a.nnz]);
  // No stored entries (k = 0 included): zeros, with no kernel reading empty inputs.
  if (a.nnz === 0) return elementwise([m, n], [0], ([zero]) => zero);
  const vals = hostTensor([a.nnz], a.values);
  const cols = hostTensor([a.nnz], Float32Array.from(a.colIndices));
  const ptr = hostTensor([m + 1], Float32Array.from(a.rowPtr));
  const out = runKernel(SPMM, { vals, cols, ptr, b, m, n, maxRowNnz: a.maxRowNnz });
  vals.dispose();
  cols.dispose();
  ptr.dispose();
  return out;
}

/**
 * The parameters of the `'spmm'` kernel: A's CSR arrays as tensors (values, column indices,
 * row pointers), dense `b`, the [m, n] result, and A's longest row. @internal
 */
export interface SpmmParams {
  vals: Tensor;
  cols: Tensor;
  ptr: Tensor;
  b: Tensor;
  m: number;
  n: number;
  maxRowNnz: number;
}

const SPMM = defineKernel<SpmmParams>('spmm', ({ vals, cols, ptr, b, m, n, maxRowNnz }) => {
  const lines = [
    'const o = this.thread.x;',
    ...divmod('row', 'col', 'o', n, m * n),
    'const start = a2[row];',
    'const end = a2[row + 1];',
    'let sum = 0.0;',
    `for (let p = 0; p < ${maxRowNnz}; p++) {`,
    '  const q = start + p;',
    `  if (q < end) { sum += a0[q] * a3[a1[q] * ${n} + col]; }`,
    '}',
    'return sum;',
  ];
  return kernelOp([m, n], `function(a0, a1, a2, a3) {\n  ${lines.join('\n  ')}\n}`, [vals, cols, ptr, b]);
});
