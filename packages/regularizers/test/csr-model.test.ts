import * as A from '@sparsekit/autograd';
import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { CsrModel, GatedLinear, magnitudePrune, toCsr } from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});

describe('toCsr', () => {
  it('stores only the non-zeros and predicts what the dense model does, to 1e-5', async () => {
    const model = A.mlp([40, 30, 20, 5], { activation: 'leakyRelu', seed: 1 });
    await magnitudePrune(model, { sparsity: 0.9 });
    for (const l of model.layers)
      if (l instanceof A.Linear) l.bias!.assign(T.rand([l.outFeatures], { seed: 2, low: -0.1, high: 0.1 }));
    const csr = await toCsr(model);
    expect(csr).toBeInstanceOf(CsrModel);
    const nnzWeights = [1200, 600, 100].reduce((n, size) => n + size - Math.round(0.9 * size), 0);
    expect(csr.nnz).toBe(nnzWeights + 30 + 20 + 5);
    // float32 values + int32 column indices per non-zero, int32 row pointers (rows + 1), float32 biases.
    expect(csr.bytes).toBe(8 * nnzWeights + 4 * (31 + 21 + 6) + 4 * 55);
    expect(csr.denseBytes).toBe(4 * (1200 + 600 + 100 + 55));
    expect([csr.inFeatures, csr.outFeatures]).toEqual([40, 5]);
    for (const batch of [1, 7]) {
      const x = T.rand([batch, 40], { seed: batch, low: -1, high: 1 });
      const dense = model.forward(x).value.dataSync();
      const sparse = csr.predict(x).dataSync();
      expect(sparse.length).toBe(dense.length);
      dense.forEach((v, i) => expect(Math.abs(sparse[i] - v)).toBeLessThanOrEqual(1e-5));
    }
    csr.dispose();
  });

  it('takes gated layers in eval form and drops dropout', async () => {
    const gated = new GatedLinear(6, 4, { seed: 3 });
    gated.gate.logAlpha.assign(T.tensor([-5, 1, 2, -5, 0.5, 3]));
    const model = new A.Sequential(gated, new A.ReLU(), new A.Dropout(0.5), new A.Linear(4, 2, { seed: 4 })).eval();
    const csr = await toCsr(model);
    expect(csr.layers[0].weight.nnz).toBe(16);
    expect(csr.layers[0].activations.map((m) => m.constructor.name)).toEqual(['ReLU']);
    const x = T.rand([3, 6], { seed: 5 });
    const dense = model.forward(x).value.dataSync();
    csr
      .predict(x)
      .dataSync()
      .forEach((v, i) => expect(Math.abs(v - dense[i])).toBeLessThanOrEqual(1e-5));
  });

  it('outlives a tidy scope it was built in', async () => {
    const model = A.mlp([3, 2], { seed: 6 });
    let csr!: CsrModel;
    await T.tidyAsync(async () => {
      csr = await toCsr(model);
    });
    const x = T.tensor([[1, 2, 3]]);
    expect(Array.from(csr.predict(x).dataSync())).toEqual(Array.from(model.forward(x).value.dataSync()));
  });

  it('rejects wrong inputs with typed errors', async () => {
    const csr = await toCsr(A.mlp([3, 2]));
    expect(() => csr.predict(T.zeros([2, 4]))).toThrow(
      /CsrModel.predict: x must be a \[batch, 3\] tensor, got \[2, 4\]/,
    );
    expect(() => csr.predict(T.zeros([3]))).toThrow(T.ValueError);
    await expect(toCsr(new A.Linear(2, 2))).rejects.toThrow(/toCsr: model must be a Sequential/);
  });
});
