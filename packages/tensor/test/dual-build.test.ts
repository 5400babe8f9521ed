import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 8, item 13: the ESM and CJS builds loaded in one process share one backend, one memory
// count and one tidy stack, and accept each other's tensors and errors. It runs the built
// dist/ in a child process (vitest would transform the sources): run `pnpm build` first.
const dist = fileURLToPath(new URL('../dist/index.cjs', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/dual-build.mjs', import.meta.url));

describe('ESM and CJS builds in one process', () => {
  it('is built', () => {
    expect(existsSync(dist), 'dist/index.cjs is missing: run `pnpm build` in packages/tensor').toBe(true);
  });

  it('share one backend and one memory count, mix tensors in one op, and recognise each other', () => {
    const r = spawnSync(process.execPath, [script], {
      encoding: 'utf8',
      env: { ...process.env, SPARSEKIT_BACKEND: '' },
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.distinctCopies).toBe(true);
    expect(out.oneBackend).toBe(true);
    expect(out.backendSeenByCjs).toBe('cpu');
    expect(out.isTensor).toEqual([true, true, true, true]);
    expect(out.instanceOf).toEqual([true, true]);
    expect(out.esmOp).toEqual([11, 22, 33]);
    expect(out.cjsOp).toEqual([10, 40, 90]);
    expect(out.chained).toEqual([60 - 12]);
    expect(out.printed).toBe('Tensor([2, 3, 4], shape=[3])');
    expect(out.spmmAcrossCopies).toEqual([2, 2, 3, 3]);
    expect(out.memory[0]).toBe(out.memory[1]);
    expect(out.tidyAcrossCopies).toEqual({ netNewTensors: 1, kept: [2, 2] });
    expect(out.crossErrors).toMatchObject({
      name: 'ShapeError',
      error: 'sum: axis 5 is out of range for x of shape [3]; expected an integer in [-1, 0]',
      esmShapeError: true,
      cjsShapeError: true,
      esmBase: true,
      cjsBase: true,
    });
    expect(out.afterCjsSetBackend.sameBackend).toBe(true);
    expect(out.afterCjsSetBackend.staleTensor).toMatchObject({
      name: 'BackendError',
      esmBackendError: true,
      cjsBackendError: true,
    });
  });
});
