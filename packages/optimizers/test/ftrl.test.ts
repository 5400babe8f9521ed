import { Parameter } from '@sparsekit/autograd';
import { setBackend, tensor } from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { FTRL } from '../src/index.js';

beforeAll(() => {
  setBackend('cpu');
});

describe('FTRL (Keras Ftrl semantics)', () => {
  it('matches a hand-computed case with l1, l2, l2-shrinkage and beta', () => {
    // Worked by hand from Keras' update (lr 0.1, p = −0.5, n₀ = 0.1, λ₁ 0.05, λ₂ 0.1, shrink 0.02, β 0.3):
    // step 1, θ = 0.5, g = 0.4:  g̃ = 0.4 + 2·0.02·0.5 = 0.42;  n' = 0.1 + 0.16 = 0.26
    //   z = 0.42 − (√0.26 − √0.1)/0.1 · 0.5 = −0.548371
    //   q = √0.26/0.1 + 2·(0.1 + 0.3/0.2) = 8.299020;  θ = (−0.05 + 0.548371)/8.299020 = 0.0600518
    // steps 2 and 3 (g = −0.3, 0.05) continue the same way: θ = 0.0926972, 0.0868192.
    const p = new Parameter(tensor([0.5]));
    const opt = new FTRL([p], { lr: 0.1, l1: 0.05, l2: 0.1, l2Shrinkage: 0.02, beta: 0.3 });
    const expected = [0.060051783936154374, 0.09269716832542589, 0.08681921261274254];
    [0.4, -0.3, 0.05].forEach((g, t) => {
      p.grad = tensor([g]);
      opt.step();
      expect(p.value.dataSync()[0]).toBeCloseTo(expected[t], 6);
    });
    const dict = opt.stateDict();
    expect(
      (dict.state[0] as { accumulator: Array<{ $tensor: { data: Float32Array } }> }).accumulator[0].$tensor.data[0],
    ).toBeCloseTo(0.1 + 0.16 + 0.09 + 0.0025, 6);
  });

  it('gives exactly zero while the accumulated pull |z| stays within l1', () => {
    const p = new Parameter(tensor([0.3, -0.2, 0.01]));
    const opt = new FTRL([p], { lr: 0.5, l1: 1 });
    for (let t = 0; t < 5; t++) {
      p.grad = tensor([0.05, -0.05, 0.02]);
      opt.step();
    }
    expect(Array.from(p.value.dataSync())).toEqual([0, 0, 0]);
  });

  it('rejects a positive learning-rate power', () => {
    expect(() => new FTRL([new Parameter(tensor([1]))], { lrPower: 0.1 })).toThrow(
      'FTRL: lrPower must be a finite number <= 0, got number 0.1',
    );
  });
});
