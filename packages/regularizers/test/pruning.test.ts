import * as A from '@sparsekit/autograd';
import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { cubicSparsitySchedule, GradualPruner, magnitudePrune } from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});

const weights = (m: A.Module): Map<string, Float32Array> =>
  new Map([...m.namedParameters()].map(([n, p]) => [n, Float32Array.from(p.value.dataSync())]));

function zerosOf(x: Float32Array): number {
  return x.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
}

/** The k smallest |w| by a brute-force sort (ties to the higher index pruned first, matching "ties keep the lower index"). */
function smallestIndices(x: Float32Array, k: number): Set<number> {
  const idx = Array.from(x.keys()).sort((a, b) => Math.abs(x[a]) - Math.abs(x[b]) || b - a);
  return new Set(idx.slice(0, k));
}

describe('magnitudePrune', () => {
  it('per layer, unstructured: zeroes exactly round(s·n) smallest |w| of each weight, biases untouched', async () => {
    const model = A.mlp([20, 15, 7], { seed: 1 });
    const before = weights(model);
    const mask = await magnitudePrune(model, { sparsity: 0.7 });
    const after = weights(model);
    for (const name of ['layers.0.weight', 'layers.2.weight']) {
      const w = before.get(name)!;
      const k = Math.round(0.7 * w.length);
      const expected = smallestIndices(w, k);
      after.get(name)!.forEach((v, i) => expect(v).toBe(expected.has(i) ? 0 : w[i]));
    }
    expect(after.get('layers.0.bias')).toEqual(before.get('layers.0.bias'));
    expect(mask.pruned).toBe(Math.round(0.7 * 300) + Math.round(0.7 * 105));
    expect(mask.total).toBe(405);
    expect([...mask.masks.keys()]).toEqual(['layers.0.weight', 'layers.2.weight']);
  });

  it('global, unstructured: one threshold over all selected weights', async () => {
    const model = A.mlp([20, 15, 7], { seed: 2 });
    const before = weights(model);
    const mask = await magnitudePrune(model, { sparsity: 0.6, scope: 'global' });
    const after = weights(model);
    const all = Float32Array.from([...before.get('layers.0.weight')!, ...before.get('layers.2.weight')!]);
    const k = Math.round(0.6 * all.length);
    const sorted = Array.from(all, Math.abs).sort((a, b) => a - b);
    const threshold = sorted[k - 1];
    let pruned = 0;
    for (const name of ['layers.0.weight', 'layers.2.weight']) {
      before.get(name)!.forEach((v, i) => {
        const a = after.get(name)![i];
        if (Math.abs(v) < threshold) expect(a).toBe(0);
        if (Math.abs(v) > threshold) expect(a).toBe(v);
        if (a === 0) pruned++;
      });
    }
    expect(pruned).toBe(k);
    expect(mask.pruned).toBe(k);
    // The layers end up with different sparsities (He init: the wider input layer has smaller weights).
    expect(zerosOf(after.get('layers.0.weight')!) / 300).not.toBeCloseTo(
      zerosOf(after.get('layers.2.weight')!) / 105,
      2,
    );
  });

  it('by neuron: zeroes whole rows with the smallest L2 norm, per layer or globally', async () => {
    for (const scope of ['layer', 'global'] as const) {
      const model = A.mlp([10, 8, 4], { seed: 3 });
      const before = weights(model);
      const mask = await magnitudePrune(model, {
        sparsity: 0.5,
        structure: 'neuron',
        scope,
        parameters: /layers\.0\.weight/,
      });
      const w0 = before.get('layers.0.weight')!;
      const norms = Array.from({ length: 8 }, (_, i) => Math.hypot(...w0.slice(i * 10, i * 10 + 10)));
      const order = norms
        .map((n, i) => [n, i])
        .sort((a, b) => a[0] - b[0])
        .map(([, i]) => i);
      const prunedRows = new Set(order.slice(0, 4));
      const after = weights(model).get('layers.0.weight')!;
      for (let i = 0; i < 8; i++)
        for (let j = 0; j < 10; j++) expect(after[i * 10 + j]).toBe(prunedRows.has(i) ? 0 : w0[i * 10 + j]);
      expect(weights(model).get('layers.2.weight')).toEqual(before.get('layers.2.weight'));
      expect(mask.pruned).toBe(40);
    }
  });

  it('keeps pruned weights at exactly zero through later optimizer steps when the mask is re-applied', async () => {
    const model = A.mlp([6, 5, 2], { seed: 4 });
    const mask = await magnitudePrune(model, { sparsity: 0.5 });
    const pruned = new Map([...mask.masks].map(([n, m]) => [n, Array.from(m.dataSync(), (v) => v === 0)]));
    const x = T.rand([16, 6], { seed: 5 });
    const y = T.rand([16, 2], { seed: 6 });
    const velocity = new Map<A.Parameter, T.Tensor>();
    for (let step = 0; step < 5; step++) {
      model.zeroGrad();
      A.mseLoss(model.forward(x), y).backward();
      // Heavy-ball momentum moves a pruned weight off zero through its velocity alone.
      for (const p of model.parameters()) {
        const v = T.add(T.mul(velocity.get(p) ?? T.zeros(p.shape), 0.9), p.grad!);
        velocity.set(p, T.keep(v));
        p.assign(T.sub(p.value, T.mul(v, 0.1)));
      }
      mask.apply();
      const now = weights(model);
      for (const [name, flags] of pruned) flags.forEach((isPruned, i) => isPruned && expect(now.get(name)![i]).toBe(0));
    }
  });

  it('rejects bad sparsity, unknown options, empty selections and NaN weights, changing nothing', async () => {
    const model = A.mlp([4, 3, 2], { seed: 7 });
    const before = weights(model);
    const bad: Array<[unknown, RegExp]> = [
      [{ sparsity: 1 }, /magnitudePrune: sparsity must be a finite number in \[0, 1\), got number 1/],
      [{ sparsity: -0.2 }, /sparsity/],
      [{ sparsity: Number.NaN }, /sparsity/],
      [{}, /sparsity/],
      [{ sparsity: 0.5, scope: 'model' }, /scope must be 'layer' or 'global'/],
      [{ sparsity: 0.5, structure: 'channel' }, /structure must be 'unstructured' or 'neuron'/],
      [{ sparsity: 0.5, amount: 0.5 }, /unknown option 'amount'/],
      [{ sparsity: 0.5, parameters: /nothing/ }, /parameters selects none/],
      [{ sparsity: 0.5, parameters: 'weight' }, /parameters must be a RegExp or a function/],
      [{ sparsity: 0.5, structure: 'neuron', parameters: /bias/ }, /neuron pruning needs 2-D weights/],
    ];
    for (const [options, message] of bad) {
      await expect(magnitudePrune(model, options as never)).rejects.toThrow(message);
      await expect(magnitudePrune(model, options as never)).rejects.toBeInstanceOf(T.ValueError);
    }
    await expect(magnitudePrune({} as never, { sparsity: 0.5 })).rejects.toThrow(/model must be a Module/);
    const nan = before.get('layers.2.weight')!.slice();
    nan[3] = Number.NaN;
    model
      .parameterMap()
      .get('layers.2.weight')!
      .assign(T.tensor(nan, [2, 3]));
    await expect(magnitudePrune(model, { sparsity: 0.5 })).rejects.toThrow(
      /parameter 'layers.2.weight' must be finite/,
    );
    const after = weights(model);
    expect(after.get('layers.0.weight')).toEqual(before.get('layers.0.weight'));
    expect(Array.from(after.get('layers.2.weight')!).map(String)).toEqual(Array.from(nan).map(String));
  });
});

describe('GradualPruner', () => {
  it('prunes on the cubic schedule every Δt steps and re-masks in between', async () => {
    const model = A.mlp([30, 20, 5], { seed: 8 });
    const options = { initialSparsity: 0.2, finalSparsity: 0.8, startStep: 2, pruningSteps: 3, frequency: 2 };
    const pruner = new GradualPruner(model, options);
    const schedule = cubicSparsitySchedule(options);
    expect(pruner.mask).toBeNull();
    for (let t = 0; t < 12; t++) {
      // Perturb every weight, as a training step would, so re-masking is what keeps zeros.
      for (const p of model.parameters()) p.assign(T.add(p.value, T.full(p.shape, 1e-3)));
      const s = await pruner.step();
      expect(s).toBe(schedule.sparsityAt(t));
      const w = weights(model);
      for (const [name, n] of [
        ['layers.0.weight', 600],
        ['layers.2.weight', 100],
      ] as const) {
        expect(zerosOf(w.get(name)!)).toBe(t < 2 ? 0 : Math.round(s * n));
      }
    }
    expect(pruner.stepCount).toBe(12);
    expect(pruner.mask!.sparsity).toBeCloseTo((Math.round(0.8 * 600) + Math.round(0.8 * 100)) / 700, 12);
  });

  it('prunes more and more of the same weights: once pruned, a weight stays pruned', async () => {
    const model = A.mlp([12, 10, 3], { seed: 9 });
    const pruner = new GradualPruner(model, { finalSparsity: 0.9, pruningSteps: 4, scope: 'global' });
    let prev: boolean[] | null = null;
    for (let t = 0; t < 5; t++) {
      await pruner.step();
      const zeros = Array.from(weights(model).get('layers.0.weight')!, (v) => v === 0);
      if (prev) prev.forEach((z, i) => z && expect(zeros[i]).toBe(true));
      prev = zeros;
    }
  });

  it('rejects a step over non-finite weights without advancing or changing anything', async () => {
    const model = A.mlp([5, 4, 2], { seed: 10 });
    const pruner = new GradualPruner(model, { finalSparsity: 0.5, pruningSteps: 2 });
    await pruner.step();
    const w = model.parameterMap().get('layers.2.weight')!;
    const poisoned = w.value.dataSync().slice();
    poisoned[1] = Number.POSITIVE_INFINITY;
    w.assign(T.tensor(poisoned, [2, 4]));
    const before = weights(model);
    await expect(pruner.step()).rejects.toThrow(/GradualPruner.step: parameter 'layers.2.weight' must be finite/);
    expect(pruner.stepCount).toBe(1);
    const after = weights(model);
    for (const [name, v] of before) expect(Array.from(after.get(name)!)).toEqual(Array.from(v));
  });

  it('rejects bad schedules, a stray sparsity option and unknown keys', () => {
    const model = A.mlp([3, 2]);
    expect(() => new GradualPruner(model, { finalSparsity: 1.2, pruningSteps: 3 })).toThrow(
      /cubicSparsitySchedule: finalSparsity/,
    );
    expect(() => new GradualPruner(model, { finalSparsity: 0.5, pruningSteps: 3, sparsity: 0.5 } as never)).toThrow(
      /GradualPruner: unknown option 'sparsity'/,
    );
    expect(() => new GradualPruner(model, { finalSparsity: 0.5, pruningSteps: 3, every: 2 } as never)).toThrow(
      T.ValueError,
    );
    expect(() => new GradualPruner(model, { finalSparsity: 0.5, pruningSteps: 0 })).toThrow(/pruningSteps/);
  });
});
