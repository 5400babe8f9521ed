import * as A from '@sparsekit/autograd';
import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { compact } from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});

function setLayer(layer: A.Linear, w: number[][], b: number[]): void {
  layer.weight.assign(T.tensor(w));
  layer.bias!.assign(T.tensor(b));
}

function expectSameOutputs(a: A.Module, b: A.Module, x: T.Tensor): void {
  const ya = a.forward(x).value.dataSync();
  const yb = b.forward(x).value.dataSync();
  expect(yb.length).toBe(ya.length);
  ya.forEach((v, i) => expect(Math.abs(yb[i] - v)).toBeLessThanOrEqual(1e-5));
}

describe('compact', () => {
  it('removes neurons with zero incoming weights (folding act(b) into the next bias) and zero outgoing weights', async () => {
    const model = A.mlp([3, 4, 2], { activation: 'sigmoid', seed: 1 });
    const [l0, , l1] = model.layers as [A.Linear, A.Module, A.Linear];
    // Neuron 1: no inputs, so it always outputs σ(0.7). Neuron 3: nothing reads it.
    setLayer(
      l0,
      [
        [1, -2, 0.5],
        [0, 0, 0],
        [0.3, 0.1, -0.4],
        [2, 1, 1],
      ],
      [0.1, 0.7, -0.2, 0.3],
    );
    setLayer(
      l1,
      [
        [1, 2, -1, 0],
        [0.5, -3, 2, 0],
      ],
      [0.05, -0.05],
    );
    const small = await compact(model);
    const [c0, , c1] = small.layers as [A.Linear, A.Module, A.Linear];
    expect([c0.inFeatures, c0.outFeatures, c1.inFeatures, c1.outFeatures]).toEqual([3, 2, 2, 2]);
    expect(Array.from(c0.weight.value.dataSync())).toEqual(Array.from(Float32Array.from([1, -2, 0.5, 0.3, 0.1, -0.4])));
    const s = 1 / (1 + Math.exp(-0.7));
    const b1 = c1.bias!.value.dataSync();
    expect(b1[0]).toBeCloseTo(0.05 + 2 * s, 6);
    expect(b1[1]).toBeCloseTo(-0.05 - 3 * s, 6);
    expectSameOutputs(model.eval(), small, T.rand([6, 3], { seed: 2, low: -2, high: 2 }));
    // The original is untouched.
    expect(l0.outFeatures).toBe(4);
  });

  it('follows cascades: a neuron silenced by the layer before, and one read only by removed neurons', async () => {
    const model = A.mlp([2, 3, 3, 1], { seed: 3 });
    const [a, , b, , c] = model.layers as A.Linear[];
    setLayer(
      a,
      [
        [1, 1],
        [0, 0],
        [1, -1],
      ],
      [0, 0.5, 0.2],
    );
    // b's neuron 0 reads only a's dead neuron 1, so it becomes constant too; a's neuron 2 feeds only b's neuron 2, which c ignores.
    setLayer(
      b,
      [
        [0, 2, 0],
        [1, 0, 0],
        [0, 0, 3],
      ],
      [0.1, 0, 0],
    );
    setLayer(c, [[1, 1, 0]], [0]);
    const small = await compact(model);
    expect(
      (small.layers as A.Linear[]).filter((m) => m instanceof A.Linear).map((l) => [l.inFeatures, l.outFeatures]),
    ).toEqual([
      [2, 1],
      [1, 1],
      [1, 1],
    ]);
    expectSameOutputs(model.eval(), small, T.rand([5, 2], { seed: 4, low: -2, high: 2 }));
  });

  it('keeps one zero neuron when a whole hidden layer dies, and keeps inputs and outputs', async () => {
    const model = A.mlp([3, 2, 2], { activation: 'tanh', seed: 5 });
    const [a, , b] = model.layers as A.Linear[];
    setLayer(
      a,
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
      [0.3, -0.4],
    );
    setLayer(
      b,
      [
        [1, 2],
        [3, 4],
      ],
      [0, 1],
    );
    const small = await compact(model);
    const lin = small.layers.filter((m) => m instanceof A.Linear) as A.Linear[];
    expect(lin.map((l) => [l.inFeatures, l.outFeatures])).toEqual([
      [3, 1],
      [1, 2],
    ]);
    expectSameOutputs(model.eval(), small, T.rand([4, 3], { seed: 6 }));
  });

  it('matches a neuron-pruned 784-300-100-10 MLP to 1e-5 with far fewer parameters', async () => {
    const model = A.mlp([784, 300, 100, 10], { seed: 7 });
    const [a, , b] = model.layers as A.Linear[];
    // Zero 270 of 300 and 90 of 100 rows (biases stay: those neurons become constants).
    const zeroRows = (l: A.Linear, keep: number): void => {
      const w = l.weight.value.dataSync().slice();
      w.fill(0, keep * l.inFeatures);
      l.weight.assign(T.tensor(w, l.weight.shape));
      l.bias!.assign(T.rand([l.outFeatures], { seed: keep, low: -0.5, high: 0.5 }));
    };
    zeroRows(a, 30);
    zeroRows(b, 10);
    const small = await compact(model);
    const lin = small.layers.filter((m) => m instanceof A.Linear) as A.Linear[];
    expect(lin.map((l) => [l.inFeatures, l.outFeatures])).toEqual([
      [784, 30],
      [30, 10],
      [10, 10],
    ]);
    expect(small.parameterCount()).toBe(784 * 30 + 30 + 30 * 10 + 10 + 10 * 10 + 10);
    expectSameOutputs(model.eval(), small, T.rand([8, 784], { seed: 8 }));
  });

  it('rejects models it cannot compact, and non-finite parameters, with ValueErrors', async () => {
    await expect(compact(new A.Linear(2, 2))).rejects.toThrow(/compact: model must be a Sequential/);
    class Square extends A.Module {
      forward(x: A.Variable | T.Tensor): A.Variable {
        return A.square(x);
      }
    }
    await expect(compact(new A.Sequential(new A.Linear(2, 2), new Square()))).rejects.toThrow(
      /layers\[1\] is a Square; expected Linear/,
    );
    await expect(compact(new A.Sequential(new A.ReLU(), new A.Linear(2, 2)))).rejects.toThrow(
      /comes before any Linear layer/,
    );
    await expect(compact(new A.Sequential(new A.Linear(2, 3), new A.Linear(2, 2)))).rejects.toThrow(
      /layers\[1\] takes 2 inputs but the layer before gives 3/,
    );
    await expect(compact(new A.Sequential())).rejects.toThrow(T.ValueError);
    const m = A.mlp([2, 2, 1]);
    (m.layers[0] as A.Linear).weight.assign(
      T.tensor([
        [1, Number.NaN],
        [0, 1],
      ]),
    );
    await expect(compact(m)).rejects.toThrow(/compact: model parameters must be finite, got NaN/);
  });
});
