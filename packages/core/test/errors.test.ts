import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BackendError, formatShape, ShapeError, SparseKitError, sameShape, ValueError } from '../src/index.js';

describe('error vocabulary', () => {
  it('prefixes the message with the op and names the class', () => {
    const e = new ShapeError('matmul', 'a must be 2-D, got shape [3]');
    expect(e.message).toBe('matmul: a must be 2-D, got shape [3]');
    expect(e.op).toBe('matmul');
    expect(e.name).toBe('ShapeError');
    expect(new ValueError('f', 'x').name).toBe('ValueError');
    expect(new BackendError('f', 'x').name).toBe('BackendError');
  });

  it('every subclass is a SparseKitError and an Error, and no subclass is another', () => {
    for (const E of [ShapeError, ValueError, BackendError]) {
      const e = new E('f', 'bad');
      expect(e).toBeInstanceOf(SparseKitError);
      expect(e).toBeInstanceOf(Error);
      for (const Other of [ShapeError, ValueError, BackendError]) expect(e instanceof Other).toBe(Other === E);
    }
    expect(new Error('plain') instanceof SparseKitError).toBe(false);
    for (const x of [null, undefined, 1, 'ValueError', {}]) expect(x instanceof ValueError).toBe(false);
  });

  it('recognises an error from another copy by its registered brand and class name', () => {
    // What another loaded copy's ValueError looks like: its own classes, the same brand.
    const brand = Symbol.for('sparsekit.error');
    class OtherBase extends Error {
      get [brand](): true {
        return true;
      }
    }
    class ValueError2 extends OtherBase {}
    Object.defineProperty(ValueError2, 'name', { value: 'ValueError' });
    const foreign = new ValueError2('f: bad');
    expect(foreign instanceof ValueError).toBe(true);
    expect(foreign instanceof ShapeError).toBe(false);
    // Same class name without the brand is not enough.
    class ValueError3 extends Error {}
    Object.defineProperty(ValueError3, 'name', { value: 'ValueError' });
    expect(new ValueError3('f: bad') instanceof ValueError).toBe(false);
  });

  it('formats shapes as [d0, d1, …]', () => {
    expect(formatShape([2, 3])).toBe('[2, 3]');
    expect(formatShape([])).toBe('[]');
    expect(formatShape([0])).toBe('[0]');
  });
});

// The ESM and CJS builds loaded in one process: each recognises the other's errors. Runs the
// built dist/ in a child process (vitest would transform the sources): `pnpm build` first.
describe('ESM and CJS builds in one process', () => {
  const cjs = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));
  const esm = new URL('../dist/index.js', import.meta.url).href;

  it('is built', () => {
    expect(existsSync(cjs), 'dist/index.cjs is missing: run `pnpm build` in packages/core').toBe(true);
  });

  it("recognise each other's errors and tensors", () => {
    const script = `
      import { createRequire } from 'node:module';
      const esm = await import(${JSON.stringify(esm)});
      const cjs = createRequire(import.meta.url)(${JSON.stringify(cjs)});
      const e = new cjs.ShapeError('sum', 'bad axis');
      const tensorLike = Object.create({ get [Symbol.for('sparsekit.tensor')]() { return true; } });
      console.log(JSON.stringify([esm.ValueError !== cjs.ValueError, e instanceof esm.ShapeError, e instanceof esm.SparseKitError,
        e instanceof esm.ValueError, new esm.ValueError('f', 'x') instanceof cjs.ValueError, cjs.isTensor(tensorLike), esm.isTensor(tensorLike)]));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([true, true, true, false, true, true, true]);
  });
});

describe('sameShape', () => {
  it('compares shapes dimension by dimension, rank included', () => {
    expect(sameShape([2, 3], [2, 3])).toBe(true);
    expect(sameShape([], [])).toBe(true);
    expect(sameShape([2, 3], [3, 2])).toBe(false);
    expect(sameShape([2, 3], [2, 3, 1])).toBe(false);
    expect(sameShape([0], [0])).toBe(true);
  });
});
