import { describeValue, ValueError } from './errors.js';
import { assertTensor, axisArg, elementwise, kernelOp } from './internal.js';
import { defineKernel, runKernel } from './kernels/registry.js';
import { normL2 } from './reduce.js';
import { checkSize, divmod, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

// Groups up to this size rank each cell against its group directly (O(n²) per group, one
// kernel); larger groups are sorted by a bitonic network (O(n log² n), 2 kernels a pass).
const DIRECT_RANK_MAX = 2048;

/**
 * A 0/1 mask keeping the `k` largest magnitudes, over the whole tensor or within each
 * slice along `axis` (e.g. `axis: -1` keeps k per row): exactly min(k, n) ones per group.
 * Order: larger |x| first, NaN above everything, ties to the lower index. Small groups
 * rank each cell against the group in one kernel; large ones (e.g. a whole 784×128 layer)
 * are sorted by a bitonic network of kernels, then compared with the k-th entry.
 */
export function topKMask(x: Tensor, k: number, axis?: number | { axis?: number }): Tensor {
  assertTensor('topKMask', 'x', x);
  if (!Number.isInteger(k) || k < 0)
    throw new ValueError('topKMask', `k must be a non-negative integer, got ${describeValue(k)}`);
  const ax = axisArg('topKMask', x, axis, ['axis']).axis;
  let len = x.size;
  let inner = 1;
  if (ax !== undefined) {
    len = x.shape[ax];
    inner = sizeOf(x.shape.slice(ax + 1));
  }
  if (k >= len) return elementwise(x.shape, [x], () => '1.0');
  if (k === 0) return elementwise(x.shape, [x], () => '0.0');
  return len <= DIRECT_RANK_MAX ? rankDirect(x, k, len, inner) : rankBySort(x, k, len, inner);
}

// The sort key of a value: |x|, with NaN mapped to +Inf (passed in as s0) so it ranks first.
const key = (v: string): string => `(${v} != ${v} ? s0 : Math.abs(${v}))`;

function rankDirect(x: Tensor, k: number, len: number, inner: number): Tensor {
  return runKernel(RANK_DIRECT, { x, k, len, inner });
}

/** Parameters of the `topKRank` kernel: x's cells in groups of `len` cells `inner` apart. @internal */
export interface TopKParams {
  readonly x: Tensor;
  readonly k: number;
  readonly len: number;
  readonly inner: number;
}

// Each cell counts the cells of its group that outrank it: O(len) a cell, one kernel.
const RANK_DIRECT = defineKernel<TopKParams>('topKRank', ({ x, k, len, inner }) => {
  const lines = [
    'const o = this.thread.x;',
    ...divmod('outer', 'rest', 'o', len * inner, x.size),
    ...divmod('j', 'jr', 'rest', inner, x.size),
    `const base = outer * ${len * inner} + jr;`,
    `const m = ${key('a0[o]')};`,
    'let rank = 0.0;',
    `for (let p = 0; p < ${len}; p++) {`,
    `  const v = a0[base + p * ${inner}];`,
    `  const q = ${key('v')};`,
    '  if (q > m || (q == m && p < j)) { rank += 1.0; }',
    '}',
    `return rank < ${k}.0 ? 1.0 : 0.0;`,
  ];
  return kernelOp(x.shape, `function(a0, s0) {\n  ${lines.join('\n  ')}\n}`, [x], [Infinity]);
});

function rankBySort(x: Tensor, k: number, len: number, inner: number): Tensor {
  const groups = x.size / len;
  let P = 1;
  while (P < len) P *= 2;
  checkSize('topKMask', `the sort buffers (${groups} groups of ${len} padded to ${P}), shape`, [groups, P]);
  // Cell (g, l) of the sort buffers holds element l of group g; padding sorts last (key −1).
  const at = (g: string, l: string): string =>
    `Math.floor((${g} + 0.5) / ${inner}) * ${len * inner} + ${l} * ${inner} + (${g} - Math.floor((${g} + 0.5) / ${inner}) * ${inner})`;
  const head = ['const c = this.thread.x;', ...divmod('g', 'l', 'c', P, groups * P)];
  const initKey = `function(a0, s0) {\n  ${[...head, `if (l >= ${len}) { return -1.0; }`, `const v = a0[${at('g', 'l')}];`, `return ${key('v')};`].join('\n  ')}\n}`;
  let keys = kernelOp([groups * P], initKey, [x], [Infinity]);
  let idx = kernelOp([groups * P], `function(a0) {\n  ${[...head, 'return l;'].join('\n  ')}\n}`, [x]);
  // One compare-exchange pass of the network, (block size s1, distance s0) as arguments so
  // every pass reuses the same two compiled kernels. Descending by key, ties by index.
  const pass = (want: 'key' | 'index'): string =>
    `function(a0, a1, s0, s1) {\n  ${[
      ...head,
      // Which half of its block (size s1) and of its pair (distance s0) the cell is in.
      ...divmod('blk', null, 'l', 's1', P),
      ...divmod('blkHalf', 'blkOdd', 'blk', '2.0', P),
      'const up = blkOdd < 0.5;',
      ...divmod('pair', null, 'l', 's0', P),
      ...divmod('pairHalf', 'pairOdd', 'pair', '2.0', P),
      'const lowHalf = pairOdd < 0.5;',
      'const p = lowHalf ? l + s0 : l - s0;',
      'const ka = a0[c];',
      'const kb = a0[c + p - l];',
      'const ia = a1[c];',
      'const ib = a1[c + p - l];',
      'const aFirst = ka > kb || (ka == kb && ia < ib);',
      'const takeA = (lowHalf == up) == aFirst;',
      `return takeA ? ${want === 'key' ? 'ka' : 'ia'} : ${want === 'key' ? 'kb' : 'ib'};`,
    ].join('\n  ')}\n}`;
  const keyPass = pass('key');
  const indexPass = pass('index');
  for (let size = 2; size <= P; size *= 2) {
    for (let dist = size / 2; dist >= 1; dist /= 2) {
      const nk = kernelOp([groups * P], keyPass, [keys, idx], [dist, size]);
      const ni = kernelOp([groups * P], indexPass, [keys, idx], [dist, size]);
      keys.dispose();
      idx.dispose();
      keys = nk;
      idx = ni;
    }
  }
  // Keep x where its key beats the k-th entry of its group's sorted order.
  const mask = [
    'const o = this.thread.x;',
    ...divmod('outer', 'rest', 'o', len * inner, x.size),
    ...divmod('j', 'jr', 'rest', inner, x.size),
    `const g = outer * ${inner} + jr;`,
    `const t = a1[g * ${P} + ${k - 1}];`,
    `const ti = a2[g * ${P} + ${k - 1}];`,
    `const m = ${key('a0[o]')};`,
    'return (m > t || (m == t && j <= ti)) ? 1.0 : 0.0;',
  ];
  const out = kernelOp(x.shape, `function(a0, a1, a2, s0) {\n  ${mask.join('\n  ')}\n}`, [x, keys, idx], [Infinity]);
  keys.dispose();
  idx.dispose();
  return out;
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
  // Checked before columnNorms creates anything: a rejected call leaves nothing behind.
  if (typeof eps !== 'number' || !(eps >= 0) || eps === Infinity)
    throw new ValueError('normalizeColumns', `eps must be a finite number >= 0, got ${describeValue(eps)}`);
  const norms = columnNorms(x);
  const out = elementwise(x.shape, [x, norms, eps], ([v, n, e]) => `(${n} > ${e} ? ${v} / ${n} : ${v})`);
  norms.dispose();
  return out;
}
