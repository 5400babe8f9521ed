import { gather, matmul, mul, Random, setBackend, sub, type Tensor, tensor, ValueError } from '@sparsekit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bestLambda,
  type CrossValidationRow,
  crossValidate,
  l1,
  regularizationPath,
  type Split,
} from '../src/index.js';

beforeAll(() => {
  setBackend('cpu');
});

/** A Lasso problem with a known support: y = X·w* + noise, w* non-zero on features 0, 3 and 7 only. */
const N = 60;
const P = 10;
const SUPPORT = [0, 3, 7];
const rng = new Random(42);
const X = Array.from({ length: N * P }, () => rng.normal());
const TRUE_W: number[] = Array.from({ length: P }, (_, j) => (j === 0 ? 2 : j === 3 ? -1.5 : j === 7 ? 1 : 0));
const Y = Array.from({ length: N }, (_, i) => TRUE_W.reduce((a, w, j) => a + w * X[i * P + j], 0) + 0.5 * rng.normal());

/** λ_max = ‖Xᵀy‖∞/m: the smallest λ whose Lasso solution (for ½/m‖Xw − y‖² + λ‖w‖₁) is 0. */
function lambdaMax(rows: number[]): number {
  let best = 0;
  for (let j = 0; j < P; j++)
    best = Math.max(best, Math.abs(rows.reduce((a, i) => a + X[i * P + j] * Y[i], 0)) / rows.length);
  return best;
}

/** ISTA: w ← prox_{tλ‖·‖₁}(w − t·Xᵀ(Xw − y)/m), t = 1/L with L the largest eigenvalue of XᵀX/m (power iteration). */
function lasso(rows: number[], lambda: number, iterations = 300, start?: Tensor): Tensor {
  const m = rows.length;
  const x = gather(tensor(X, [N, P]), rows);
  const y = gather(tensor(Y, [N, 1]), rows);
  let v = Array.from({ length: P }, () => 1);
  let L = 0;
  for (let k = 0; k < 100; k++) {
    const xv = rows.map((i) => v.reduce((a, vj, j) => a + X[i * P + j] * vj, 0));
    const u = v.map((_, j) => rows.reduce((a, i, r) => a + X[i * P + j] * xv[r], 0) / m);
    L = Math.hypot(...u);
    v = u.map((uj) => uj / L);
  }
  const penalty = l1(lambda);
  let w = start ?? tensor(new Float32Array(P), [P, 1]);
  for (let k = 0; k < iterations; k++) {
    const grad = mul(matmul(x, sub(matmul(x, w), y), { transposeA: true }), 1 / m);
    w = penalty.prox(sub(w, mul(grad, 1 / L)), 1 / L).materializeSync();
  }
  return w;
}

const support = (w: Tensor): number[] => Array.from(w.dataSync()).flatMap((x, j) => (x !== 0 ? [j] : []));
const mse = (w: Tensor, rows: number[]): number => {
  const coef = w.dataSync();
  return (
    rows.reduce((a, i) => a + (Y[i] - Array.from(coef).reduce((s, c, j) => s + c * X[i * P + j], 0)) ** 2, 0) /
    rows.length
  );
};
const ALL = Array.from({ length: N }, (_, i) => i);
const LAMBDAS = [4, 1.2, 0.6, 0.3, 0.15, 0.08, 0.04, 0.02, 0.005];

describe('regularizationPath', () => {
  it('fits one model per λ with warm starts; above λ_max = ‖Xᵀy‖∞/n the fit is exactly 0, and sparsity falls with λ', async () => {
    const lmax = lambdaMax(ALL);
    const seen: number[] = [];
    const path = await regularizationPath<Tensor>(
      [lmax * 1.01, ...LAMBDAS.filter((l) => l < lmax)],
      (lambda, previous) => lasso(ALL, lambda, 300, previous),
      {
        onProgress: ({ done, total }) => seen.push(done / total),
      },
    );
    expect(path[0].sparsity).toBe(1);
    expect(path[0].nonzeros).toBe(0);
    for (let i = 1; i < path.length; i++) expect(path[i].sparsity).toBeLessThanOrEqual(path[i - 1].sparsity);
    expect(support(path.find((p) => p.lambda === 0.15)?.model as Tensor)).toEqual(SUPPORT);
    expect(seen.at(-1)).toBe(1);
    expect(seen).toHaveLength(path.length);
  });
});

describe('crossValidate', () => {
  it('trains one model per λ and fold on seeded folds that partition the samples, and tabulates mean ± std and sparsity', async () => {
    const splits: Split[] = [];
    const progress: number[] = [];
    const table = await crossValidate({
      samples: N,
      folds: 5,
      lambdas: LAMBDAS,
      seed: 7,
      train: (split) => {
        splits.push(split);
        return lasso(split.train, split.lambda);
      },
      score: (w, split) => mse(w, split.validation),
      onProgress: ({ done }) => progress.push(done),
    });
    expect(splits).toHaveLength(LAMBDAS.length * 5);
    expect(progress).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
    const folds = splits.slice(0, 5).map((s) => s.validation);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(ALL);
    folds.forEach((f, k) => {
      expect(f).toHaveLength(12);
      expect([...splits[k].train, ...f].sort((a, b) => a - b)).toEqual(ALL);
    });
    expect(splits[5].validation).toEqual(splits[0].validation);
    for (const row of table) {
      const mean = row.scores.reduce((a, b) => a + b, 0) / 5;
      const std = Math.sqrt(row.scores.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
      expect(row.mean).toBeCloseTo(mean, 12);
      expect(row.std).toBeCloseTo(std, 12);
      expect(row.se).toBeCloseTo(std / Math.sqrt(5), 12);
    }
    expect(lambdaMax(ALL)).toBeLessThan(4);
    expect(table[0].sparsity).toBe(1);
    expect(table.at(-1)?.sparsity).toBeLessThan(0.5);

    // The CV minimum keeps every true feature but, as usual for the Lasso, some false ones too;
    // the one-standard-error rule picks a larger λ and a sparser model that still keeps the
    // whole true support (the rule's purpose, ESL §7.10).
    const best = bestLambda(table);
    const oneSe = bestLambda(table, { rule: 'one-standard-error' });
    expect(best).toBe(0.04);
    expect(oneSe).toBe(0.08);
    const [atBest, atOneSe] = [support(lasso(ALL, best)), support(lasso(ALL, oneSe))];
    expect(atBest).toEqual(expect.arrayContaining(SUPPORT));
    expect(atOneSe).toEqual(expect.arrayContaining(SUPPORT));
    expect(atOneSe.length).toBeLessThan(atBest.length);
    expect(support(lasso(ALL, 0.3))).toEqual(SUPPORT);

    const again = await crossValidate({
      samples: N,
      folds: 5,
      lambdas: [0.15],
      seed: 7,
      train: (s) => lasso(s.train, s.lambda),
      score: (w, s) => mse(w, s.validation),
    });
    expect(again[0].scores).toEqual(table[4].scores);
    const other: number[][] = [];
    await crossValidate({
      samples: N,
      folds: 5,
      lambdas: [0.15],
      seed: 8,
      train: (s) => (other.push(s.validation), lasso(s.train, s.lambda, 5)),
      score: () => 0,
    });
    expect(other[0]).not.toEqual(folds[0]);
  });

  it('rejects bad folds, λs, seeds, callbacks, unknown keys and NaN scores before training anything', async () => {
    let trained = 0;
    const base = { samples: 10, folds: 2, lambdas: [0.1], train: () => (trained++, tensor([0])), score: () => 0 };
    const bad: Array<[object, RegExp]> = [
      [{ folds: 1 }, /crossValidate: folds must be an integer in \[2, samples = 10\], got number 1/],
      [{ folds: 11 }, /folds must be an integer/],
      [{ lambdas: [-0.1] }, /crossValidate: lambdas\[0\] must be a finite number >= 0, got number -0.1/],
      [{ lambdas: [NaN] }, /lambdas\[0\]/],
      [{ lambdas: [] }, /lambdas must be a non-empty array/],
      [{ seed: NaN }, /seed must be a finite number/],
      [{ score: 3 }, /score must be a function/],
      [{ fold: 3 }, /unknown option 'fold'/],
    ];
    for (const [patch, message] of bad) {
      await expect(crossValidate({ ...base, ...patch } as never)).rejects.toThrow(message);
      await expect(crossValidate({ ...base, ...patch } as never)).rejects.toBeInstanceOf(ValueError);
    }
    expect(trained).toBe(0);
    await expect(crossValidate({ ...base, score: () => NaN })).rejects.toThrow(
      /score must return a number, got number NaN for lambda 0.1, fold 0/,
    );
    await expect(regularizationPath([0.1, -1], () => tensor([0]))).rejects.toThrow(
      /regularizationPath: lambdas\[1\] must be a finite number >= 0/,
    );
  });
});

describe('bestLambda', () => {
  const table: CrossValidationRow[] = [
    { lambda: 1, mean: 5, std: 1, se: 0.5, scores: [], sparsity: 1 },
    { lambda: 0.5, mean: 2.3, std: 0.4, se: 0.2, scores: [], sparsity: 0.8 },
    { lambda: 0.25, mean: 2.0, std: 0.6, se: 0.3, scores: [], sparsity: 0.5 },
    { lambda: 0.1, mean: 2.1, std: 0.6, se: 0.3, scores: [], sparsity: 0.2 },
  ];
  it("'min' picks the lowest mean error; 'one-standard-error' the largest λ within one SE of it", () => {
    expect(bestLambda(table)).toBe(0.25);
    expect(bestLambda(table, { rule: 'min' })).toBe(0.25);
    expect(bestLambda(table, { rule: 'one-standard-error' })).toBe(0.5); // 2.3 ≤ 2.0 + 0.3
  });

  it('rejects an unknown rule, unknown keys and an empty or malformed table', () => {
    expect(() => bestLambda(table, { rule: 'max' as 'min' })).toThrow(
      /bestLambda: rule must be 'min' or 'one-standard-error', got string "max"/,
    );
    expect(() => bestLambda(table, { rul: 'min' } as never)).toThrow(/unknown option 'rul'/);
    expect(() => bestLambda([])).toThrow(ValueError);
    expect(() => bestLambda([{ lambda: 1 } as never])).toThrow(/table\[0\] must be a row/);
  });
});
