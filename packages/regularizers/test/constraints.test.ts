import { setBackend, tensor, ValueError } from '@sparsekit/tensor';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupLasso, type Projection, projectBox, projectL1Ball, projectL2Ball, projectMaxNorm } from '../src/index.js';
import { argminNd } from './brute-force.js';

beforeAll(() => {
  setBackend('cpu');
});

const RUNS = { numRuns: 40, seed: 11 };
const vec8 = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 8, maxLength: 8 });
const l1 = (x: ArrayLike<number>): number => Array.from(x).reduce((a, b) => a + Math.abs(b), 0);
const l2 = (x: ArrayLike<number>): number => Math.hypot(...Array.from(x));

/** The L1-ball projection by bisection on θ in float64: a different algorithm from the sort-based one under test. */
function l1BallByBisection(v: number[], r: number): number[] {
  if (l1(v) <= r) return v;
  let lo = 0;
  let hi = Math.max(...v.map(Math.abs));
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (v.reduce((a, x) => a + Math.max(Math.abs(x) - mid, 0), 0) > r) lo = mid;
    else hi = mid;
  }
  return v.map((x) => Math.sign(x) * Math.max(Math.abs(x) - hi, 0));
}

/**
 * p is the projection of v onto a closed convex set C iff p ∈ C and ⟨v − p, x − p⟩ ≤ 0 for
 * every x ∈ C; checked on feasible points drawn from C.
 */
function expectNearest(v: number[], p: ArrayLike<number>, feasible: number[][]): void {
  for (const x of feasible) {
    const inner = v.reduce((a, vi, i) => a + (vi - p[i]) * (x[i] - p[i]), 0);
    expect(inner).toBeLessThan(1e-4);
  }
}

/** Random points of C: random directions pushed into the set by the reference projection. */
function feasiblePoints(seed: number, n: number, into: (x: number[]) => number[]): number[][] {
  let s = seed >>> 0;
  const u = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 6 - 3;
  return Array.from({ length: 20 }, () => into(Array.from({ length: n }, u)));
}

describe('projectL1Ball', () => {
  it('lands in the ball and is the nearest point (bisection reference, variational inequality), points inside unchanged', () => {
    fc.assert(
      fc.property(vec8, fc.double({ min: 0.1, max: 12, noNaN: true }), (v, r) => {
        const p = projectL1Ball(r).project(tensor(v)).dataSync();
        expect(l1(p)).toBeLessThanOrEqual(r * (1 + 1e-5));
        const ref = l1BallByBisection(v, r);
        ref.forEach((x, i) => expect(Math.abs(p[i] - x)).toBeLessThan(1e-5 * Math.max(1, r)));
        if (l1(v) <= r) v.forEach((x, i) => expect(p[i] === Math.fround(x)).toBe(true));
        expectNearest(
          v,
          p,
          feasiblePoints(7, 8, (x) => l1BallByBisection(x, r)),
        );
      }),
      RUNS,
    );
  });

  it('in a preconditioned metric it is the argmin of Σ (xᵢ − wᵢ)²/sᵢ over the ball (brute force)', () => {
    const cases: Array<[number[], number[], number]> = [
      [[2, -1, 0.5], [1, 3, 0.5], 1.2],
      [[-0.3, 2.2, 1.1], [0.4, 0.4, 2], 0.8],
      [[0.1, 0.2, -0.1], [1, 2, 3], 1],
    ];
    for (const [w, s, r] of cases) {
      const got = Array.from(projectL1Ball(r).prox(tensor(w), 0.7, tensor(s)).dataSync());
      const f = (x: number[]): number =>
        l1(x) > r ? Infinity : x.reduce((a, xi, i) => a + (xi - w[i]) ** 2 / s[i], 0);
      const ref = argminNd(f, [0, 0, 0], r);
      expect(l1(got)).toBeLessThanOrEqual(r * (1 + 1e-5));
      got.forEach((x, i) => expect(Math.abs(x - ref[i])).toBeLessThan(3e-3));
    }
  });

  it('rejects radius ≤ 0 and non-finite entries, changing nothing', () => {
    for (const bad of [0, -1, NaN, Infinity])
      expect(() => projectL1Ball(bad)).toThrow(/projectL1Ball: radius must be a finite number > 0/);
    const w = tensor([1, NaN, 2]);
    expect(() => projectL1Ball(1).project(w)).toThrow(ValueError);
    expect(() => projectL1Ball(1).project(w)).toThrow(/projectL1Ball.project: w must be finite, got NaN at index 1/);
  });
});

describe('projectL2Ball and projectMaxNorm', () => {
  it('projectL2Ball scales onto the sphere: w·min(1, r/‖w‖), points inside unchanged, nearest point', () => {
    fc.assert(
      fc.property(vec8, fc.double({ min: 0.1, max: 9, noNaN: true }), (v, r) => {
        const p = projectL2Ball(r).project(tensor(v)).dataSync();
        const k = Math.min(1, r / l2(v));
        v.forEach((x, i) => expect(Math.abs(p[i] - x * k)).toBeLessThan(1e-5 * Math.max(1, Math.abs(x))));
        expect(l2(p)).toBeLessThanOrEqual(r * (1 + 1e-5));
        expectNearest(
          v,
          p,
          feasiblePoints(5, 8, (x) => x.map((xi) => xi * Math.min(1, r / l2(x)))),
        );
      }),
      RUNS,
    );
  });

  it('projectMaxNorm caps every neuron (row) at the radius and leaves short rows alone', () => {
    const w = [3, 4, 0.3, 0.4, 0, 0, -6, 8];
    const p = projectMaxNorm(1)
      .project(tensor(w, [4, 2]))
      .dataSync();
    expect(Array.from(p)).toEqual([0.6, 0.8, 0.3, 0.4, 0, 0, -0.6, 0.8].map(Math.fround));
    const cols = projectMaxNorm(1, { groups: 'features' })
      .project(tensor([3, 0.3, 4, 0.4], [2, 2]))
      .dataSync();
    expect(Array.from(cols)).toEqual([0.6, 0.3, 0.8, 0.4].map(Math.fround));
  });

  it('in a preconditioned metric it is the argmin of Σ (xᵢ − wᵢ)²/sᵢ over the ball (brute force), per group', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.double({ min: 0.2, max: 3, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.double({ min: 0.2, max: 2, noNaN: true }),
        (w, s, r) => {
          const got = projectMaxNorm(r, { groups: 'rows' })
            .prox(tensor(w, [2, 3]), 0.5, tensor(s, [2, 3]))
            .dataSync();
          for (const g of [0, 3]) {
            const wg = w.slice(g, g + 3);
            const sg = s.slice(g, g + 3);
            const distance = (x: number[]): number => x.reduce((a, xi, i) => a + (xi - wg[i]) ** 2 / sg[i], 0);
            const ref = argminNd((x) => (l2(x) > r ? Infinity : distance(x)), [0, 0, 0], r);
            const mine = Array.from(got.slice(g, g + 3));
            expect(l2(mine)).toBeLessThanOrEqual(r * (1 + 1e-5));
            expect(distance(mine) - distance(ref)).toBeLessThan(1e-4);
            mine.forEach((x, i) => expect(Math.abs(x - ref[i])).toBeLessThan(3e-3));
          }
        },
      ),
      { numRuns: 12, seed: 5 },
    );
  });

  it("Moreau: the L2 ball's conjugate is r‖·‖₂, so v = P_ball(v) + t·prox_{r‖·‖/t}(v/t)", () => {
    const v = [2, -1, 0.5, 3];
    const [r, t] = [1.5, 0.8];
    const a = projectL2Ball(r).project(tensor(v)).dataSync();
    const b = groupLasso(r, { groups: 'tensor' })
      .prox(tensor(v.map((x) => x / t)), 1 / t)
      .dataSync();
    v.forEach((x, i) => expect(a[i] + t * b[i]).toBeCloseTo(x, 5));
  });

  it('rejects radius ≤ 0, unknown options and group specs that do not fit', () => {
    expect(() => projectL2Ball(0)).toThrow(/projectL2Ball: radius must be a finite number > 0, got number 0/);
    expect(() => projectMaxNorm(-2)).toThrow(ValueError);
    expect(() => projectMaxNorm(1, { axis: 0 } as never)).toThrow(/projectMaxNorm: unknown option 'axis'/);
    expect(() => projectMaxNorm(1, { groups: { size: 4 } }).project(tensor([1, 2, 3]))).toThrow(
      /projectMaxNorm.project: groups \{ size: 4 \}/,
    );
  });
});

describe('projectBox', () => {
  it('clips into [lower, upper] (infinite bounds allowed) and is the nearest point', () => {
    fc.assert(
      fc.property(vec8, (v) => {
        const p = projectBox(-1, 0.5).project(tensor(v)).dataSync();
        v.forEach((x, i) => expect(p[i] === Math.fround(Math.min(0.5, Math.max(-1, x)))).toBe(true));
        expectNearest(
          v,
          p,
          feasiblePoints(3, 8, (x) => x.map((xi) => Math.min(0.5, Math.max(-1, xi)))),
        );
      }),
      RUNS,
    );
    expect(
      Array.from(
        projectBox(0, Infinity)
          .project(tensor([-2, 3]))
          .dataSync(),
      ),
    ).toEqual([0, 3]);
  });

  it('rejects NaN bounds and an empty box', () => {
    expect(() => projectBox(NaN, 1)).toThrow(/projectBox: lower must be a number/);
    expect(() => projectBox(2, 1)).toThrow(/projectBox: need lower <= upper/);
  });
});

describe('constraints as regularizers', () => {
  const sets: Array<[string, Projection, number[], number[]]> = [
    ['l1Ball', projectL1Ball(1), [0.5, -0.5], [2, 0]],
    ['l2Ball', projectL2Ball(1), [0.6, 0.8], [1, 1]],
    ['maxNorm', projectMaxNorm(1), [0.6, 0.8], [1, 1]],
    ['box', projectBox(0, 1), [0, 1], [1.5, 0]],
  ];
  for (const [name, set, inside, outside] of sets) {
    it(`${name}: value is the indicator (0 inside, +∞ outside), subgradient 0, prox = projection for any step`, () => {
      const shape = name === 'maxNorm' ? [1, 2] : [2];
      expect(set.value(tensor(inside, shape)).value.dataSync()[0]).toBe(0);
      expect(set.value(tensor(outside, shape)).value.dataSync()[0]).toBe(Infinity);
      expect(Array.from(set.subgradient(tensor(outside, shape)).dataSync())).toEqual([0, 0]);
      expect(Array.from(set.prox(tensor(outside, shape), 0.3).dataSync())).toEqual(
        Array.from(set.project(tensor(outside, shape)).dataSync()),
      );
    });
  }
});
