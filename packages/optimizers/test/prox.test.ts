import { setBackend, tensor } from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { l0Prox, l12Prox, l1Prox, penaltyProx } from '../src/index.js';

beforeAll(() => {
  setBackend('cpu');
});

/** argminₓ R(x) + (x − w)²/(2t) by a fine grid search (the reference). */
function bruteForce(w: number, t: number, r: (x: number) => number): number {
  let best = 0;
  let bestValue = r(0) + (w * w) / (2 * t);
  for (let i = -40000; i <= 40000; i++) {
    const x = (i / 40000) * 4;
    const v = r(x) + ((x - w) ** 2) / (2 * t);
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
    const scaled = l1Prox(0.5).prox(tensor([1, 1]), 0.4, tensor([1, 5])).dataSync();
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
    expect(() => l1Prox(-1)).toThrow('l1Prox: lambda must be a finite number >= 0, got -1');
  });
});
