import { Linear, Parameter, ReLU, Sequential } from '@sparsekit/autograd';
import { groupLasso, l0, l1, l12, projectL1Ball, proxGroups } from '@sparsekit/regularizers';
import { mul, setBackend, sub, tensor } from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { HSPG, l0Prox, l1Prox, l12Prox, OBProxSG, ProximalAdam, ProximalSGD, penaltyProx } from '../src/index.js';

beforeAll(() => {
  setBackend('cpu');
});

/** argminₓ R(x) + (x − w)²/(2t) by a fine grid search (the reference). */
function bruteForce(w: number, t: number, r: (x: number) => number): number {
  let best = 0;
  let bestValue = r(0) + (w * w) / (2 * t);
  for (let i = -40000; i <= 40000; i++) {
    const x = (i / 40000) * 4;
    const v = r(x) + (x - w) ** 2 / (2 * t);
    if (v < bestValue - 1e-12) {
      best = x;
      bestValue = v;
    }
  }
  return best;
}

const W = [-3, -1.2, -0.4, -0.05, 0, 0.05, 0.3, 0.7, 1.1, 2.5];

describe('proximal operators', () => {
  it('l1Prox soft-thresholds by step·scale·λ', () => {
    const out = l1Prox(0.5).prox(tensor(W), 0.4).dataSync();
    W.forEach((w, i) => expect(out[i]).toBeCloseTo(Math.sign(w) * Math.max(Math.abs(w) - 0.2, 0), 6));
    const scaled = l1Prox(0.5)
      .prox(tensor([1, 1]), 0.4, tensor([1, 5]))
      .dataSync();
    expect(Array.from(scaled)).toEqual([Math.fround(0.8), 0]);
  });

  it('l0Prox keeps w where |w| > √(2·λ·step·scale)', () => {
    const out = l0Prox(0.5).prox(tensor(W), 0.4).dataSync(); // threshold √0.4 ≈ 0.632
    W.forEach((w, i) => expect(out[i]).toBe(Math.abs(w) > Math.sqrt(0.4) ? Math.fround(w) : 0));
    W.forEach((w, i) => expect(Math.abs(out[i] - bruteForce(w, 0.4, (x) => (x === 0 ? 0 : 0.5)))).toBeLessThan(1e-3));
  });

  it('l12Prox matches a brute-force minimisation of λ√|x| + (x − w)²/(2t), zeros included', () => {
    for (const [lambda, t] of [
      [0.5, 0.4],
      [1, 1],
      [0.1, 2],
    ]) {
      const out = l12Prox(lambda).prox(tensor(W), t).dataSync();
      W.forEach((w, i) => {
        const ref = bruteForce(w, t, (x) => lambda * Math.sqrt(Math.abs(x)));
        expect(Math.abs(out[i] - ref)).toBeLessThan(2e-4);
        if (ref === 0) expect(out[i]).toBe(0);
      });
    }
  });

  it('penaltyProx picks the built-in by name and rejects others', () => {
    expect(penaltyProx('l1', 1)).toMatchObject({ penalty: 'l1', lambda: 1 });
    expect(() => penaltyProx('l2' as 'l1', 1)).toThrow(/penalty/);
    expect(() => l1Prox(-1)).toThrow('l1: lambda must be a finite number >= 0, got number -1');
  });
});

describe('one implementation per proximal map: the optimizers call @sparsekit/regularizers', () => {
  const same = (a: { dataSync(): Float32Array }, b: { dataSync(): Float32Array }): void =>
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));

  it("the penalty shorthand is the regularizers package's l1, l0 and l12, tagged", () => {
    const W8 = tensor([-3, -1.2, -0.4, -0.05, 0.05, 0.3, 1.1, 2.5]);
    for (const [tagged, plain] of [
      [l1Prox(0.5), l1(0.5)],
      [l0Prox(0.5), l0(0.5)],
      [l12Prox(0.5), l12(0.5)],
    ] as const) {
      expect(tagged.name).toBe(plain.name);
      same(
        tagged.prox(W8, 0.4, tensor([1, 2, 1, 2, 1, 2, 1, 2])),
        plain.prox(W8, 0.4, tensor([1, 2, 1, 2, 1, 2, 1, 2])),
      );
    }
  });

  it("OBProx-SG's prox steps are the l1 prox of u = θ − lr·g", () => {
    const p = new Parameter(tensor([1, -0.2, 0.05, 2]));
    p.grad = tensor([0.5, 0.5, -0.5, 1]);
    const u = sub(p.value, mul(p.grad, 0.1)).materializeSync();
    new OBProxSG([p], { lr: 0.1, lambda: 0.8 }).step();
    // θ + (prox(u) − θ) rounds once more than prox(u) itself; zeros stay exact.
    const want = l1(0.8).prox(u, 0.1).dataSync();
    p.value.dataSync().forEach((x, i) => (want[i] === 0 ? expect(x).toBe(0) : expect(x).toBeCloseTo(want[i], 6)));
  });

  it("HSPG's prox steps are the group-lasso prox (block soft-thresholding) of u = θ − lr·g", () => {
    const p = new Parameter(tensor([3, 4, 0.1, 0.2], [2, 2]));
    p.grad = tensor([0, 0, 0, 0], [2, 2]);
    new HSPG([p], { lr: 0.5, lambda: 2, groups: 'rows' }).step();
    same(p.value, groupLasso(2, { groups: 'rows' }).prox(tensor([3, 4, 0.1, 0.2], [2, 2]), 0.5));
    expect(Array.from(p.value.dataSync())).toEqual([3 * 0.8, 4 * 0.8, 0, 0].map(Math.fround));
  });

  it('proximal optimizers take any regularizer as prox, and per-layer groups from proxGroups', () => {
    const p = new Parameter(tensor([2, -1, 0.5, 0.1]));
    p.grad = tensor([0, 0, 0, 0]);
    new ProximalSGD([p], { lr: 0.1, prox: projectL1Ball(1) }).step();
    expect(Array.from(p.value.dataSync()).reduce((a, b) => a + Math.abs(b), 0)).toBeCloseTo(1, 5);

    const model = new Sequential(new Linear(3, 4, { seed: 1 }), new ReLU(), new Linear(4, 2, { seed: 2 }));
    const before = model.parameters().map((q) => Array.from(q.value.dataSync()));
    for (const q of model.parameters()) q.grad = tensor(new Float32Array(q.size), q.shape);
    const groups = proxGroups(model, [
      { parameters: /^layers\.0\.weight$/, regularizer: groupLasso(100) },
      { regularizer: l1(0) },
    ]);
    new ProximalAdam(groups, { lr: 0.01 }).step();
    const [w0, b0, w1, b1] = model.parameters().map((q) => Array.from(q.value.dataSync()));
    expect(w0.every((x) => x === 0)).toBe(true);
    expect(w1).toEqual(before[2]);
    expect(b0).toEqual(before[1]);
    expect(b1).toEqual(before[3]);
  });
});
