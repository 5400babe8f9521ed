import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import * as A from '../src/index.js';

describe('memory', () => {
  beforeAll(() => {
    T.setBackend('cpu');
  });

  it('1,000 training steps leave the live-tensor count unchanged', () => {
    const model = A.mlp([8, 16, 4], { seed: 3 });
    const x = T.randn([16, 8], { seed: 1 });
    const labels = T.randint(0, 4, [16], { seed: 2 });
    const lr = 0.05;
    const step = (): number => {
      model.zeroGrad();
      const loss = A.tidy(() => {
        const l = A.softmaxCrossEntropy(model.forward(x), labels);
        l.backward();
        for (const p of model.parameters()) p.assign(T.sub(p.value, T.mul(p.grad!, lr)).materializeSync());
        return l.value;
      });
      const v = loss.itemSync();
      loss.dispose();
      return v;
    };
    const first = step();
    const before = T.memory().liveTensors;
    const compiledBefore = T.kernelStats().compiled;
    let last = first;
    for (let i = 0; i < 1000; i++) last = step();
    expect(T.memory().liveTensors).toBe(before);
    expect(T.kernelStats().compiled).toBe(compiledBefore);
    expect(last).toBeLessThan(first);
    model.zeroGrad();
    model.dispose();
    x.dispose();
    labels.dispose();
  });

  it('valueAndGrad frees everything but its results', () => {
    const x = T.randn([4, 3], { seed: 5 });
    const before = T.memory().liveTensors;
    const f = A.valueAndGrad((v) => A.sum(A.square(A.tanh(v))));
    for (let i = 0; i < 20; i++) {
      const { value, grads } = f(x);
      value.dispose();
      for (const g of grads) g.dispose();
    }
    expect(T.memory().liveTensors).toBe(before);
    x.dispose();
  });

  it('fit leaves the live-tensor count unchanged', async () => {
    const model = A.mlp([4, 8, 2], { seed: 1 });
    const x = T.randn([40, 4], { seed: 2 });
    const y = T.randint(0, 2, [40], { seed: 3 });
    const opts = {
      x,
      y,
      loss: (out: A.Variable, t: T.Tensor) => A.softmaxCrossEntropy(out, t),
      step: ({ params }: A.StepContext) => {
        for (const p of params.values()) p.assign(T.sub(p.value, T.mul(p.grad!, 0.1)));
      },
      batchSize: 8,
    };
    await A.fit(model, { ...opts, epochs: 1 });
    const before = T.memory().liveTensors;
    await A.fit(model, { ...opts, epochs: 5 });
    expect(T.memory().liveTensors).toBe(before);
  });
});
