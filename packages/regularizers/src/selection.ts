/**
 * Choosing λ: a regularization path (one fit per λ) and k-fold cross-validation (one fit per
 * λ and fold), with the "min" and "one-standard-error" rules (Hastie, Tibshirani & Friedman,
 * "The Elements of Statistical Learning", 2nd ed., §7.10; glmnet's `lambda.min` / `lambda.1se`).
 * The training and scoring functions are the caller's, so any model and optimizer fit.
 */
import { Module, Variable } from '@sparsekit/autograd';
import { checkOptions, describeValue, permutation, Tensor, ValueError } from '@sparsekit/tensor';

/** What a train function returns: a model, a tensor (or variable) of coefficients, or a list of them. */
export type Fitted = Module | Tensor | Variable | ReadonlyArray<Tensor | Variable>;

/** One point of a {@link regularizationPath}. */
export interface PathPoint<M extends Fitted> {
  lambda: number;
  /** What `train` returned for this λ (the caller owns it). */
  model: M;
  /** Exact zeros ÷ coefficients (for a Module: over its weights, the 2-D parameters named `…weight`). */
  sparsity: number;
  /** Coefficients that are not exactly zero. */
  nonzeros: number;
}

/** Options of {@link regularizationPath}. */
export interface PathOptions {
  /** Called after each fit. */
  onProgress?: (progress: { done: number; total: number; lambda: number }) => void;
}

function checkLambdas(fn: string, lambdas: unknown): number[] {
  if (!Array.isArray(lambdas) || lambdas.length === 0)
    throw new ValueError(fn, `lambdas must be a non-empty array of numbers >= 0, got ${describeValue(lambdas)}`);
  lambdas.forEach((l, i) => {
    if (!(typeof l === 'number' && Number.isFinite(l) && l >= 0))
      throw new ValueError(fn, `lambdas[${i}] must be a finite number >= 0, got ${describeValue(l)}`);
  });
  return [...lambdas];
}

function checkFunction(fn: string, name: string, f: unknown): void {
  if (typeof f !== 'function') throw new ValueError(fn, `${name} must be a function, got ${describeValue(f)}`);
}

/** The coefficient tensors of a fitted model: a Module's weights (2-D parameters named `…weight`), or the tensors themselves. */
function coefficients(fn: string, m: unknown): Tensor[] {
  const one = (x: unknown): Tensor => {
    if (x instanceof Tensor) return x;
    if (x instanceof Variable) return x.value;
    throw new ValueError(
      fn,
      `train must return a Module, a Tensor, a Variable or an array of them, got ${describeValue(x)}`,
    );
  };
  if (m instanceof Module)
    return [...m.namedParameters()].filter(([n, p]) => p.rank === 2 && /(^|\.)weight$/.test(n)).map(([, p]) => p.value);
  return Array.isArray(m) ? m.map(one) : [one(m)];
}

async function countZeros(fn: string, m: unknown): Promise<{ zeros: number; size: number }> {
  let zeros = 0;
  let size = 0;
  for (const t of coefficients(fn, m)) {
    const data = await t.data();
    for (const v of data) if (v === 0) zeros++;
    size += data.length;
  }
  return { zeros, size };
}

/**
 * Fits one model per λ, in the order given (decreasing λ suits warm starts: `train` gets the
 * previous fit), and reports each fit's sparsity. Deterministic when `train` is.
 */
export async function regularizationPath<M extends Fitted>(
  lambdas: readonly number[],
  train: (lambda: number, previous: M | undefined) => M | Promise<M>,
  options?: PathOptions,
): Promise<Array<PathPoint<M>>> {
  const fn = 'regularizationPath';
  const ls = checkLambdas(fn, lambdas);
  checkFunction(fn, 'train', train);
  checkOptions(fn, options, ['onProgress']);
  const onProgress = options?.onProgress;
  if (onProgress !== undefined) checkFunction(fn, 'options.onProgress', onProgress);
  const out: Array<PathPoint<M>> = [];
  let previous: M | undefined;
  for (const [i, lambda] of ls.entries()) {
    const model = await train(lambda, previous);
    const { zeros, size } = await countZeros(fn, model);
    out.push({ lambda, model, sparsity: size === 0 ? 0 : zeros / size, nonzeros: size - zeros });
    previous = model;
    onProgress?.({ done: i + 1, total: ls.length, lambda });
  }
  return out;
}

/** One fold's split, as `train` and `score` receive it. */
export interface Split {
  lambda: number;
  /** Fold number, 0 … folds − 1. */
  fold: number;
  /** Sample indices to train on (ascending). */
  train: number[];
  /** Held-out sample indices to score on (ascending). */
  validation: number[];
}

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions<M extends Fitted> {
  /** Number of samples n; the folds partition 0 … n − 1. */
  samples: number;
  /** Number of folds k, 2 ≤ k ≤ n. */
  folds: number;
  /** The strengths to try. */
  lambdas: readonly number[];
  /** Seed of the shuffle that assigns samples to folds (default 0). */
  seed?: number;
  /** Fits a model on `split.train` with strength `split.lambda`. */
  train: (split: Split) => M | Promise<M>;
  /** The validation error of a fitted model on `split.validation` (lower is better: a loss, 1 − accuracy, …). */
  score: (model: M, split: Split) => number | Promise<number>;
  /** Called after each fit is scored. */
  onProgress?: (progress: { done: number; total: number; lambda: number; fold: number; score: number }) => void;
  /** Dispose each fold's model after scoring it (Modules and tensors; default true). */
  dispose?: boolean;
}

/** One row of a cross-validation table. */
export interface CrossValidationRow {
  lambda: number;
  /** Mean validation error over the folds. */
  mean: number;
  /** Sample standard deviation of the fold errors (n − 1 in the denominator). */
  std: number;
  /** Standard error of the mean, std/√k: the one-standard-error rule's yardstick. */
  se: number;
  /** Each fold's validation error. */
  scores: number[];
  /** Mean over folds of the fitted models' sparsity (exact zeros ÷ coefficients). */
  sparsity: number;
}

const CV_KEYS = ['samples', 'folds', 'lambdas', 'seed', 'train', 'score', 'onProgress', 'dispose'] as const;

/**
 * k-fold cross-validation over λ: the samples are shuffled with `seed` and cut into k folds of
 * sizes ⌈n/k⌉ or ⌊n/k⌋ (as scikit-learn's `KFold(shuffle=True)`); for each λ and fold a model
 * is trained on the other folds and scored on the held-out one. Returns one row per λ, in
 * the order given.
 */
export async function crossValidate<M extends Fitted>(options: CrossValidateOptions<M>): Promise<CrossValidationRow[]> {
  const fn = 'crossValidate';
  checkOptions(fn, options, CV_KEYS);
  if (options === undefined) throw new ValueError(fn, 'options must be an object, got undefined');
  const { samples, folds, seed = 0, train, score, onProgress, dispose = true } = options;
  if (!(Number.isInteger(samples) && samples >= 2))
    throw new ValueError(fn, `samples must be an integer >= 2, got ${describeValue(samples)}`);
  if (!(Number.isInteger(folds) && folds >= 2 && folds <= samples))
    throw new ValueError(fn, `folds must be an integer in [2, samples = ${samples}], got ${describeValue(folds)}`);
  if (!(typeof seed === 'number' && Number.isFinite(seed)))
    throw new ValueError(fn, `seed must be a finite number, got ${describeValue(seed)}`);
  const lambdas = checkLambdas(fn, options.lambdas);
  checkFunction(fn, 'train', train);
  checkFunction(fn, 'score', score);
  if (onProgress !== undefined) checkFunction(fn, 'onProgress', onProgress);
  if (typeof dispose !== 'boolean')
    throw new ValueError(fn, `dispose must be a boolean, got ${describeValue(dispose)}`);

  const order = permutation(samples, { seed });
  const foldOf = new Int32Array(samples);
  let start = 0;
  for (let f = 0; f < folds; f++) {
    const size = Math.floor(samples / folds) + (f < samples % folds ? 1 : 0);
    for (let i = start; i < start + size; i++) foldOf[order[i]] = f;
    start += size;
  }
  const total = lambdas.length * folds;
  let done = 0;
  const rows: CrossValidationRow[] = [];
  for (const lambda of lambdas) {
    const scores: number[] = [];
    let sparsity = 0;
    for (let fold = 0; fold < folds; fold++) {
      const split: Split = { lambda, fold, train: [], validation: [] };
      for (let i = 0; i < samples; i++) (foldOf[i] === fold ? split.validation : split.train).push(i);
      const model = await train(split);
      const s = await score(model, split);
      if (typeof s !== 'number' || Number.isNaN(s))
        throw new ValueError(
          fn,
          `score must return a number, got ${describeValue(s)} for lambda ${lambda}, fold ${fold}`,
        );
      const { zeros, size } = await countZeros(fn, model);
      sparsity += size === 0 ? 0 : zeros / size;
      scores.push(s);
      if (dispose) release(model);
      done++;
      onProgress?.({ done, total, lambda, fold, score: s });
    }
    const mean = scores.reduce((a, b) => a + b, 0) / folds;
    const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / (folds - 1));
    rows.push({ lambda, mean, std, se: std / Math.sqrt(folds), scores, sparsity: sparsity / folds });
  }
  return rows;
}

function release(m: Fitted): void {
  if (m instanceof Module || m instanceof Tensor) m.dispose();
  else if (m instanceof Variable) m.value.dispose();
  else for (const t of m) (t instanceof Tensor ? t : t.value).dispose();
}

/** Options of {@link bestLambda}. */
export interface BestLambdaOptions {
  /**
   * `'min'` (default): the λ with the lowest mean validation error; `'one-standard-error'`:
   * the largest λ whose mean error is within one standard error of that minimum — the
   * sparsest model statistically as good as the best (ESL §7.10).
   */
  rule?: 'min' | 'one-standard-error';
}

/** The λ a cross-validation table recommends under a rule. */
export function bestLambda(table: readonly CrossValidationRow[], options?: BestLambdaOptions): number {
  const fn = 'bestLambda';
  checkOptions(fn, options, ['rule']);
  const rule = options?.rule ?? 'min';
  if (rule !== 'min' && rule !== 'one-standard-error')
    throw new ValueError(fn, `rule must be 'min' or 'one-standard-error', got ${describeValue(rule)}`);
  if (!Array.isArray(table) || table.length === 0)
    throw new ValueError(fn, `table must be a non-empty array of crossValidate rows, got ${describeValue(table)}`);
  table.forEach((r, i) => {
    const row = r as Partial<CrossValidationRow> | null;
    if (
      row === null ||
      typeof row !== 'object' ||
      ![row.lambda, row.mean, row.se].every((v) => typeof v === 'number' && !Number.isNaN(v))
    ) {
      throw new ValueError(
        fn,
        `table[${i}] must be a row { lambda, mean, se, … } with numbers, got ${describeValue(r)}`,
      );
    }
  });
  let best = table[0];
  for (const row of table) if (row.mean < best.mean) best = row;
  if (rule === 'min') return best.lambda;
  const limit = best.mean + best.se;
  let chosen = best;
  for (const row of table) if (row.mean <= limit && row.lambda > chosen.lambda) chosen = row;
  return chosen.lambda;
}
