import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import * as A from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});

function std(x: Float32Array): number {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / x.length);
}

describe('nn', () => {
  it('mlp([784, 128, 10]) names its parameters layers.i.weight/bias, weights [out, in]', () => {
    const model = A.mlp([784, 128, 10]);
    const named = [...model.namedParameters()].map(([n, p]) => [n, p.shape]);
    expect(named).toEqual([
      ['layers.0.weight', [128, 784]],
      ['layers.0.bias', [128]],
      ['layers.2.weight', [10, 128]],
      ['layers.2.bias', [10]],
    ]);
    expect(model.parameterCount()).toBe(784 * 128 + 128 + 128 * 10 + 10);
    expect(model.parameterMap().get('layers.2.bias')).toBe(model.parameters()[3]);
    expect(model.layers[1]).toBeInstanceOf(A.ReLU);
    model.dispose();
  });

  it('initialises Linear by He (std √(2/in)) or Xavier (uniform ±√(6/(in+out))), repeatably by seed', () => {
    const he = new A.Linear(400, 300, { seed: 1 });
    expect(std(he.weight.value.dataSync())).toBeCloseTo(Math.sqrt(2 / 400), 2);
    const xa = new A.Linear(400, 300, { init: 'xavier', seed: 1 });
    const w = xa.weight.value.dataSync();
    const bound = Math.sqrt(6 / 700);
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(std(w)).toBeCloseTo(bound / Math.sqrt(3), 2);
    expect(new A.Linear(400, 300, { seed: 1 }).weight.value.dataSync()).toEqual(he.weight.value.dataSync());
    expect(he.bias!.value.dataSync().every((v) => v === 0)).toBe(true);
    expect(() => new A.Linear(0, 3)).toThrow(/Linear: inFeatures must be a positive integer, got number 0/);
  });

  it('Linear computes x·Wᵀ + b', () => {
    const lin = new A.Linear(2, 1);
    lin.weight.assign(T.tensor([[2, 3]]));
    lin.bias!.assign(T.tensor([1]));
    expect(
      lin
        .forward(
          T.tensor([
            [1, 1],
            [2, 0],
          ]),
        )
        .value.arraySync(),
    ).toEqual([[6], [5]]);
    expect(new A.Linear(2, 1, { bias: false }).parameters()).toHaveLength(1);
  });

  it('activations apply their op', () => {
    const x = T.tensor([-1, 0, 2]);
    expect(new A.ReLU().forward(x).value.arraySync()).toEqual([0, 0, 2]);
    expect(new A.LeakyReLU(0.5).forward(x).value.arraySync()).toEqual([-0.5, 0, 2]);
    expect(new A.Sigmoid().forward(x).value.dataSync()[1]).toBeCloseTo(0.5, 6);
    expect(new A.Tanh().forward(x).value.dataSync()[2]).toBeCloseTo(Math.tanh(2), 6);
    expect(new A.Softplus().forward(x).value.dataSync()[1]).toBeCloseTo(Math.log(2), 6);
  });

  it('Dropout zeroes about p of the elements and rescales in training, is the identity in eval, repeats by seed', () => {
    const x = T.ones([100, 100]);
    const d = new A.Dropout(0.3, { seed: 4 });
    const y = d.forward(x).value.dataSync();
    const zeros = y.filter((v) => v === 0).length / y.length;
    expect(zeros).toBeGreaterThan(0.27);
    expect(zeros).toBeLessThan(0.33);
    expect(y.find((v) => v !== 0)).toBeCloseTo(1 / 0.7, 5);
    expect(new A.Dropout(0.3, { seed: 4 }).forward(x).value.dataSync()).toEqual(y);
    d.eval();
    expect(
      d
        .forward(x)
        .value.dataSync()
        .every((v) => v === 1),
    ).toBe(true);
    expect(() => new A.Dropout(1)).toThrow(/Dropout: p must be in \[0, 1\), got number 1/);
  });

  it('train() and eval() reach every sub-module', () => {
    const model = new A.Sequential(
      new A.Linear(3, 3),
      new A.Dropout(0.5),
      new A.Sequential(new A.ReLU(), new A.Dropout(0.1)),
    );
    model.eval();
    expect(model.layers.every((m) => !m.training)).toBe(true);
    expect((model.layers[2] as A.Sequential).layers[1].training).toBe(false);
    model.train();
    expect((model.layers[2] as A.Sequential).layers[1].training).toBe(true);
    expect([...model.namedParameters()].map(([n]) => n)).toEqual(['layers.0.weight', 'layers.0.bias']);
  });

  it('custom modules find parameters in their fields', () => {
    class Affine extends A.Module {
      scale = new A.Parameter(T.ones([2]));
      inner = new A.Linear(2, 2);
      forward(x: A.Variable | T.Tensor) {
        return A.mul(this.inner.forward(x), this.scale);
      }
    }
    expect([...new Affine().namedParameters()].map(([n]) => n)).toEqual(['scale', 'inner.weight', 'inner.bias']);
  });
});
