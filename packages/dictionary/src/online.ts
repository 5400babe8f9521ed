import { Random, ShapeError } from '@sparsekit/tensor';
import {
  DictionaryLearner,
  type DictionaryLearnerOptions,
  initialDictionary,
  type Matrix,
  randomAtom,
  readLearnerSettings,
  residualSqErrors,
  sparseCodes,
} from './learning.js';
import { type Need, runAsync, runSync, type Steps } from './steps.js';
import { checkBoolean, checkInteger, type MatrixInput, toMatrixSteps } from './validate.js';

/** Hyperparameters of {@link OnlineDictionaryLearning}: the shared ones (`maxIter` counts epochs of `fit`), `batchSize` and `shuffle`. */
export interface OnlineDictionaryLearningOptions extends DictionaryLearnerOptions {
  /** Signals per mini-batch η. Default 256. */
  batchSize?: number;
  /** Shuffle the signals before each epoch. Default true. */
  shuffle?: boolean;
}

/**
 * Online dictionary learning (Mairal, Bach, Ponce & Sapiro 2009, "Online dictionary learning
 * for sparse coding", ICML; Algorithms 1–2 with the mini-batch extension of §3.4). For each
 * mini-batch of η signals, coded over the current atoms, the sufficient statistics
 *
 *   A ← βA + Σᵢ γᵢγᵢᵀ  (k×k),   B ← βB + Σᵢ γᵢxᵢᵀ  (k×n),
 *   β = (θ + 1 − η)/(θ + 1),  θ = tη if t < η else η² + t − η   (t = mini-batches seen)
 *
 * summarise all past codes, and one pass of block-coordinate descent updates each atom with
 * the others fixed: uⱼ = dⱼ + (bⱼ − Σₖ Aⱼₖdₖ)/Aⱼⱼ, dⱼ = uⱼ / max(‖uⱼ‖, 1). Atoms no signal
 * has used yet (Aⱼⱼ = 0) are resampled from the mini-batch, as §3.4 suggests. Sparse coding
 * is Batch-OMP (an ℓ0 constraint) rather than the paper's LARS-Lasso, as in K-SVD and MOD.
 *
 * `fit` runs `maxIter` epochs of shuffled mini-batches from fresh statistics;
 * `partialFit(batch)` takes one mini-batch step and keeps the statistics between calls, so a
 * stream can be learned from one batch at a time. Atoms have norm ≤ 1 (= 1 once used).
 */
export class OnlineDictionaryLearning extends DictionaryLearner {
  private readonly batchSize: number;
  private readonly shuffle: boolean;
  private A: Float64Array | null = null;
  private B: Float64Array | null = null;
  private steps = 0;
  private rng: Random;

  constructor(options: OnlineDictionaryLearningOptions) {
    const op = 'OnlineDictionaryLearning';
    const settings = readLearnerSettings(op, options, ['batchSize', 'shuffle']);
    const batchSize = checkInteger(op, 'batchSize', options.batchSize ?? 256, 1);
    const shuffle = options.shuffle === undefined ? true : checkBoolean(op, 'shuffle', options.shuffle);
    super(op, settings);
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.rng = new Random(settings.seed);
  }

  /**
   * One mini-batch step on the rows of `X`: codes them, folds them into the statistics A
   * and B, and updates every atom once. The first call (or the first after `fit`'s state was
   * never created) initialises the atoms from `X`. Appends the batch's RMS error (before the
   * update) to `errorHistory` and counts one iteration in `nIter`. Not on WebGPU: use
   * {@link partialFitAsync} there.
   */
  partialFit(X: MatrixInput): this {
    return runSync(this.partialFitSteps(X, `${this.op}.partialFit`));
  }

  /** {@link partialFit} for every backend, WebGPU included: the same step, every kernel result read by `await data()`. */
  async partialFitAsync(X: MatrixInput): Promise<this> {
    return runAsync(this.partialFitSteps(X, `${this.op}.partialFitAsync`));
  }

  private *partialFitSteps(X: unknown, op: string): Steps<this> {
    const m = yield* toMatrixSteps(op, 'X', X);
    this.checkFitMatrix(m, op);
    const width = this.components?.shape[1];
    if (this.dict !== null && m.cols !== width) {
      throw new ShapeError(op, `X must have nFeatures = ${width} columns like the batches before it, got ${m.cols}`);
    }
    if (this.dict === null) this.reset(m);
    const error = yield* this.step(m);
    this.errorHistory.push(Math.sqrt(error / (m.rows * m.cols)));
    this.nIter++;
    this.stopReason = null;
    this.publish(m.cols);
    return this;
  }

  private reset(X: Matrix): void {
    const { k, init, seed } = this.settings;
    this.rng = new Random(seed);
    this.dict = initialDictionary(X, k, init, this.rng);
    this.A = new Float64Array(k * k);
    this.B = new Float64Array(k * X.cols);
    this.steps = 0;
  }

  /** Folds one mini-batch in and updates the atoms; returns the batch's summed squared error before the update. */
  private *step(X: Matrix): Steps<number> {
    const { k, rule } = this.settings;
    const n = X.cols;
    const D = this.dict!;
    const A = this.A!;
    const B = this.B!;
    const codes = yield* sparseCodes(X, D, k, rule);
    const errors = residualSqErrors(X, D, codes);
    let total = 0;
    for (let i = 0; i < errors.length; i++) total += errors[i]!;
    this.steps++;
    const eta = X.rows;
    const t = this.steps;
    const theta = t < eta ? t * eta : eta * eta + t - eta;
    const beta = (theta + 1 - eta) / (theta + 1);
    for (let q = 0; q < A.length; q++) A[q]! *= beta;
    for (let q = 0; q < B.length; q++) B[q]! *= beta;
    const { indptr, indices, values } = codes;
    for (let i = 0; i < X.rows; i++) {
      for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
        const a = indices[p]!;
        const va = values[p]!;
        for (let q = indptr[i]!; q < indptr[i + 1]!; q++) A[a * k + indices[q]!] += va * values[q]!;
        for (let c = 0; c < n; c++) B[a * n + c] += va * X.data[i * n + c]!;
      }
    }
    const u = new Float64Array(n);
    for (let j = 0; j < k; j++) {
      const ajj = A[j * k + j]!;
      if (!(ajj > 1e-12)) {
        const pick = this.rng.int(0, X.rows);
        for (let c = 0; c < n; c++) D[j * n + c] = X.data[pick * n + c]!;
        let s = 0;
        for (let c = 0; c < n; c++) s += D[j * n + c]! * D[j * n + c]!;
        if (s > 0) for (let c = 0; c < n; c++) D[j * n + c]! /= Math.sqrt(s);
        else randomAtom(D, j, n, this.rng);
        continue;
      }
      for (let c = 0; c < n; c++) u[c] = B[j * n + c]!;
      for (let a = 0; a < k; a++) {
        const aja = A[j * k + a]!;
        if (aja === 0) continue;
        for (let c = 0; c < n; c++) u[c] -= aja * D[a * n + c]!;
      }
      let s = 0;
      for (let c = 0; c < n; c++) {
        u[c] = D[j * n + c]! + u[c]! / ajj;
        s += u[c]! * u[c]!;
      }
      const scale = 1 / Math.max(Math.sqrt(s), 1);
      for (let c = 0; c < n; c++) D[j * n + c] = u[c]! * scale;
    }
    return total;
  }

  protected *iterations(X: Matrix): Generator<Need | number, void, Float32Array> {
    this.reset(X);
    const N = X.rows;
    const n = X.cols;
    const batch = new Float64Array(Math.min(this.batchSize, N) * n);
    for (let epoch = 0; epoch < this.settings.maxIter; epoch++) {
      const order = this.shuffle ? this.rng.permutation(N) : Int32Array.from({ length: N }, (_, i) => i);
      let total = 0;
      for (let start = 0; start < N; start += this.batchSize) {
        const rows = Math.min(this.batchSize, N - start);
        for (let r = 0; r < rows; r++)
          batch.set(X.data.subarray(order[start + r]! * n, (order[start + r]! + 1) * n), r * n);
        total += yield* this.step({ rows, cols: n, data: batch.subarray(0, rows * n) });
      }
      yield Math.sqrt(total / (N * n));
    }
  }
}
