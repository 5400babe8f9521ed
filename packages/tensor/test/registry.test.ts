/**
 * The kernel registry (issue 11): an op names its kernel, and the registry alone picks the
 * builder for the current backend. A variant registered for a backend replaces the generic
 * source there without touching the op, and declines parameters it does not handle; kernel
 * constants travel in the program; no op or planner file asks which backend runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuse } from '../src/codegen.js';
import { EXP2_TABLE } from '../src/fastmath.js';
import * as T from '../src/index.js';
import { elementwise, kernelOp } from '../src/internal.js';
import { registerVariant } from '../src/kernels/registry.js';
import type { MatmulParams } from '../src/matmul.js';
import type { Tensor } from '../src/tensor.js';

describe('kernel registry on cpu', () => {
  beforeAll(() => {
    T.setBackend('cpu');
  });
  afterAll(() => T.disposeBackend());

  it('runs a variant registered for the current backend instead of the generic kernel, and only there', () => {
    const a = T.tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = T.tensor([
      [5, 6],
      [7, 8],
    ]);
    const seen: number[] = [];
    // A (deliberately different) matmul: 2·aᵀb, to show whose source ran.
    const off = registerVariant<MatmulParams>('matmul', 'cpu', ({ a: x, b: y, m, n, k }) => {
      seen.push(m * 100 + n * 10 + k);
      const lines = [
        `const row = Math.floor(this.thread.x / ${n});`,
        `const col = this.thread.x - row * ${n};`,
        'let s = 0.0;',
        `for (let p = 0; p < ${k}; p++) { s += a0[p * ${m} + row] * a1[p * ${n} + col]; }`,
        'return 2.0 * s;',
      ];
      return kernelOp([m, n], `function(a0, a1) {\n  ${lines.join('\n  ')}\n}`, [x, y]);
    });
    try {
      // aᵀb = [[26, 30], [38, 44]].
      expect(T.matmul(a, b).arraySync()).toEqual([
        [52, 60],
        [76, 88],
      ]);
      expect(seen).toEqual([222]);
    } finally {
      off();
    }
    expect(T.matmul(a, b).arraySync()).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(seen).toEqual([222]);
  });

  it('falls back to the family variant, then the generic kernel, when a variant declines', () => {
    const calls: string[] = [];
    const offBackend = registerVariant<MatmulParams>('matmul', 'cpu', () => {
      calls.push('cpu');
      return null;
    });
    const offFamily = registerVariant<MatmulParams>('matmul', 'gpujs', () => {
      calls.push('gpujs');
      return null;
    });
    try {
      expect(T.matmul(T.tensor([[1, 2]]), T.tensor([[3], [4]])).arraySync()).toEqual([[11]]);
      expect(calls).toEqual(['cpu', 'gpujs']);
    } finally {
      offFamily();
      offBackend();
    }
  });

  it('a fused kernel carries the constant tables its code reads (no marker search)', () => {
    const x = T.tensor([0, 1]);
    const e = elementwise([2], [x], ([v], ctx) => `(${ctx.table('p2', EXP2_TABLE)}[0.0] + ${v})`);
    const { program } = fuse(e as Tensor, { fastExp: false }, () => undefined);
    expect(program.constants).toEqual({ p2: EXP2_TABLE });
    expect(program.source).toContain('this.constants.p2[0.0]');
    // The polynomial exp (webasm's profile) reads 2ⁿ from the same table; Math.exp needs none.
    const ex = T.exp(x);
    expect(fuse(ex, { fastExp: true }, () => undefined).program.constants).toEqual({ p2: EXP2_TABLE });
    expect(fuse(ex, { fastExp: false }, () => undefined).program.constants).toBeUndefined();
  });
});

describe('backend knowledge stays in the registry, its adapters and backend.ts', () => {
  const dir = new URL('../src/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'backend.ts');
  it.each(files)('%s names no backend and no gpu.js internals', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    expect(text).not.toMatch(/backendName\(\)|info\.name === '|from 'gpu\.js'|_shapeOutput|constants\.p2/);
  });
});
