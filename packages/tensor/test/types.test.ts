/**
 * The published types show the API and nothing of the engine (issue 11): the executor's
 * slots, the kernel registry and the backend state are `@internal` and stripped from
 * dist/index.d.ts, and tensors have no public constructor. Reads the built types: run
 * `pnpm build` first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dts = fileURLToPath(new URL('../dist/index.d.ts', import.meta.url));

describe('dist/index.d.ts', () => {
  it('is built', () => {
    expect(existsSync(dts), 'dist/index.d.ts is missing: run `pnpm build` in packages/tensor').toBe(true);
  });

  it('declares Tensor with a private constructor and no internal slots', () => {
    const text = readFileSync(dts, 'utf8');
    const start = text.indexOf('declare class Tensor {');
    expect(start).toBeGreaterThanOrEqual(0);
    const body = text.slice(start, text.indexOf('\n}', start));
    expect(body).toContain('private constructor();');
    expect(body).not.toMatch(/\[(VALUE|OP|PENDING|DISPOSED|BACKEND)\]|\bmake\(|assertLive|: object\b/);
  });

  it('exports no registry, adapter or backend-state internals', () => {
    const text = readFileSync(dts, 'utf8');
    for (const name of [
      'BackendState',
      'KernelProgram',
      'OutputLayout',
      'BackendAdapter',
      'runKernel',
      'defineKernel',
      'kernelFor',
      'realizeSync',
    ]) {
      expect(text, name).not.toMatch(new RegExp(`\\b${name}\\b`));
    }
  });
});
