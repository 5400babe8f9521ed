import { readFileSync } from 'node:fs';
import { ShapeError, tensor, ValueError } from '@sparsekit/tensor';
import { describe, expect, it } from 'vitest';
import { Lasso, lassoPath } from '../src/lasso.js';
import { loadDiabetes } from './diabetes.js';

const { X, y } = loadDiabetes();
const fixture = JSON.parse(readFileSync(new URL('./fixtures/lasso.json', import.meta.url), 'utf8')) as {
  fits: { alpha: number; l1Ratio: number; coef: number[]; intercept: number }[];
  path: { eps: number; nAlphas: number; alphas: number[]; coefs: number[][] };
};

/** ½n⁻¹‖y − Xw − b‖² + αρ‖w‖₁ + ½α(1−ρ)‖w‖². */
function objective(w: ArrayLike<number>, b: number, alpha: number, l1Ratio: number): number {
  let loss = 0;
  X.forEach((row, i) => {
    let r = y[i]! - b;
    row.forEach((v, j) => (r -= v * w[j]!));
    loss += r * r;
  });
  let l1 = 0;
  let l2 = 0;
  for (let j = 0; j < w.length; j++) {
    l1 += Math.abs(w[j]!);
    l2 += w[j]! ** 2;
  }
  return loss / (2 * X.length) + alpha * l1Ratio * l1 + 0.5 * alpha * (1 - l1Ratio) * l2;
}

describe('Lasso', () => {
  it('has the data the fixture was made from', () => {
    expect(X.length).toBe(442);
    expect(X[0]!.length).toBe(10);
    expect(y.slice(0, 3)).toEqual([151, 75, 141]);
  });

  for (const fit of fixture.fits) {
    it(`matches scikit-learn's ${fit.l1Ratio === 1 ? 'Lasso' : 'ElasticNet'} on diabetes at alpha=${fit.alpha}, l1Ratio=${fit.l1Ratio} to 1e-4`, () => {
      const m = new Lasso({ alpha: fit.alpha, l1Ratio: fit.l1Ratio, tol: 1e-12, maxIter: 1_000_000 }).fit(X, y);
      expect(m.converged).toBe(true);
      m.coef.forEach((c, j) => expect(Math.abs(c - fit.coef[j]!), `coef[${j}]`).toBeLessThan(1e-4));
      expect(Math.abs(m.intercept - fit.intercept)).toBeLessThan(1e-4);
      // Exact zeros where scikit-learn has them.
      fit.coef.forEach((c, j) => {
        if (c === 0) expect(m.coef[j]).toBe(0);
      });
      expect(m.dualGap).toBeGreaterThanOrEqual(-1e-9);
      expect(m.dualGap).toBeLessThan(1e-12 * y.reduce((s, v) => s + v * v, 0));
    });
  }

  it('is optimal: no coordinate perturbation lowers the objective', () => {
    const m = new Lasso({ alpha: 0.1, tol: 1e-12, maxIter: 100_000 }).fit(X, y);
    const best = objective(m.coef, m.intercept, 0.1, 1);
    for (let j = 0; j < 10; j++) {
      for (const h of [1e-3, -1e-3]) {
        const w = Float64Array.from(m.coef);
        w[j]! += h;
        expect(objective(w, m.intercept, 0.1, 1)).toBeGreaterThan(best - 1e-12);
      }
    }
  });

  it('stops on the duality gap at the default tol, and reports the sweeps it ran', () => {
    const m = new Lasso({ alpha: 0.5 }).fit(X, y);
    expect(m.converged).toBe(true);
    expect(m.nIter).toBeGreaterThan(0);
    expect(m.dualGap * X.length).toBeLessThan(1e-4 * y.reduce((s, v) => s + (v - 152.133) ** 2, 0));
    const capped = new Lasso({ alpha: 0.01, maxIter: 2, tol: 1e-12 }).fit(X, y);
    expect(capped.nIter).toBe(2);
    expect(capped.converged).toBe(false);
  });

  it('fits without an intercept when asked, and predicts Xw + b', () => {
    const m = new Lasso({ alpha: 0.05, fitIntercept: false, tol: 1e-10, maxIter: 100_000 }).fit(X, y);
    expect(m.intercept).toBe(0);
    const withB = new Lasso({ alpha: 0.05, tol: 1e-10, maxIter: 100_000 }).fit(X, y);
    const pred = withB.predict(X.slice(0, 2));
    const manual = X.slice(0, 2).map((r) => r.reduce((s, v, j) => s + v * withB.coef[j]!, withB.intercept));
    expect(pred[0]).toBeCloseTo(manual[0]!, 10);
    expect(pred[1]).toBeCloseTo(manual[1]!, 10);
  });

  it('accepts tensors and { data, shape }', () => {
    const a = new Lasso({ alpha: 0.3 }).fit(tensor(X.flat(), [442, 10]), tensor(y, [442]));
    const b = new Lasso({ alpha: 0.3 }).fit({ data: X.flat(), shape: [442, 10] }, y);
    a.coef.forEach((c, j) => expect(c).toBeCloseTo(b.coef[j]!, 3));
  });

  it('rejects misuse with typed errors and keeps the previous fit', () => {
    expect(() => new Lasso({ alpha: -1 })).toThrow(/alpha must be a finite number >= 0, got number -1/);
    expect(() => new Lasso({ alpha: Number.NaN })).toThrow(ValueError);
    expect(() => new Lasso({ l1Ratio: 1.5 })).toThrow(ValueError);
    expect(() => new Lasso({ tol: 0 })).toThrow(/tol must be a finite number > 0/);
    expect(() => new Lasso({ maxIter: 0 })).toThrow(ValueError);
    expect(() => new Lasso({ fitIntercept: 1 as unknown as boolean })).toThrow(ValueError);
    expect(() => new Lasso({ lambda: 1 } as never)).toThrow(/unknown option 'lambda'/);
    const m = new Lasso({ alpha: 0.5 }).fit(X, y);
    const coef = Float64Array.from(m.coef);
    const bad = X.map((r) => [...r]);
    bad[10]![2] = Number.POSITIVE_INFINITY;
    expect(() => m.fit(bad, y)).toThrow(/X\[10\]\[2\] must be a finite number, got number Infinity/);
    expect(() => m.fit(X, y.slice(1))).toThrow(ShapeError);
    expect(() => m.fit(X, [...y.slice(1), Number.NaN])).toThrow(ValueError);
    // Typed data is checked inside the first pass over X; the error is the same.
    for (const [row, col, v] of [
      [0, 0, Number.NaN],
      [441, 9, Number.NEGATIVE_INFINITY],
      [200, 4, Number.POSITIVE_INFINITY],
    ] as const) {
      const typed = Float64Array.from(X.flat());
      typed[row * 10 + col] = v;
      expect(() => m.fit({ data: typed, shape: [442, 10] }, y)).toThrow(
        `Lasso.fit: X[${row}][${col}] must be a finite number, got number ${v}`,
      );
      expect(() => lassoPath({ data: typed, shape: [442, 10] }, y)).toThrow(
        `lassoPath: X[${row}][${col}] must be a finite number`,
      );
    }
    expect(m.coef).toEqual(coef);
    expect(() => m.predict([[1, 2]])).toThrow(ShapeError);
    expect(() => new Lasso().predict(X)).toThrow(/not fitted/);
  });
});

describe('lassoPath', () => {
  const yc = y.map((v) => v - y.reduce((s, t) => s + t, 0) / y.length);

  it("matches scikit-learn's lasso_path grid and coefficients on diabetes", () => {
    const path = lassoPath(X, yc, {
      nAlphas: fixture.path.nAlphas,
      eps: fixture.path.eps,
      tol: 1e-12,
      maxIter: 1_000_000,
    });
    expect(path.alphas.length).toBe(fixture.path.nAlphas);
    path.alphas.forEach((a, i) => expect(a).toBeCloseTo(fixture.path.alphas[i]!, 10));
    path.coefs.forEach((w, i) =>
      w.forEach((c, j) =>
        expect(Math.abs(c - fixture.path.coefs[i]![j]!), `alpha #${i} coef[${j}]`).toBeLessThan(1e-4),
      ),
    );
    expect([...path.coefs[0]!]).toEqual(new Array(10).fill(0));
  });

  it('solves given alphas largest first, warm-started, the same as separate fits', () => {
    const path = lassoPath(X, yc, { alphas: [0.1, 1, 0.01], tol: 1e-12, maxIter: 1_000_000 });
    expect([...path.alphas]).toEqual([1, 0.1, 0.01]);
    path.alphas.forEach((a, i) => {
      const m = new Lasso({ alpha: a, fitIntercept: false, tol: 1e-12, maxIter: 1_000_000 }).fit(X, yc);
      m.coef.forEach((c, j) => expect(path.coefs[i]![j]!).toBeCloseTo(c, 6));
    });
    expect(path.nIters.length).toBe(3);
    expect(path.dualGaps.length).toBe(3);
  });

  it('warm-starts past 32 non-zeros (the working-set buffer grows) the same as separate fits', () => {
    // 200×80 with 60 true non-zeros: the second α starts from more than 32 non-zeros, so the
    // residual's first pass grows the column buffer; it once read the old one and gave NaN.
    const n = 200;
    const p = 80;
    let s = 12345;
    const rand = (): number => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648 - 0.5;
    };
    const A = Array.from({ length: n }, () => Array.from({ length: p }, rand));
    const truth = Array.from({ length: p }, (_, j) => (j < 60 ? 1 + (j % 5) : 0));
    const b = A.map((row) => row.reduce((acc, v, j) => acc + v * truth[j]!, 0) + 0.01 * rand());
    const path = lassoPath(A, b, { alphas: [1e-3, 1e-4], tol: 1e-10, maxIter: 100_000 });
    expect(path.coefs[0]!.filter((c) => c !== 0).length).toBeGreaterThan(32);
    path.alphas.forEach((a, i) => {
      expect(path.coefs[i]!.every(Number.isFinite)).toBe(true);
      const m = new Lasso({ alpha: a, fitIntercept: false, tol: 1e-10, maxIter: 100_000 }).fit(A, b);
      m.coef.forEach((c, j) => expect(path.coefs[i]![j]!, `alpha ${a} coef[${j}]`).toBeCloseTo(c, 5));
    });
  });

  it('rejects misuse with typed errors', () => {
    expect(() => lassoPath(X, yc, { alphas: [1], nAlphas: 3 })).toThrow(ValueError);
    expect(() => lassoPath(X, yc, { alphas: [-1] })).toThrow(ValueError);
    expect(() => lassoPath(X, yc, { alphas: [] })).toThrow(ShapeError);
    expect(() => lassoPath(X, yc, { eps: 0 })).toThrow(ValueError);
    expect(() => lassoPath(X, yc, { l1Ratio: 0 })).toThrow(ValueError);
    expect(() => lassoPath(X, yc, { nAlpha: 5 } as never)).toThrow(/unknown option 'nAlpha'/);
    expect(() => lassoPath(X, yc.slice(2))).toThrow(ShapeError);
  });
});
