import { ValueError } from './errors.js';
import { assertTensor, elementwise, kernelOp } from './internal.js';
import { normL2 } from './reduce.js';
import { normalizeAxis, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * A 0/1 mask keeping the `k` largest magnitudes, over the whole tensor or within each
 * slice along `axis` (e.g. `axis: -1` keeps k per row). Ties keep the lower index, so
 * exactly min(k, n) ones per group. Each cell ranks itself against its group, O(n²) per
 * group: meant for groups up to a few thousand elements (rows, filters, atoms).
 */
export function topKMask(x: Tensor, k: number, options: { axis?: number } = {}): Tensor {
  assertTensor('topKMask', 'x', x);
  if (!Number.isInteger(k) || k < 0) throw new ValueError('topKMask', `k must be a non-negative integer, got ${k}`);
  let len = x.size;
  let inner = 1;
  if (options.axis !== undefined) {
    const ax = normalizeAxis('topKMask', options.axis, x.rank);
    len = x.shape[ax];
    inner = sizeOf(x.shape.slice(ax + 1));
  }
  if (k >= len) return elementwise(x.shape, [x], ([v]) => `(${v} - ${v} + 1.0)`);
  const lines = [
    'const o = this.thread.x;',
    `const outer = Math.floor((o + 0.5) / ${len * inner});`,
    `const rest = o - outer * ${len * inner};`,
    `const j = Math.floor((rest + 0.5) / ${inner});`,
    `const base = outer * ${len * inner} + (rest - j * ${inner});`,
    'const m = Math.abs(a0[o]);',
    'let rank = 0.0;',
    `for (let p = 0; p < ${len}; p++) {`,
    `  const q = Math.abs(a0[base + p * ${inner}]);`,
    '  if (q > m || (q == m && p < j)) { rank += 1.0; }',
    '}',
    `return rank < ${k}.0 ? 1.0 : 0.0;`,
  ];
  return kernelOp(x.shape, `function(a0) {\n  ${lines.join('\n  ')}\n}`, [x]);
}

/** L2 norm of each column of a 2-D tensor, shape [1, n]. */
export function columnNorms(x: Tensor): Tensor {
  assertTensor('columnNorms', 'x', x);
  if (x.rank !== 2) throw new ValueError('columnNorms', `x must be 2-D, got rank ${x.rank}`);
  return normL2(x, { axis: 0, keepDims: true });
}

/**
 * Scales each column of a 2-D tensor to unit L2 norm; columns with norm below `eps`
 * (default 1e-12) are left as they are instead of blowing up.
 */
export function normalizeColumns(x: Tensor, eps = 1e-12): Tensor {
  const norms = columnNorms(x);
  if (!(eps >= 0)) throw new ValueError('normalizeColumns', `eps must be >= 0, got ${eps}`);
  const out = elementwise(x.shape, [x, norms, eps], ([v, n, e]) => `(${n} > ${e} ? ${v} / ${n} : ${v})`);
  norms.dispose();
  return out;
}
