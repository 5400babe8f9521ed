import { checkOptions, describeValue, formatShape, ShapeError, ValueError } from './errors.js';
import { assertTensor, elementwise, kernelOp } from './internal.js';
import { defineKernel, runKernel } from './kernels/registry.js';
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
 * two dimensions. One kernel (`'matmul'` in the kernel registry); each output cell is a dot
 * product over k.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  assertTensor('matmul', 'a', a);
  assertTensor('matmul', 'b', b);
  checkOptions('matmul', options, MATMUL_KEYS);
  for (const key of MATMUL_KEYS) {
    const v = options[key];
    if (v !== undefined && typeof v !== 'boolean')
      throw new ValueError('matmul', `options.${key} must be a boolean, got ${describeValue(v)}`);
  }
  const ta = options.transposeA === true;
  const tb = options.transposeB === true;
  if (a.rank < 2 || a.rank > 3 || b.rank < 2 || b.rank > 3) {
    throw new ShapeError(
      'matmul',
      `a and b must be 2-D or 3-D, got a ${formatShape(a.shape)} and b ${formatShape(b.shape)}`,
    );
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
  return runKernel(MATMUL, { a, b, m, n, k, ta, tb, batch, batchA, batchB, outShape });
}

/** The parameters of the `'matmul'` kernel: checked operands and their product's dimensions. @internal */
export interface MatmulParams {
  a: Tensor;
  b: Tensor;
  m: number;
  n: number;
  k: number;
  ta: boolean;
  tb: boolean;
  batch: number;
  batchA: number;
  batchB: number;
  outShape: number[];
}

// One thread per output cell, a dot product over k with a literal bound.
const MATMUL = defineKernel<MatmulParams>('matmul', ({ a, b, m, n, k, ta, tb, batch, batchA, batchB, outShape }) => {
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
  return kernelOp(outShape, `function(a0, a1) {\n  ${lines.join('\n  ')}\n}`, [a, b]);
});
