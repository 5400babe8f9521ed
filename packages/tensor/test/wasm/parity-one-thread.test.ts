// The backend-parity suite on the wasm backend with one thread (the non-shared build); the
// main parity suite (test/parity.test.ts) runs it with the default pool of worker threads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { current } from '../../src/backend.js';
import * as T from '../../src/index.js';
import { parityCases } from '../parity/cases.js';

describe('parity on wasm, one thread', () => {
  beforeAll(() => {
    process.env.SPARSEKIT_WASM_THREADS = '1';
    T.setBackend('wasm');
  });
  afterAll(() => {
    delete process.env.SPARSEKIT_WASM_THREADS;
    T.disposeBackend();
  });
  it('runs without worker threads', () => {
    expect(T.getBackend().name).toBe('wasm');
    expect((current().adapter as unknown as { threads: number }).threads).toBe(1);
  });
  for (const c of parityCases(T)) it(c.name, c.run);
});
