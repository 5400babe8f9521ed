import { gradCheck, Parameter } from '@sparsekit/autograd';
import { ShapeError, setBackend, tensor, ValueError } from '@sparsekit/tensor';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  elasticNet,
  groupLasso,
  l0,
  l1,
  l2,
  l12,
  nonNegative,
  projectBox,
  projectMaxNorm,
  type Regularizer,
} from '../src/index.js';
import { argmin1d, argminNd } from './brute-force.js';

beforeAll(() => {
  setBackend('cpu');
});

const W = [-3, -1.2, -0.4, -0.05, 0, 0.05, 0.3, 0.7, 1.1, 2.5];
const vec6 = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 6, maxLength: 6 });
const scales6 = fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }), { minLength: 6, maxLength: 6 });
const RUNS = { numRuns: 25, seed: 9 };

/** Elementwise penalties as plain functions of one coordinate, for the brute-force reference. */
const SEPARABLE: Array<[string, (lambda: number) => Regularizer, (lambda: number) => (x: number) => number]> = [
  ['l1', l1, (lam) => (x) => lam * Math.abs(x)],
  ['l2', l2, (lam) => (x) => (lam / 2) * x * x],
  ['elasticNet', (lam) => elasticNet(lam, { l1Ratio: 0.3 }), (lam) => (x) => lam * (0.3 * Math.abs(x) + 0.35 * x * x)],
  ['l0', l0, (lam) => (x) => (x === 0 ? 0 : lam)],
  ['l12', l12, (lam) => (x) => lam * Math.sqrt(Math.abs(x))],
  ['nonNegative', () => nonNegative(), () => (x) => (x < 0 ? Infinity : 0)],
];

describe('separable penalties: prox is the argmin of R(x) + (x − w)²/(2·t·s)', () => {
  for (const [name, make, r] of SEPARABLE) {
    it(`${name}: matches a brute-force minimisation on random vectors, steps and preconditioners`, () => {
      fc.assert(
        fc.property(
          vec6,
          scales6,
          fc.double({ min: 0.05, max: 2, noNaN: true }),
          fc.double({ min: 0, max: 2, noNaN: true }),
          (w, s, t, lambda) => {
            const got = make(lambda).prox(tensor(w), t, tensor(s)).dataSync();
            const plain = make(lambda)
              .prox(tensor(w), t * s[0])
              .dataSync();
            w.forEach((wi, i) => {
              const ref = argmin1d((x) => r(lambda)(x) + (x - wi) ** 2 / (2 * t * s[i]), -4, 4);
              const objective = (x: number): number => r(lambda)(x) + (x - wi) ** 2 / (2 * t * s[i]);
              // Ties (l0 exactly at its threshold) have two minimisers; compare objective values there.
              expect(objective(got[i]) - objective(ref)).toBeLessThan(2e-5);
              if (Math.abs(objective(got[i]) - objective(ref)) > 1e-9 || ref === 0)
                expect(Math.abs(got[i] - ref)).toBeLessThan(1e-3 + 1e-5 * Math.abs(ref));
            });
            const ref0 = argmin1d((x) => r(lambda)(x) + (x - w[0]) ** 2 / (2 * t * s[0]), -4, 4);
            expect(Math.abs(plain[0] - ref0)).toBeLessThan(1e-3);
          },
        ),
        RUNS,
      );
    });
  }

  it('l1 soft-thresholds by step·scale·λ and lands on exact zeros', () => {
    const out = l1(0.5).prox(tensor(W), 0.4).dataSync();
    W.forEach((w, i) => expect(out[i]).toBeCloseTo(Math.sign(w) * Math.max(Math.abs(w) - 0.2, 0), 6));
    expect(
      Array.from(
        l1(0.5)
          .prox(tensor([1, 1]), 0.4, tensor([1, 5]))
          .dataSync(),
      ),
    ).toEqual([Math.fround(0.8), 0]);
  });

  it('l0 hard-thresholds at √(2·λ·step·scale)', () => {
    const out = l0(0.5).prox(tensor(W), 0.4).dataSync();
    W.forEach((w, i) => expect(out[i]).toBe(Math.abs(w) > Math.sqrt(0.4) ? Math.fround(w) : 0));
  });

  it("l12 zeroes exactly up to the half-threshold (3/2)·τ^(2/3) and matches Xu et al.'s trigonometric closed form above it", () => {
    const tau = 0.8;
    const cut = 1.5 * Math.cbrt(tau * tau);
    const ws = [cut * 0.999, cut * 1.001, 1.5, 2.7, -3.3];
    const out = l12(tau).prox(tensor(ws), 1).dataSync();
    expect(out[0]).toBe(0);
    ws.slice(1).forEach((w, i) => {
      const phi = Math.acos((tau / 4) * (Math.abs(w) / 3) ** -1.5);
      const closed = Math.sign(w) * (2 / 3) * Math.abs(w) * (1 + Math.cos((2 * Math.PI) / 3 - (2 / 3) * phi));
      expect(out[i + 1]).toBeCloseTo(closed, 4);
    });
  });
});

describe('Moreau decomposition v = prox_{tf}(v) + t·prox_{f*/t}(v/t)', () => {
  const v = [2.5, -0.3, 0.05, -1.7, 0.9, 0];
  it('l1: f* is the indicator of the ∞-ball of radius λ, so its prox is projectBox(−λ, λ)', () => {
    const [lambda, t] = [0.7, 0.6];
    const a = l1(lambda).prox(tensor(v), t).dataSync();
    const b = projectBox(-lambda, lambda)
      .project(tensor(v.map((x) => x / t)))
      .dataSync();
    v.forEach((x, i) => expect(a[i] + t * b[i]).toBeCloseTo(x, 5));
  });

  it('l2 (λ/2‖·‖²): f* = ‖·‖²/(2λ), that is l2(1/λ)', () => {
    const [lambda, t] = [1.3, 0.4];
    const a = l2(lambda).prox(tensor(v), t).dataSync();
    const b = l2(1 / lambda)
      .prox(tensor(v.map((x) => x / t)), 1 / t)
      .dataSync();
    v.forEach((x, i) => expect(a[i] + t * b[i]).toBeCloseTo(x, 5));
  });

  it('groupLasso: f* is the indicator of {‖y_g‖₂ ≤ λ}, so its prox is projectMaxNorm(λ) per group', () => {
    const [lambda, t] = [0.9, 0.5];
    const m = [2, 1, -0.2, 0.1, 0.3, -0.1, 0, 0, 4, -3, 0.05, 0.2];
    const a = groupLasso(lambda)
      .prox(tensor(m, [4, 3]), t)
      .dataSync();
    const b = projectMaxNorm(lambda)
      .project(
        tensor(
          m.map((x) => x / t),
          [4, 3],
        ),
      )
      .dataSync();
    m.forEach((x, i) => expect(a[i] + t * b[i]).toBeCloseTo(x, 5));
  });
});

describe('groupLasso', () => {
  const objective = (lambda: number, t: number, w: number[], s: number[]) => (x: number[]) =>
    lambda * Math.hypot(...x) + x.reduce((acc, xi, i) => acc + (xi - w[i]) ** 2 / (2 * t * s[i]), 0);

  it('block soft-thresholds each row: max(0, 1 − tλ/‖w_g‖)·w_g, whole rows to exactly zero', () => {
    const w = [3, 4, 0.3, 0.4, 0, 0];
    const out = groupLasso(1, { groups: 'neurons' })
      .prox(tensor(w, [3, 2]), 1)
      .dataSync();
    expect(Array.from(out)).toEqual([3 * 0.8, 4 * 0.8, 0, 0, 0, 0].map(Math.fround));
    const cols = groupLasso(1, { groups: 'features' })
      .prox(tensor([3, 0.1, 4, 0.1], [2, 2]), 1)
      .dataSync();
    expect(Array.from(cols)).toEqual([3 * 0.8, 0, 4 * 0.8, 0].map(Math.fround));
  });

  it('with a per-coordinate preconditioner matches a brute-force minimisation per group', () => {
    fc.assert(
      fc.property(
        vec6,
        scales6,
        fc.double({ min: 0.1, max: 2, noNaN: true }),
        fc.double({ min: 0.1, max: 1.5, noNaN: true }),
        (w, s, t, lambda) => {
          const out = groupLasso(lambda, { groups: { size: 3 } })
            .prox(tensor(w, [6]), t, tensor(s, [6]))
            .dataSync();
          for (const g of [0, 3]) {
            const f = objective(lambda, t, w.slice(g, g + 3), s.slice(g, g + 3));
            const ref = argminNd(f, w.slice(g, g + 3), 3.5);
            const got = Array.from(out.slice(g, g + 3));
            expect(f(got) - f(ref)).toBeLessThan(1e-5);
            got.forEach((x, i) => expect(Math.abs(x - ref[i])).toBeLessThan(2e-3));
            if (ref.every((x) => x === 0)) expect(got.every((x) => x === 0)).toBe(true);
          }
        },
      ),
      { numRuns: 15, seed: 3 },
    );
  });

  it("with preconditioners spread over six orders of magnitude (as Adam's 1/denom) it meets the optimality condition λx/‖x‖ + (x − w)/(t·s) = 0", () => {
    let seed = 5;
    const u = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 6; trial++) {
      const w = Array.from({ length: 4 * 50 }, () => 4 * u() - 2);
      const s = w.map(() => 10 ** (6 * u() - 3));
      const [t, lambda] = [0.01, 0.5 + trial];
      const x = groupLasso(lambda, { groups: 'rows' })
        .prox(tensor(w, [4, 50]), t, tensor(s, [4, 50]))
        .dataSync();
      for (let g = 0; g < 4; g++) {
        const idx = Array.from({ length: 50 }, (_, j) => g * 50 + j);
        const norm = Math.hypot(...idx.map((i) => x[i]));
        if (norm === 0) {
          // Zero exactly when ‖w_g/(t·s_g)‖ ≤ λ.
          expect(Math.hypot(...idx.map((i) => w[i] / (t * s[i])))).toBeLessThanOrEqual(lambda * (1 + 1e-5));
          continue;
        }
        expect(Math.hypot(...idx.map((i) => w[i] / (t * s[i])))).toBeGreaterThan(lambda);
        for (const i of idx)
          expect(Math.abs((lambda * x[i]) / norm + (x[i] - w[i]) / (t * s[i]))).toBeLessThan(
            1e-3 * (lambda + Math.abs(w[i]) / (t * s[i])),
          );
      }
    }
  });

  it('its value is λ Σ_g ‖w_g‖₂ with a gradient that passes gradCheck (zero groups included)', () => {
    const w = new Parameter(tensor([0.3, -0.4, 0, 0, 1, 2], [3, 2]));
    expect(groupLasso(2).value(w).value.dataSync()[0]).toBeCloseTo(2 * (0.5 + Math.sqrt(5)), 5);
    expect(gradCheck((p) => groupLasso(2).value(p), [tensor([0.3, -0.4, 0.7, 0.1, 1, 2], [3, 2])]).ok).toBe(true);
    const sub = groupLasso(2).subgradient(w).dataSync();
    expect(Array.from(sub).map((x) => +x.toFixed(5))).toEqual([
      1.2,
      -1.6,
      0,
      0,
      +(2 / Math.sqrt(5)).toFixed(5),
      +(4 / Math.sqrt(5)).toFixed(5),
    ]);
  });
});

describe('values and subgradients', () => {
  const w = [0.5, -2, 0, 1.5];
  const cases: Array<[string, Regularizer, number, number[]]> = [
    ['l1', l1(0.3), 0.3 * 4, w.map((x) => 0.3 * Math.sign(x))],
    ['l2', l2(0.3), 0.15 * (0.25 + 4 + 2.25), w.map((x) => 0.3 * x)],
    [
      'elasticNet',
      elasticNet(0.3, { l1Ratio: 0.25 }),
      0.3 * (0.25 * 4 + 0.375 * 6.5),
      w.map((x) => 0.3 * (0.25 * Math.sign(x) + 0.75 * x)),
    ],
    ['l0', l0(0.3), 0.9, [0, 0, 0, 0]],
    [
      'l12',
      l12(0.3),
      0.3 * (Math.SQRT1_2 + Math.SQRT2 + Math.sqrt(1.5)),
      w.map((x) => (x === 0 ? 0 : (0.3 * Math.sign(x)) / (2 * Math.sqrt(Math.abs(x))))),
    ],
    ['nonNegative', nonNegative(), Infinity, [0, 0, 0, 0]],
  ];
  for (const [name, reg, value, subgradient] of cases) {
    it(`${name}: value ${value.toFixed(4)} and subgradient as in its closed form`, () => {
      expect(reg.value(tensor(w)).value.dataSync()[0]).toBeCloseTo(value, 5);
      Array.from(reg.subgradient(tensor(w)).dataSync()).forEach((g, i) => expect(g).toBeCloseTo(subgradient[i], 5));
    });
  }

  it('value is differentiable through autograd where the penalty is (gradCheck away from kinks)', () => {
    for (const reg of [l1(0.3), l2(0.7), elasticNet(0.5), l12(0.4)]) {
      expect(gradCheck((p) => reg.value(p), [tensor([0.5, -2, 0.8, 1.5])]).ok, reg.name).toBe(true);
    }
  });

  it('l12 and l1 give a finite gradient of 0 at exact zeros', () => {
    for (const reg of [l1(0.3), l12(0.4)]) {
      const p = new Parameter(tensor([0, 1]));
      reg.value(p).backward();
      expect(Array.from((p.grad as NonNullable<typeof p.grad>).dataSync())[0], reg.name).toBe(0);
    }
  });

  it('nonNegative is 0 on the non-negative orthant', () => {
    expect(
      nonNegative()
        .value(tensor([0, 1, 2]))
        .value.dataSync()[0],
    ).toBe(0);
  });
});

describe('misuse fails loudly', () => {
  it('rejects a negative, NaN or non-number λ, naming the factory', () => {
    for (const [name, make] of [
      ['l1', l1],
      ['l2', l2],
      ['l0', l0],
      ['l12', l12],
      ['elasticNet', elasticNet],
      ['groupLasso', groupLasso],
    ] as const) {
      for (const bad of [-1, NaN, Infinity, '1']) {
        expect(() => (make as (l: unknown) => unknown)(bad), `${name}(${String(bad)})`).toThrow(ValueError);
        expect(() => (make as (l: unknown) => unknown)(bad)).toThrow(
          new RegExp(`^${name}: lambda must be a finite number >= 0`),
        );
      }
    }
  });

  it('rejects unknown option keys and bad option values', () => {
    expect(() => elasticNet(1, { l1ratio: 0.5 } as never)).toThrow(
      /elasticNet: unknown option 'l1ratio'.*did you mean 'l1Ratio'/,
    );
    expect(() => elasticNet(1, { l1Ratio: 1.5 })).toThrow(ValueError);
    expect(() => groupLasso(1, { group: 'rows' } as never)).toThrow(/groupLasso: unknown option 'group'/);
    expect(() => groupLasso(1, { groups: 'diagonals' } as never)).toThrow(/groupLasso: groups must be/);
    expect(() => groupLasso(1, { groups: { size: 0 } })).toThrow(ValueError);
  });

  it('a group spec that does not fit the tensor is a ShapeError, and the input is untouched', () => {
    const w = tensor([1, 2, 3, 4, 5]);
    const reg = groupLasso(1, { groups: { size: 2 } });
    expect(() => reg.prox(w, 0.1)).toThrow(ShapeError);
    expect(() => reg.prox(w, 0.1)).toThrow(
      /groupLasso.prox: groups \{ size: 2 \} must divide the tensor's size, got a tensor of 5 elements/,
    );
    expect(() => reg.value(w)).toThrow(ShapeError);
    expect(() => reg.subgradient(w)).toThrow(ShapeError);
    expect(Array.from(w.dataSync())).toEqual([1, 2, 3, 4, 5]);
  });

  it('prox rejects a bad step, scale or w', () => {
    const reg = l1(1);
    expect(() => reg.prox(tensor([1]), -0.1)).toThrow(/l1.prox: step must be a finite number >= 0/);
    expect(() => reg.prox(tensor([1]), NaN)).toThrow(ValueError);
    expect(() => reg.prox(tensor([1]), 0.1, [1] as never)).toThrow(/l1.prox: scale must be a Tensor/);
    expect(() => reg.prox([1] as never, 0.1)).toThrow(/l1.prox: w must be a Tensor or Variable/);
    expect(() => reg.value(3 as never)).toThrow(ValueError);
  });
});
