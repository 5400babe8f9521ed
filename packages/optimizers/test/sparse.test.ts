import { Parameter } from '@sparsekit/autograd';
import { setBackend, tensor } from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { HSPG, IHT, OBProxSG, ProximalSGD, RDA, SubgradientSGD } from '../src/index.js';
import { expectClose } from './helpers.js';

const close = (x: ArrayLike<number>, e: number[]) =>
  expectClose(x, e, (a, b) => (b === 0 ? expect(a).toBe(0) : expect(a).toBeCloseTo(b, 6)));

beforeAll(() => {
  setBackend('cpu');
});

function step(opt: { step(): boolean }, p: Parameter, grad: number[]): Float32Array {
  p.grad?.dispose();
  p.grad = tensor(Float32Array.from(grad), p.value.shape);
  opt.step();
  return p.value.dataSync();
}

describe('sparsity-aware optimizers', () => {
  it('ProximalSGD soft-thresholds toward zero by lr·λ after the gradient step', () => {
    const p = new Parameter(tensor([1, -0.05, 0.3]));
    const x = step(new ProximalSGD([p], { lr: 0.1, lambda: 1 }), p, [0, 0, 1]);
    close(x, [0.9, 0, 0.1]);
  });

  it('SubgradientSGD oscillates around zero instead of reaching it', () => {
    const p = new Parameter(tensor([0.05]));
    const opt = new SubgradientSGD([p], { lr: 0.1, lambda: 1 });
    const seen = new Set<number>();
    for (let t = 0; t < 20; t++) seen.add(step(opt, p, [0])[0]);
    expect(seen.has(0)).toBe(false);
    expect(Math.max(...[...seen].map(Math.abs))).toBeLessThanOrEqual(0.1);
  });

  it('OBProxSG orthant steps never let a coordinate cross zero, and keep zeros at zero', () => {
    const p = new Parameter(tensor([0.5, -0.02, 0, 0.3]));
    const opt = new OBProxSG([p], { lr: 0.1, lambda: 0.1, proxSteps: 0 });
    const x = step(opt, p, [1, -1, 5, -1]);
    // trial = θ − 0.1·(g + 0.1·sign θ): [0.39, 0.09 → crosses → 0, 0 stays 0, 0.39]
    close(x, [0.39, 0, 0, 0.39]);
  });

  it('HSPG zeroes whole rows: prox steps shrink row norms, half-space steps remove rows', () => {
    const p = new Parameter(
      tensor([
        [3, 4],
        [0.03, 0.04],
        [0.6, 0.8],
      ]),
    );
    const prox = new HSPG([p], { lr: 0.1, lambda: 1, proxSteps: 1, groups: 'rows' });
    // Row norms 5, 0.05, 1; group soft-threshold by lr·λ = 0.1: 4.9/5, 0, 0.9/1.
    let x = step(prox, p, [0, 0, 0, 0, 0, 0]);
    [2.94, 3.92, 0, 0, 0.54, 0.72].forEach((v, i) => expect(x[i]).toBeCloseTo(v, 6));
    // Half-space step: row 2's trial point leaves its half-space (θ̃ᵀθ < 0) and is zeroed.
    x = step(prox, p, [0, 0, 0, 0, 6, 8]);
    expect(Array.from(x.slice(2))).toEqual([0, 0, 0, 0]);
    expect(x[0]).toBeGreaterThan(0);
  });

  it('IHT keeps exactly k non-zeros per row', () => {
    const p = new Parameter(
      tensor([
        [1, -3, 2, 0.5],
        [0.1, 0.2, -0.3, 0.4],
      ]),
    );
    const x = step(new IHT([p], { lr: 0.1, k: 2, groups: 'rows' }), p, [0, 0, 0, 0, 0, 0, 0, 0]);
    close(x, [0, -3, 2, 0, 0, 0, -0.3, 0.4]);
  });

  it('RDA sets θ = −lr·√t·softThreshold(ḡ, λ) from the average gradient', () => {
    const p = new Parameter(tensor([5, 5, 5]));
    const opt = new RDA([p], { lr: 0.5, lambda: 0.2 });
    step(opt, p, [1, 0.1, -0.5]);
    const x = step(opt, p, [0.6, 0.1, -0.5]); // ḡ = [0.8, 0.1, −0.5]
    [-(0.5 * Math.SQRT2 * 0.6), 0, 0.5 * Math.SQRT2 * 0.3].forEach((v, i) => expect(x[i]).toBeCloseTo(v, 6));
  });
});
