import * as T from '@sparsekit/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as A from '../src/index.js';

// Backends to compare; SPARSEKIT_PARITY_BACKENDS adds headlessgl (under xvfb-run), as in
// the tensor package's parity suite.
const backends = (process.env.SPARSEKIT_PARITY_BACKENDS ?? 'cpu,webasm,wasm')
  .split(',')
  .map((b) => b.trim()) as T.BackendName[];

// The same training code (20 SGD steps on an MLP) on each backend.
function train(): number[] {
  const model = A.mlp([20, 32, 5], { seed: 7 });
  const x = T.randn([64, 20], { seed: 11 });
  const labels = T.randint(0, 5, [64], { seed: 12 });
  const losses: number[] = [];
  for (let i = 0; i < 20; i++) {
    model.zeroGrad();
    const loss = A.tidy(() => {
      const l = A.softmaxCrossEntropy(model.forward(x), labels);
      l.backward();
      for (const p of model.parameters()) p.assign(T.sub(p.value, T.mul(p.grad!, 0.1)).materializeSync());
      return l.value;
    });
    losses.push(loss.dataSync()[0]);
    loss.dispose();
  }
  model.zeroGrad();
  model.dispose();
  x.dispose();
  labels.dispose();
  return losses;
}

const results = new Map<string, number[]>();

for (const backend of backends) {
  describe(`training on ${backend}`, () => {
    beforeAll(() => {
      T.setBackend(backend);
      if (T.getBackend().name !== backend) throw new Error(`asked for ${backend}, got ${T.getBackend().name}`);
    });
    afterAll(() => T.disposeBackend());
    it('runs 20 SGD steps with a decreasing loss', () => {
      const losses = train();
      results.set(backend, losses);
      expect(losses[19]).toBeLessThan(losses[0]);
    });
  });
}

describe('across backends', () => {
  it(`losses after 20 steps agree within float32 tolerance (${backends.join(', ')})`, () => {
    const ref = results.get(backends[0])!;
    for (const b of backends.slice(1)) {
      const got = results.get(b)!;
      // Different summation orders give float32 rounding differences that 20 steps of SGD
      // carry along; 1e-4 relative is far above them and far below any real bug.
      for (let i = 0; i < 20; i++)
        expect(Math.abs(got[i] - ref[i]) / Math.abs(ref[i]), `${b} step ${i}`).toBeLessThan(1e-4);
    }
  });
});
