import { backendName } from './backend.js';
import { ShapeError, ValueError, checkOptions, describeValue, formatShape } from './errors.js';
import { assertTensor, elementwise, kernelOp } from './internal.js';
import { checkSize, divmod } from './shape.js';
import type { Tensor } from './tensor.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use aᵀ (the last two dimensions swapped). */
  transposeA?: boolean;
  /** Use bᵀ (the last two dimensions swapped). */
  transposeB?: boolean;
}

const MATMUL_KEYS = ['transposeA', 'transposeB'] as const;

/**
 * Matrix product. 2-D: [m, k] · [k, n] → [m, n]. 3-D (batched): [B, m, k] · [B, k, n] →
 * [B, m, n], where a 2-D operand is shared by every batch. Transpose flags apply to the last
 * two dimensions. One kernel; each output cell is a dot product over k, and each group of
 * four consecutive columns reads contiguous rows of b, which webasm runs as one f32x4 lane.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  assertTensor('matmul', 'a', a);
  assertTensor('matmul', 'b', b);
  checkOptions('matmul', options, MATMUL_KEYS);
  for (const key of MATMUL_KEYS) {
    const v = options[key];
    if (v !== undefined && typeof v !== 'boolean') throw new ValueError('matmul', `options.${key} must be a boolean, got ${describeValue(v)}`);
  }
  const ta = options.transposeA === true;
  const tb = options.transposeB === true;
  if (a.rank < 2 || a.rank > 3 || b.rank < 2 || b.rank > 3) {
    throw new ShapeError('matmul', `a and b must be 2-D or 3-D, got a ${formatShape(a.shape)} and b ${formatShape(b.shape)}`);
  }
  const batchA = a.rank === 3 ? a.shape[0] : 1;
  const batchB = b.rank === 3 ? b.shape[0] : 1;
  if (a.rank === 3 && b.rank === 3 && batchA !== batchB) {
    throw new ShapeError('matmul', `batch sizes differ: a ${formatShape(a.shape)}, b ${formatShape(b.shape)}`);
  }
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = ta ? ac : ar;
  const k = ta ? ar : ac;
  const kb = tb ? bc : br;
  const n = tb ? br : bc;
  if (k !== kb) {
    throw new ShapeError(
      'matmul',
      `inner dimensions differ: a${ta ? 'ᵀ' : ''} is ${m}×${k} (a ${formatShape(a.shape)}), b${tb ? 'ᵀ' : ''} is ${kb}×${n} (b ${formatShape(b.shape)})`,
    );
  }
  // A 2-D operand is shared by every batch of the other, including an empty batch.
  const batch = a.rank === 3 ? batchA : batchB;
  const outShape = a.rank === 3 || b.rank === 3 ? [batch, m, n] : [m, n];
  checkSize('matmul', 'the result', outShape);
  // An empty inner dimension is an empty sum: zeros, with no kernel reading empty inputs.
  if (k === 0) return elementwise(outShape, [0], ([zero]) => zero);
  if (batch === 1 && outShape.length === 2 && m % 4 === 0 && k % 4 === 0 && k > 0 && backendName() === 'webasm') {
    return webasmMatmul(a, b, m, n, k, ta, tb);
  }
  const mn = m * n;
  const aIdx = ta ? `aBase + p * ${m} + row` : `aBase + row * ${k} + p`;
  const bIdx = tb ? `bBase + col * ${k} + p` : `bBase + p * ${n} + col`;
  const cells = batch * mn;
  const lines = [
    'const o = this.thread.x;',
    ...(batch > 1 ? divmod('bi', 'r', 'o', mn, cells) : ['const bi = 0;', 'const r = o;']),
    ...divmod('row', 'col', 'r', n, cells),
    `const aBase = ${batchA > 1 ? `bi * ${m * k}` : '0'};`,
    `const bBase = ${batchB > 1 ? `bi * ${k * n}` : '0'};`,
    'let sum = 0.0;',
    `for (let p = 0; p < ${k}; p++) {`,
    `  sum += a0[${aIdx}] * a1[${bIdx}];`,
    '}',
    'return sum;',
  ];
  const source = `function(a0, a1) {\n  ${lines.join('\n  ')}\n}`;
  return kernelOp(outShape, source, [a, b]);
}

/**
 * The webasm formulation (measured ~5× the one-cell-per-thread kernel single-threaded, more
 * threaded): each thread computes four rows of one column, returned as an Array(4), with k
 * unrolled by four. The thread's row block (`thread.y`) is uniform across the SIMD lanes, so
 * reads of a are one load and a splat; indices are written from `this.thread.*` and `(k|0)`
 * inline because webasm keeps declared integer locals in f32. The raw [n, m/4]×4 result is
 * laid out row-major on the host.
 */
function webasmMatmul(a: Tensor, b: Tensor, m: number, n: number, k: number, ta: boolean, tb: boolean): Tensor {
  const U = 4;
  const aIdx = (r: number, u: number): string =>
    ta ? `(k|0) * ${U * m} + ${u * m + r} + this.thread.y * 4` : `this.thread.y * ${4 * k} + (k|0) * ${U} + ${r * k + u}`;
  const bIdx = (u: number): string => (tb ? `this.thread.x * ${k} + (k|0) * ${U} + ${u}` : `(k|0) * ${U * n} + this.thread.x + ${u * n}`);
  let body = '';
  for (let u = 0; u < U; u++) {
    body += `    const b${u} = a1[${bIdx(u)}];\n`;
    for (let r = 0; r < 4; r++) body += `    s${r} += a0[${aIdx(r, u)}] * b${u};\n`;
  }
  const source = `function(a0, a1) {\n  let s0 = 0.0;\n  let s1 = 0.0;\n  let s2 = 0.0;\n  let s3 = 0.0;\n  for (let k = 0; k < ${k / U}; k++) {\n${body}  }\n  return [s0, s1, s2, s3];\n}`;
  const post = (d: Float32Array): Float32Array => {
    const out = new Float32Array(m * n);
    for (let g = 0; g < m / 4; g++) {
      const o = 4 * g * n;
      const src = g * n * 4;
      for (let j = 0; j < n; j++) {
        const q = src + 4 * j;
        out[o + j] = d[q];
        out[o + n + j] = d[q + 1];
        out[o + 2 * n + j] = d[q + 2];
        out[o + 3 * n + j] = d[q + 3];
      }
    }
    return out;
  };
  return kernelOp([m, n], source, [a, b], [], { key: `mm4:${m}x${n}x${k}`, output: [n, m / 4], lanes: 4, post });
}
