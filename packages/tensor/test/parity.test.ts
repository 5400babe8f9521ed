import { afterAll, beforeAll, describe, it } from 'vitest';
import * as T from '../src/index.js';
import { parityCases } from './parity/cases.js';

// Backends to prove here; .ci/run adds `headlessgl` under xvfb and the browser lanes.
const backends = (process.env.SPARSEKIT_PARITY_BACKENDS ?? 'cpu,webasm,wasm')
  .split(',')
  .map((b) => b.trim()) as T.BackendName[];

for (const backend of backends) {
  describe(`parity on ${backend}`, () => {
    beforeAll(() => {
      T.setBackend(backend);
      if (T.getBackend().name !== backend) throw new Error(`asked for ${backend}, got ${T.getBackend().name}`);
    });
    afterAll(() => T.disposeBackend());
    for (const c of parityCases(T)) it(c.name, c.run);
  });
}
