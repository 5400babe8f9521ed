import * as A from '@sparsekit/autograd';
import * as T from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectedL0Gates,
  HARD_CONCRETE_DEFAULTS,
  HardConcreteGate,
  hardConcreteEval,
  hardConcreteSample,
} from '../src/index.js';

beforeAll(() => {
  T.setBackend('cpu');
});

const { beta, gamma, zeta } = HARD_CONCRETE_DEFAULTS;
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
// Closed forms (Louizos et al. 2018, §4.1 and eq. 12), in float64 on the host.
const pZero = (logAlpha: number): number => sigmoid(beta * Math.log(-gamma / zeta) - logAlpha);
const pOne = (logAlpha: number): number => sigmoid(logAlpha - beta * Math.log((1 - gamma) / (zeta - 1)));
const sampleRef = (logAlpha: number, u: number): number => {
  const s = sigmoid((Math.log(u) - Math.log(1 - u) + logAlpha) / beta);
  return Math.min(1, Math.max(0, s * (zeta - gamma) + gamma));
};

describe('hard-concrete gates', () => {
  it('has the paper defaults β = 2/3, γ = −0.1, ζ = 1.1', () => {
    expect(HARD_CONCRETE_DEFAULTS).toEqual({ beta: 2 / 3, gamma: -0.1, zeta: 1.1 });
  });

  it('samples z = clamp(σ((log u − log(1−u) + log α)/β)(ζ−γ)+γ, 0, 1) for fixed noise', () => {
    const la = [-2, -0.5, 0, 0.7, 3];
    const u = [0.01, 0.3, 0.5, 0.8, 0.999];
    const z = hardConcreteSample(T.tensor(la), T.tensor(u)).value.dataSync();
    la.forEach((a, i) => expect(z[i]).toBeCloseTo(sampleRef(a, u[i]), 6));
  });

  it('matches the closed forms of P(z = 0) and P(z = 1) within 1% over 1e5 samples', () => {
    const n = 100_000;
    for (const logAlpha of [-1.5, 0, 0.8, 2.5]) {
      const gate = new HardConcreteGate(n, { seed: 7 });
      gate.logAlpha.assign(T.full([n], logAlpha));
      const z = gate.gates().value.dataSync();
      let zeros = 0;
      let ones = 0;
      for (const v of z) {
        if (v === 0) zeros++;
        else if (v === 1) ones++;
      }
      expect(Math.abs(zeros / n - pZero(logAlpha))).toBeLessThan(0.01);
      expect(Math.abs(ones / n - pOne(logAlpha))).toBeLessThan(0.01);
      // The expected L0 is the probability of a non-zero gate, summed.
      const l0 = expectedL0Gates(T.full([n], logAlpha)).value.itemSync();
      expect(l0 / n).toBeCloseTo(1 - pZero(logAlpha), 5);
      gate.dispose();
    }
  });

  it('passes gradCheck in log α with the sampling noise fixed (away from the clamp)', () => {
    const logAlpha = T.tensor([-0.6, -0.2, 0.1, 0.4, 0.9, 1.3]);
    const u = T.tensor([0.35, 0.5, 0.42, 0.6, 0.3, 0.2]);
    const z = hardConcreteSample(logAlpha, u).value.dataSync();
    for (const v of z) expect(v > 0.05 && v < 0.95).toBe(true);
    expect(A.gradCheck((la) => hardConcreteSample(la, u), [logAlpha]).ok).toBe(true);
    expect(A.gradCheck((la) => expectedL0Gates(la), [logAlpha]).ok).toBe(true);
    expect(A.gradCheck((la) => hardConcreteEval(la), [logAlpha]).ok).toBe(true);
    // In the clamped region the gradient is exactly zero.
    const clamped = A.variable(T.tensor([-6, 6]));
    A.sum(hardConcreteSample(clamped, T.tensor([0.5, 0.5]))).backward();
    expect(Array.from(clamped.grad!.dataSync())).toEqual([0, 0]);
  });

  it('is stochastic and seeded in training, deterministic in eval (closed iff log α ≤ log(−γ/ζ))', () => {
    const a = new HardConcreteGate(50, { seed: 3 });
    const b = new HardConcreteGate(50, { seed: 3 });
    const a1 = a.gates().value.dataSync();
    const a2 = a.gates().value.dataSync();
    expect(Array.from(b.gates().value.dataSync())).toEqual(Array.from(a1));
    expect(Array.from(a2)).not.toEqual(Array.from(a1));
    const threshold = Math.log(-gamma / zeta);
    const la = T.tensor([threshold - 0.01, threshold + 0.01, 0, 5]);
    const g = new HardConcreteGate(4);
    g.logAlpha.assign(la);
    g.eval();
    const e1 = g.gates().value.dataSync();
    expect(Array.from(g.gates().value.dataSync())).toEqual(Array.from(e1));
    expect(e1[0]).toBe(0);
    expect(e1[1]).toBeGreaterThan(0);
    expect(e1[2]).toBeCloseTo(0.5 * (zeta - gamma) + gamma, 6);
    expect(e1[3]).toBe(1);
  });

  it('initialises log α at log(1 − p) − log p with seeded N(0, 0.01²) noise', () => {
    const g = new HardConcreteGate(10_000, { initialDropRate: 0.2, seed: 1 });
    const la = g.logAlpha.value.dataSync();
    const mean = la.reduce((s, v) => s + v, 0) / la.length;
    expect(mean).toBeCloseTo(Math.log(0.8 / 0.2), 3);
    const sd = Math.sqrt(la.reduce((s, v) => s + (v - mean) ** 2, 0) / la.length);
    expect(sd).toBeCloseTo(0.01, 3);
  });

  it('gates the last axis of its input in forward', () => {
    const g = new HardConcreteGate(3).eval();
    g.logAlpha.assign(T.tensor([-10, 0, 10]));
    const y = g
      .forward(
        T.tensor([
          [2, 2, 2],
          [1, 1, 1],
        ]),
      )
      .value.dataSync();
    const mid = 0.5 * (zeta - gamma) + gamma;
    expect(Array.from(y).map((v) => +v.toFixed(6))).toEqual([0, +(2 * mid).toFixed(6), 2, 0, +mid.toFixed(6), 1]);
  });

  it('rejects bad sizes, parameters, unknown options and non-finite values with ValueErrors', () => {
    expect(() => new HardConcreteGate(0)).toThrow(T.ValueError);
    expect(() => new HardConcreteGate(2.5)).toThrow(/HardConcreteGate: size must be an integer >= 1/);
    expect(() => new HardConcreteGate(3, { beta: 0 })).toThrow(/beta/);
    expect(() => new HardConcreteGate(3, { gamma: 0.1 })).toThrow(/gamma/);
    expect(() => new HardConcreteGate(3, { zeta: 1 })).toThrow(/zeta/);
    expect(() => new HardConcreteGate(3, { initialDropRate: 1 })).toThrow(/initialDropRate/);
    expect(() => new HardConcreteGate(3, { beta: Number.NaN })).toThrow(/beta must be a finite number/);
    expect(() => new HardConcreteGate(3, { temperature: 1 } as never)).toThrow(/unknown option 'temperature'/);
    expect(() => new HardConcreteGate(3, { seed: Number.NaN })).toThrow(/seed/);
    expect(() => hardConcreteSample(T.tensor([0]), T.tensor([0.5]), { zeta: 0.5 })).toThrow(T.ValueError);
    expect(() => hardConcreteEval(T.tensor([0]), { bogus: 1 } as never)).toThrow(/unknown option 'bogus'/);
    const g = new HardConcreteGate(3);
    expect(() => g.forward(T.tensor([[1, 2]]))).toThrow(/last axis must have 3 entries/);
  });
});
