import { ShapeError, formatShape } from './errors.js';
import { assertTensor } from './internal.js';
import { kernelOp } from './internal.js';
import type { Tensor } from './tensor.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use aᵀ (the last two dimensions swapped). */
  transposeA?: boolean;
  /** Use bᵀ (the last two dimensions swapped). */
  transposeB?: boolean;
}

/**
 * Matrix product. 2-D: [m, k] · [k, n] → [m, n]. 3-D (batched): [B, m, k] · [B, k, n] →
 * [B, m, n], where a 2-D operand is shared by every batch. Transpose flags apply to the last
 * two dimensions. One kernel; each output cell is a dot product over k, and each group of
 * four consecutive columns reads contiguous rows of b, which webasm runs as one f32x4 lane.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  assertTensor('matmul', 'a', a);
  assertTensor('matmul', 'b', b);
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
  const batch = Math.max(batchA, batchB);
  const outShape = a.rank === 3 || b.rank === 3 ? [batch, m, n] : [m, n];
  const mn = m * n;
  const aIdx = ta ? `aBase + p * ${m} + row` : `aBase + row * ${k} + p`;
  const bIdx = tb ? `bBase + col * ${k} + p` : `bBase + p * ${n} + col`;
  const lines = [
    'const o = this.thread.x;',
    batch > 1 ? `const bi = Math.floor((o + 0.5) / ${mn});` : 'const bi = 0;',
    `const r = o - bi * ${mn};`,
    `const row = Math.floor((r + 0.5) / ${n});`,
    `const col = r - row * ${n};`,
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
