import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '@sparsekit/tensor';
import * as A from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});

// Two Gaussian blobs, linearly separable.
function blobs(n: number): { x: T.Tensor; y: T.Tensor } {
  const rng = new T.Random(5);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    xs.push(rng.normal() * 0.5 + (c ? 2 : -2), rng.normal() * 0.5);
    ys.push(c);
  }
  return { x: T.tensor(xs, [n, 2]), y: T.tensor(ys) };
}

const sgd = (lr: number) => ({ params }: A.StepContext) => {
  for (const p of params.values()) p.assign(T.sub(p.value, T.mul(p.grad!, lr)));
};

describe('fit', () => {
  it('trains with mini-batches, calls back per epoch, and repeats exactly with the same seed', async () => {
    const { x, y } = blobs(64);
    const run = async (seed: number) => {
      const model = A.mlp([2, 8, 2], { seed: 1 });
      const epochs: A.EpochInfo[] = [];
      let batches = 0;
      const h = await A.fit(model, {
        x,
        y,
        loss: (out, t) => A.softmaxCrossEntropy(out, t),
        step: sgd(0.2),
        epochs: 5,
        batchSize: 10,
        seed,
        onEpochEnd: (info) => {
          epochs.push(info);
        },
        onBatchEnd: () => {
          batches++;
        },
      });
      return { h, epochs, batches, model };
    };
    const a = await run(3);
    expect(a.h.steps).toBe(35);
    expect(a.batches).toBe(35);
    expect(a.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(a.h.loss[4]).toBeLessThan(a.h.loss[0] / 2);
    const b = await run(3);
    expect(b.h.loss).toEqual(a.h.loss);
    const c = await run(4);
    expect(c.h.loss).not.toEqual(a.h.loss);
    const acc = A.noGrad(() => T.mean(T.equal(T.argmax(a.model.forward(x).value, 1), y)).itemSync());
    expect(acc).toBeGreaterThan(0.95);
  });

  it('stops early when onEpochEnd returns false, and restores eval mode', async () => {
    const { x, y } = blobs(20);
    const model = A.mlp([2, 4, 2]).eval();
    const h = await A.fit(model, { x, y, loss: (o, t) => A.softmaxCrossEntropy(o, t), step: sgd(0.1), epochs: 10, onEpochEnd: ({ epoch }) => epoch < 1 });
    expect(h.loss).toHaveLength(2);
    expect(model.training).toBe(false);
  });

  it('rejects mismatched sample counts', async () => {
    await expect(A.fit(A.mlp([2, 2]), { x: T.zeros([3, 2]), y: T.zeros([4]), loss: (o, t) => A.mseLoss(o, t), step: () => {} })).rejects.toThrow(
      /fit: x and y must have the same number of samples/,
    );
  });
});
