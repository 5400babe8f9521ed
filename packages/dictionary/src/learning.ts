import { checkOptions, describeValue, Random, ShapeError, type Tensor, ValueError } from '@sparsekit/tensor';
import { correlations, gramMatrix, rowSquaredNorms } from './gram.js';
import { batchOmp, type CsrCodes, codesTensor, ompCodeSteps } from './omp.js';
import { type Need, PAUSE, runAsync, runSync, type Steps } from './steps.js';
import { checkInteger, checkPositive, type HostMatrix, type MatrixInput, toMatrix, toMatrixSteps } from './validate.js';

/** Row-major host matrices in float64, as `validate.ts` reads them. @internal */
export type Matrix = HostMatrix;

/** What a progress callback receives after each iteration (epoch for online learning). */
export interface ProgressEvent {
  /** 1-based number of the iteration just finished. */
  iteration: number;
  /** The iteration budget of this fit. */
  maxIter: number;
  /** Root-mean-square representation error ‖X − CD‖_F / √(nSamples·nFeatures) after it. */
  error: number;
}

/** Called after every iteration of a fit; returning `false` stops the fit there, keeping what it learned. */
export type ProgressCallback = (event: ProgressEvent) => boolean | void;

/** Why the last fit ended. */
export type StopReason = 'maxIter' | 'converged' | 'callback' | 'aborted';

/** Options of `fit` / `fitAsync`. */
export interface FitOptions {
  /** Stops the fit between iterations once aborted; what was learned so far is kept. */
  signal?: AbortSignal;
}

/** Options objects are required where hyperparameters have no defaults; unknown keys are rejected. @internal */
export function checkOptionKeys(op: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) throw new ValueError(op, `options must be an object, got ${describeValue(options)}`);
  checkOptions(op, options, known);
}

/** A callback option: a function, or absent. @internal */
export function checkCallback<T>(op: string, name: string, value: T): T {
  if (value !== undefined && typeof value !== 'function')
    throw new ValueError(op, `${name} must be a function, got ${describeValue(value)}`);
  return value;
}

/** The sparse-coding rule of a learner: a fixed number of atoms, an error target, or both. @internal */
export interface CodingRule {
  nNonzeroCoefs?: number;
  /** Target squared residual per signal. */
  tol?: number;
}

/** Reads `nNonzeroCoefs` / `codingTol` (at least one) into a coding rule. @internal */
export function readCodingRule(
  op: string,
  options: { nNonzeroCoefs?: unknown; codingTol?: unknown },
  k: number,
): CodingRule {
  if (options.nNonzeroCoefs === undefined && options.codingTol === undefined) {
    throw new ValueError(op, 'expected nNonzeroCoefs or codingTol (the sparse-coding stopping rule), got neither');
  }
  const rule: CodingRule = {};
  if (options.nNonzeroCoefs !== undefined)
    rule.nNonzeroCoefs = checkInteger(op, 'nNonzeroCoefs', options.nNonzeroCoefs, 1, k);
  if (options.codingTol !== undefined) rule.tol = checkPositive(op, 'codingTol', options.codingTol);
  return rule;
}

/** Batch-OMP codes of the rows of X over the dictionary D (k×n), as steps (see steps.ts). @internal */
export function* sparseCodes(X: Matrix, D: Float64Array, k: number, rule: CodingRule): Steps<CsrCodes> {
  const G = gramMatrix(D, k, X.cols);
  const DtX = yield* correlations(X.data, X.rows, D, k, X.cols);
  return batchOmp(G, DtX, k, {
    nNonzeroCoefs: rule.nNonzeroCoefs,
    tol: rule.tol,
    sqNorms: rule.tol !== undefined ? rowSquaredNorms(X.data, X.rows, X.cols) : undefined,
  });
}

/** Squared representation errors ‖xᵢ − γᵢD‖² per signal. @internal */
export function residualSqErrors(
  X: Matrix,
  D: Float64Array,
  codes: { indptr: Int32Array; indices: Int32Array; values: ArrayLike<number> },
): Float64Array {
  const { rows: N, cols: n, data: x } = X;
  const out = new Float64Array(N);
  const r = new Float64Array(n);
  for (let i = 0; i < N; i++) {
    for (let t = 0; t < n; t++) r[t] = x[i * n + t]!;
    for (let p = codes.indptr[i]!; p < codes.indptr[i + 1]!; p++) {
      const g = codes.values[p]!;
      const o = codes.indices[p]! * n;
      for (let t = 0; t < n; t++) r[t] -= g * D[o + t]!;
    }
    let s = 0;
    for (let t = 0; t < n; t++) s += r[t]! * r[t]!;
    out[i] = s;
  }
  return out;
}

/** RMS of the representation error, √(Σ errᵢ / (N·n)). @internal */
export function rmsError(sqErrors: Float64Array, nFeatures: number): number {
  let s = 0;
  for (let i = 0; i < sqErrors.length; i++) s += sqErrors[i]!;
  return Math.sqrt(s / (sqErrors.length * nFeatures));
}

/** Scales row j of D to unit ℓ2 norm; returns its former norm. @internal */
export function normalizeRow(D: Float64Array, j: number, n: number): number {
  let s = 0;
  for (let t = j * n; t < (j + 1) * n; t++) s += D[t]! * D[t]!;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let t = j * n; t < (j + 1) * n; t++) D[t]! /= norm;
  return norm;
}

/** Fills row j of D with a seeded Gaussian direction of unit norm. @internal */
export function randomAtom(D: Float64Array, j: number, n: number, rng: Random): void {
  do {
    for (let t = j * n; t < (j + 1) * n; t++) D[t] = rng.normal();
  } while (normalizeRow(D, j, n) === 0);
}

/** The `init` option: start from random signals, random Gaussian atoms, or a given k×n dictionary. */
export type DictionaryInit = 'data' | 'random' | MatrixInput;

/** Reads `init` once at construction: the explicit dictionary (checked later against X), or the mode. @internal */
export function readInit(op: string, init: unknown, k: number): 'data' | 'random' | Matrix {
  if (init === 'data' || init === 'random') return init;
  if (typeof init === 'string')
    throw new ValueError(op, `init must be 'data', 'random' or a ${k}-row matrix, got '${init}'`);
  const m = toMatrix(op, 'init', init);
  if (m.rows !== k) throw new ShapeError(op, `init must have nComponents = ${k} rows, got ${m.rows}`);
  return m;
}

/**
 * The starting dictionary (k×n, unit rows): `'data'` takes k distinct signals drawn by the
 * seeded generator (zero signals and any shortfall below k signals become random atoms),
 * `'random'` Gaussian directions, or a given matrix, normalised. @internal
 */
export function initialDictionary(X: Matrix, k: number, init: 'data' | 'random' | Matrix, rng: Random): Float64Array {
  const n = X.cols;
  const D = new Float64Array(k * n);
  if (init === 'random') {
    for (let j = 0; j < k; j++) randomAtom(D, j, n, rng);
  } else if (init === 'data') {
    const perm = rng.permutation(X.rows);
    for (let j = 0; j < k; j++) {
      if (j < X.rows) {
        const o = perm[j]! * n;
        for (let t = 0; t < n; t++) D[j * n + t] = X.data[o + t]!;
        if (normalizeRow(D, j, n) > 0) continue;
      }
      randomAtom(D, j, n, rng);
    }
  } else {
    for (let t = 0; t < k * n; t++) D[t] = init.data[t]!;
    for (let j = 0; j < k; j++) if (normalizeRow(D, j, n) === 0) randomAtom(D, j, n, rng);
  }
  return D;
}

/**
 * Replaces unused and near-duplicate atoms (Rubinstein's KSVD-Box `cleardict`): an atom used
 * by fewer than `minUse` signals, or whose |⟨dⱼ, dₖ⟩| exceeds `muThresh` for another atom,
 * becomes the normalised signal that is currently worst represented; that signal's error is
 * then zeroed so it seeds at most one atom. Returns the number of atoms replaced. @internal
 */
export function replaceAtoms(
  D: Float64Array,
  k: number,
  X: Matrix,
  sqErrors: Float64Array,
  usage: Int32Array,
  rng: Random,
  { muThresh = 0.99, minUse = 1 }: { muThresh?: number; minUse?: number } = {},
): number {
  const n = X.cols;
  const err = Float64Array.from(sqErrors);
  let replaced = 0;
  for (let j = 0; j < k; j++) {
    let dup = false;
    for (let b = 0; b < k && !dup; b++) {
      if (b === j) continue;
      let s = 0;
      for (let t = 0; t < n; t++) s += D[j * n + t]! * D[b * n + t]!;
      dup = Math.abs(s) > muThresh;
    }
    if (!dup && usage[j]! >= minUse) continue;
    let worst = -1;
    let worstErr = 0;
    for (let i = 0; i < err.length; i++) {
      if (err[i]! > worstErr) {
        worstErr = err[i]!;
        worst = i;
      }
    }
    if (worst >= 0) {
      for (let t = 0; t < n; t++) D[j * n + t] = X.data[worst * n + t]!;
      err[worst] = 0;
      if (normalizeRow(D, j, n) === 0) randomAtom(D, j, n, rng);
    } else {
      randomAtom(D, j, n, rng);
    }
    replaced++;
  }
  return replaced;
}

/** How many signals use each atom. @internal */
export function atomUsage(codes: { indices: Int32Array; values: ArrayLike<number> }, k: number): Int32Array {
  const usage = new Int32Array(k);
  for (let p = 0; p < codes.indices.length; p++) if (codes.values[p] !== 0) usage[codes.indices[p]!]!++;
  return usage;
}

/**
 * The key of a learner's whole fit as steps, for the drivers in this package (`fit`,
 * `fitAsync`, `denoise`): a symbol that index.ts does not export keeps it off the public surface.
 * @internal
 */
export const FIT_STEPS: unique symbol = Symbol('sparsekit.dictionary.fitSteps');

/** Hyperparameters every dictionary learner takes. Give `nNonzeroCoefs`, `codingTol`, or both. */
export interface DictionaryLearnerOptions {
  /** Number of atoms k. */
  nComponents: number;
  /** Atoms per signal in the sparse-coding step (a cap when `codingTol` is also given). */
  nNonzeroCoefs?: number;
  /** Target squared residual ‖x − γD‖² per signal in the sparse-coding step (OMP's `tol`). */
  codingTol?: number;
  /** Iterations of `fit` (epochs for the online learner). Default 10. */
  maxIter?: number;
  /** Stop when the RMS error changes by at most `tol` relative to the previous iteration. Default 1e-6; 0 runs `maxIter`. */
  tol?: number;
  /** Starting atoms: k random signals (`'data'`, default), Gaussian directions (`'random'`) or a k×n matrix. */
  init?: DictionaryInit;
  /** Seed of everything random (initialisation, atom replacement, shuffles). Default 0. */
  seed?: number;
  /** Called after every iteration; returning `false` stops the fit, keeping what it learned. */
  onProgress?: ProgressCallback;
}

/** Hyperparameters every learner shares, read once by its constructor. @internal */
export interface LearnerSettings {
  k: number;
  rule: CodingRule;
  maxIter: number;
  tol: number;
  init: 'data' | 'random' | Matrix;
  seed: number;
  onProgress: ProgressCallback | undefined;
}

const SHARED_KEYS = [
  'nComponents',
  'nNonzeroCoefs',
  'codingTol',
  'maxIter',
  'tol',
  'init',
  'seed',
  'onProgress',
] as const;

/**
 * Reads the shared hyperparameters (and rejects keys outside them and `extraKeys`):
 * `maxIter` default 10, `tol` default 1e-6, `init` default `'data'`, `seed` default 0.
 * @internal
 */
export function readLearnerSettings(op: string, options: unknown, extraKeys: readonly string[]): LearnerSettings {
  checkOptionKeys(op, options, [...SHARED_KEYS, ...extraKeys]);
  const o = options as Record<string, unknown>;
  const k = checkInteger(op, 'nComponents', o.nComponents, 1);
  return {
    k,
    rule: readCodingRule(op, o, k),
    maxIter: checkInteger(op, 'maxIter', o.maxIter ?? 10, 1),
    tol: checkPositive(op, 'tol', o.tol ?? 1e-6, true),
    init: readInit(op, o.init ?? 'data', k),
    seed: checkInteger(op, 'seed', o.seed ?? 0, Number.MIN_SAFE_INTEGER),
    onProgress: checkCallback(op, 'onProgress', o.onProgress as ProgressCallback | undefined),
  };
}

/**
 * Shared surface of the dictionary learners (scikit-learn style): hyperparameters are read
 * once in the constructor, `fit` learns `components` (nComponents×nFeatures; unit-norm rows, norm ≤ 1 for the online learner)
 * and records `errorHistory`, `nIter` and `stopReason`; `transform` sparse-codes new
 * signals over the learned atoms with Batch-OMP.
 *
 * One iteration generator is driven two ways (see steps.ts): `fit` reads the correlation
 * kernel with `dataSync()`; `fitAsync` reads it with `await data()`, the only readback WebGPU
 * has, and yields to the event loop between iterations, so an `AbortSignal` or a timer can
 * stop it. Both run the same arithmetic and learn the same atoms.
 */
export abstract class DictionaryLearner {
  /**
   * Learned atoms as rows, `{ data, shape: [nComponents, nFeatures] }` row-major (a matrix
   * every SparseKit function accepts, e.g. as the D of `orthogonalMatchingPursuit`); `null`
   * before the first fit.
   */
  components: { data: Float32Array; shape: [number, number] } | null = null;
  /** RMS representation error after each iteration of the last fit. */
  errorHistory: number[] = [];
  /** Iterations the last fit ran. */
  nIter = 0;
  /** Why the last fit ended. */
  stopReason: StopReason | null = null;

  /** Working dictionary in float64 (k×n). */
  protected dict: Float64Array | null = null;

  protected constructor(
    protected readonly op: string,
    protected readonly settings: LearnerSettings,
  ) {}

  /**
   * One fit as steps (see steps.ts) that also yield the RMS error after each iteration, as a
   * number; a number is resumed with nothing.
   */
  protected abstract iterations(X: Matrix): Generator<Need | number, void, Float32Array>;

  /** Validates the options and X against the learner (before anything changes); a Tensor X is read as a step. */
  protected *prepare(X: unknown, options: unknown, op: string): Steps<{ matrix: Matrix; signal?: AbortSignal }> {
    checkOptionKeys(op, options, ['signal']);
    const { signal } = options as FitOptions;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new ValueError(op, `signal must be an AbortSignal, got ${describeValue(signal)}`);
    }
    const matrix = yield* toMatrixSteps(op, 'X', X);
    this.checkFitMatrix(matrix, op);
    return { matrix, signal };
  }

  /** Learner-specific checks of X (shape of an explicit init, …). */
  protected checkFitMatrix(X: Matrix, op: string): void {
    const init = this.settings.init;
    if (typeof init === 'object' && init.cols !== X.cols) {
      throw new ShapeError(op, `X must have as many columns as the init dictionary (${init.cols}), got ${X.cols}`);
    }
  }

  /** Publishes the working dictionary as `components`. */
  protected publish(n: number): void {
    this.components = { data: Float32Array.from(this.dict!), shape: [this.settings.k, n] };
  }

  /**
   * A whole fit as steps: validation, then the iterations with the bookkeeping and stopping
   * rules between them, and a {@link PAUSE} after every iteration that does not end the fit.
   * `fit` and `fitAsync` (and `denoise` / `denoiseAsync`) drive it. @internal
   */
  *[FIT_STEPS](X: unknown, options: unknown, op: string): Steps<this> {
    const { matrix, signal } = yield* this.prepare(X, options, op);
    if (signal?.aborted) return this;
    this.errorHistory = [];
    this.nIter = 0;
    this.stopReason = 'maxIter';
    const run = this.iterations(matrix);
    try {
      let r = run.next();
      while (!r.done) {
        const error = r.value;
        if (typeof error !== 'number') {
          r = run.next(yield error);
          continue;
        }
        this.nIter++;
        this.errorHistory.push(error);
        this.publish(matrix.cols);
        const prev = this.errorHistory.length > 1 ? this.errorHistory[this.errorHistory.length - 2]! : Infinity;
        if (this.settings.onProgress?.({ iteration: this.nIter, maxIter: this.settings.maxIter, error }) === false) {
          this.stopReason = 'callback';
          break;
        }
        if (signal?.aborted) {
          this.stopReason = 'aborted';
          break;
        }
        if (this.errorHistory.length > 1 && Math.abs(prev - error) <= this.settings.tol * prev) {
          this.stopReason = 'converged';
          break;
        }
        yield PAUSE;
        if (signal?.aborted) {
          this.stopReason = 'aborted';
          break;
        }
        r = run.next();
      }
    } finally {
      run.return();
    }
    return this;
  }

  /**
   * Learns the dictionary from the rows of X (nSamples×nFeatures). Stops after `maxIter`
   * iterations, when the RMS error changes by at most `tol` relative to the previous
   * iteration, when `onProgress` returns `false`, or when `options.signal` is aborted; the
   * atoms learned up to that point are kept. A signal already aborted changes nothing.
   * Reads the correlation kernel synchronously, so not on WebGPU: use {@link fitAsync} there.
   */
  fit(X: MatrixInput, options: FitOptions = {}): this {
    return runSync(this[FIT_STEPS](X, options, `${this.op}.fit`));
  }

  /**
   * {@link fit} for every backend, WebGPU included: the same iterations and the same atoms,
   * with every kernel result (and a Tensor X) read by `await data()`, never synchronously,
   * and a yield to the event loop between iterations, so a signal aborted by a timer, a
   * Worker message or another task stops it. Rejects with the errors {@link fit} throws.
   */
  async fitAsync(X: MatrixInput, options: FitOptions = {}): Promise<this> {
    return runAsync(this[FIT_STEPS](X, options, `${this.op}.fitAsync`));
  }

  /**
   * Sparse codes of the rows of X over the learned atoms: Batch-OMP with the learner's
   * `nNonzeroCoefs` / `codingTol`, exactly `orthogonalMatchingPursuit(X, components, …)`.
   * Returns an nSamples×nComponents tensor, so X ≈ codes · components. Not on WebGPU: use
   * {@link transformAsync} there.
   */
  transform(X: MatrixInput): Tensor {
    return runSync(this.transformSteps(X, `${this.op}.transform`));
  }

  /** {@link transform} for every backend, WebGPU included: the same codes, every kernel result read by `await data()`. */
  async transformAsync(X: MatrixInput): Promise<Tensor> {
    return runAsync(this.transformSteps(X, `${this.op}.transformAsync`));
  }

  private *transformSteps(X: unknown, op: string): Steps<Tensor> {
    if (this.components === null) throw new ValueError(op, 'the learner has not been fitted; call fit(X) first');
    return codesTensor(
      yield* ompCodeSteps(op, X, this.components, {
        nNonzeroCoefs: this.settings.rule.nNonzeroCoefs,
        tol: this.settings.rule.tol,
      }),
    );
  }
}

/**
 * The alternation K-SVD and MOD share: starting atoms from `init`; then per iteration, atoms
 * that went unused or nearly duplicate another in the previous iteration are replaced by the
 * worst-represented signals, every signal is Batch-OMP coded, and `updateDictionary` moves
 * the atoms (and may refresh the coefficients). Yields the RMS error after each iteration.
 */
export abstract class AlternatingDictionaryLearner extends DictionaryLearner {
  /** Updates D in place from the codes; returns the coefficients that go with the new atoms. @internal */
  protected abstract updateDictionary(X: Matrix, D: Float64Array, codes: CsrCodes): Float64Array;

  protected *iterations(X: Matrix): Generator<Need | number, void, Float32Array> {
    const { k, rule, maxIter, init, seed } = this.settings;
    const rng = new Random(seed);
    const D = initialDictionary(X, k, init, rng);
    this.dict = D;
    let last: { errors: Float64Array; usage: Int32Array } | null = null;
    for (let it = 0; it < maxIter; it++) {
      if (last) replaceAtoms(D, k, X, last.errors, last.usage, rng);
      const codes = yield* sparseCodes(X, D, k, rule);
      const values = this.updateDictionary(X, D, codes);
      const updated = { indptr: codes.indptr, indices: codes.indices, values };
      const errors = residualSqErrors(X, D, updated);
      last = { errors, usage: atomUsage(updated, k) };
      yield rmsError(errors, X.cols);
    }
  }
}
