import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
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

const sgd =
  (lr: number) =>
  ({ params }: A.StepContext) => {
    for (const p of params.values()) p.assign(T.sub(p.value, T.mul(p.grad!, lr)));
  };

describe('fit', () => {
  it('takes an async step that holds temporaries across awaits, the same as the sync step', async () => {
    // An async step (an optimizer reading its state with await data(), as on WebGPU) keeps
    // tensors alive across an await: they must survive until it settles, then be freed.
    const { x, y } = blobs(40);
    const asyncSgd =
      (lr: number) =>
      async ({ params }: A.StepContext) => {
        const updates = [...params.values()].map((p) => T.mul(p.grad!, lr));
        await updates[0]!.data();
        [...params.values()].forEach((p, i) => p.assign(T.sub(p.value, updates[i]!)));
      };
    const train = async (step: (ctx: A.StepContext) => void | Promise<void>) => {
      const model = A.mlp([2, 4, 2], { seed: 1 });
      const before = T.memory().liveTensors;
      const h = await A.fit(model, {
        x,
        y,
        loss: (o, t) => A.softmaxCrossEntropy(o, t),
        step,
        epochs: 2,
        batchSize: 8,
        seed: 2,
      });
      const weights = await Promise.all(model.parameters().map((p) => p.value.data()));
      return { h, weights, grown: T.memory().liveTensors - before };
    };
    const sync = await train(sgd(0.2));
    const viaAsync = await train(asyncSgd(0.2));
    expect(viaAsync.h.steps).toBe(10);
    expect(viaAsync.h.loss).toEqual(sync.h.loss);
    viaAsync.weights.forEach((w, i) => expect([...w]).toEqual([...sync.weights[i]!]));
    expect(viaAsync.grown).toBe(sync.grown);
  });

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
    const h = await A.fit(model, {
      x,
      y,
      loss: (o, t) => A.softmaxCrossEntropy(o, t),
      step: sgd(0.1),
      epochs: 10,
      onEpochEnd: ({ epoch }) => epoch < 1,
    });
    expect(h.loss).toHaveLength(2);
    expect(model.training).toBe(false);
  });

  it('rejects mismatched sample counts', async () => {
    await expect(
      A.fit(A.mlp([2, 2]), { x: T.zeros([3, 2]), y: T.zeros([4]), loss: (o, t) => A.mseLoss(o, t), step: () => {} }),
    ).rejects.toThrow(/fit: x and y must have the same number of samples/);
  });

  // Issue 8, item 15.
  it('rejects a non-tensor x or y, a non-module, unknown option keys and bad option types with a ValueError', async () => {
    const { x, y } = blobs(8);
    const model = A.mlp([2, 2], { seed: 1 });
    const before = model.parameters().map((p) => Array.from(p.value.dataSync()));
    const base = { x, y, loss: (o: A.Variable, t: T.Tensor) => A.softmaxCrossEntropy(o, t), step: sgd(0.1) };
    await expect(A.fit(model, { ...base, x: [[1, 2]] } as never)).rejects.toThrow(
      /fit: options.x must be a Tensor .*got array of length 1/,
    );
    await expect(A.fit(model, { ...base, y: undefined } as never)).rejects.toThrow(
      /fit: options.y must be a Tensor .*got undefined/,
    );
    await expect(A.fit({} as never, base)).rejects.toThrow(/fit: model must be a Module, got object {}/);
    await expect(A.fit(model, { ...base, batchsize: 4 } as never)).rejects.toThrow(/fit: unknown option 'batchsize'/);
    await expect(A.fit(model, { ...base, shuffle: 'no' } as never)).rejects.toThrow(
      /fit: options.shuffle must be true or false/,
    );
    await expect(A.fit(model, { ...base, nonFinite: 'ignore' } as never)).rejects.toThrow(
      /fit: options.nonFinite must be 'throw' or 'skip'/,
    );
    await expect(A.fit(model, { ...base, onEpochEnd: 1 } as never)).rejects.toThrow(
      /fit: options.onEpochEnd must be a function/,
    );
    await expect(A.fit(model, { ...base, loss: () => 1 } as never)).rejects.toThrow(
      /fit: options.loss must return a Variable, got number 1/,
    );
    expect(model.parameters().map((p) => Array.from(p.value.dataSync()))).toEqual(before);
  });

  it('refuses 0 samples with a ShapeError instead of returning [NaN]', async () => {
    const model = A.mlp([2, 2], { seed: 1 });
    await expect(
      A.fit(model, { x: T.zeros([0, 2]), y: T.zeros([0]), loss: (o, t) => A.mseLoss(o, t), step: () => {} }),
    ).rejects.toThrow(/fit: x must hold at least one sample, got shape \[0, 2\]/);
  });

  it('counts a step that returned false as skipped: not in the steps, not in the loss', async () => {
    const { x, y } = blobs(8);
    const model = A.mlp([2, 2], { seed: 1 });
    let calls = 0;
    const h = await A.fit(model, {
      x,
      y,
      epochs: 1,
      batchSize: 2,
      shuffle: false,
      loss: (o, t) => A.softmaxCrossEntropy(o, t),
      step: (ctx) => {
        calls++;
        if (ctx.batch % 2 === 1) return false;
        sgd(0)(ctx);
        return true;
      },
    });
    expect(calls).toBe(4);
    expect(h.steps).toBe(2);
    expect(h.skipped).toBe(2);
    // lr 0: the parameters never move, so the mean over batches 0 and 2 is their plain mean.
    const losses = [0, 4].map((s) =>
      A.noGrad(() =>
        A.softmaxCrossEntropy(model.forward(T.sliceRows(x, s, s + 2)), T.sliceRows(y, s, s + 2)).value.itemSync(),
      ),
    );
    expect(h.loss[0]).toBeCloseTo((losses[0] + losses[1]) / 2, 6);
  });

  it('throws on a non-finite loss before stepping (default), or skips the batch with nonFinite: skip', async () => {
    const x = T.tensor([
      [1, 0],
      [NaN, 0],
      [0, 1],
      [1, 1],
    ]);
    const y = T.tensor([0, 1, 1, 0]);
    const loss = (o: A.Variable, t: T.Tensor) => A.softmaxCrossEntropy(o, t);
    const model = A.mlp([2, 2], { seed: 1 });
    let stepped = 0;
    const step = (ctx: A.StepContext) => {
      stepped++;
      sgd(0.1)(ctx);
    };
    await expect(A.fit(model, { x, y, loss, step, batchSize: 1, shuffle: false })).rejects.toThrow(
      /fit: the loss of epoch 0, batch 1 is NaN; no step was taken/,
    );
    expect(stepped).toBe(1);
    expect(model.parameters().every((p) => p.value.dataSync().every(Number.isFinite))).toBe(true);
    const h = await A.fit(model, { x, y, loss, step, batchSize: 1, shuffle: false, nonFinite: 'skip' });
    expect(h.skipped).toBe(1);
    expect(h.steps).toBe(3);
    expect(Number.isFinite(h.loss[0])).toBe(true);
  });
});
