import * as A from '@sparsekit/autograd';
import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { compact, toCsr } from '../src/index.js';
import { l1 } from '../src/l1.js';

beforeAll(() => {
  T.setBackend('cpu');
});

/** Seeded 3-class data: the label depends on 4 of 16 features; the rest is noise. */
function dataset(n: number, seed: number): { x: T.Tensor; y: number[] } {
  const rng = new T.Random(seed);
  const x = new Float32Array(n * 16);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 16; j++) x[i * 16 + j] = rng.normal();
    const a = x[i * 16] + x[i * 16 + 1];
    const b = x[i * 16 + 2] - x[i * 16 + 3];
    y.push(a > 0.5 ? 0 : b > 0 ? 1 : 2);
  }
  return { x: T.tensor(x, [n, 16]), y };
}

describe('a sparse MLP trained with an L1 prox', () => {
  it('reaches exact zeros, and its CSR and compacted forms predict the same as the dense model to 1e-5', async () => {
    const { x, y } = dataset(256, 1);
    const model = A.mlp([16, 24, 3], { seed: 2 });
    const lr = 0.2;
    const penalty = l1(1e-2);
    const weights = [...model.namedParameters()].filter(([n]) => n.endsWith('weight')).map(([, p]) => p);
    for (let step = 0; step < 300; step++) {
      model.zeroGrad();
      A.softmaxCrossEntropy(model.forward(x), y).backward();
      // Proximal gradient (ISTA): a gradient step, then the prox of lr·λ‖w‖₁ on the weights.
      for (const p of model.parameters()) {
        const moved = T.sub(p.value, T.mul(p.grad!, lr));
        p.assign(weights.includes(p) ? penalty.prox(moved, lr) : moved);
      }
      T.materializeAllSync(model.parameters().map((p) => p.value));
    }
    model.eval();
    const logits = model.forward(x).value;
    const predicted = T.argmax(logits, { axis: 1 }).dataSync();
    const accuracy = y.filter((c, i) => predicted[i] === c).length / y.length;
    expect(accuracy).toBeGreaterThan(0.85);
    const w0 = weights[0].value.dataSync();
    const zeros = w0.filter((v) => v === 0).length;
    expect(zeros / w0.length).toBeGreaterThan(0.6);
    // The 12 noise features lose most of their first-layer weights, more than the 4 informative ones.
    let noiseZeros = 0;
    for (let i = 0; i < 24; i++) for (let j = 4; j < 16; j++) if (w0[i * 16 + j] === 0) noiseZeros++;
    expect(noiseZeros / (24 * 12)).toBeGreaterThan(0.75);
    expect(noiseZeros / (24 * 12)).toBeGreaterThan((zeros - noiseZeros) / (24 * 4));

    const dense = logits.dataSync();
    const csr = await toCsr(model);
    expect(csr.nnz).toBeLessThan(model.parameterCount());
    const small = await compact(model);
    expect(small.parameterCount()).toBeLessThanOrEqual(model.parameterCount());
    for (const out of [csr.predict(x).dataSync(), small.forward(x).value.dataSync()]) {
      dense.forEach((v, i) => expect(Math.abs(out[i] - v)).toBeLessThanOrEqual(1e-5));
    }
  });
});
