// The λ of each sparse method, chosen once by cross-validation on the training split
// (`pnpm --filter @sparsekit/demo select-lambdas`, scripts/select-lambdas.ts) and cached in
// lambdas.json with the command that made it, so a run never redoes the cross-validation.
import { ValueError } from '@sparsekit/tensor';
import cache from './lambdas.json';
import type { LambdaMethod } from './methods.js';

/** One row of a method's cross-validation table (regularizers' `crossValidate`). */
export interface LambdaRow {
  lambda: number;
  /** Mean validation error (1 − accuracy) over the folds. */
  mean: number;
  /** Standard error of that mean. */
  se: number;
  /** Mean fraction of exactly-zero weights of the fold models. */
  sparsity: number;
}

/** How one method's λ was chosen. */
export interface LambdaSelection {
  lambda: number;
  /** The candidates, in the order tried. */
  grid: number[];
  table: LambdaRow[];
  /** What the choice means for the headline, in words. */
  note: string;
}

/** The cache file: the λ per method and how they were made. */
export interface LambdaCache {
  /** The command that wrote the file. */
  command: string;
  /** When it was written (ISO 8601). */
  date: string;
  /** The protocol: split, folds, epochs, rule. */
  protocol: string;
  methods: Record<LambdaMethod, LambdaSelection>;
}

/** The cached selection. */
export const LAMBDA_CACHE = cache as LambdaCache;

/** The cross-validated λ of `method`. @throws ValueError when the cache has none for it. */
export function cachedLambda(method: LambdaMethod): number {
  const entry = LAMBDA_CACHE.methods[method];
  if (!entry || typeof entry.lambda !== 'number')
    throw new ValueError(
      'cachedLambda',
      `lambdas.json has no λ for '${method}'; run 'pnpm --filter @sparsekit/demo select-lambdas' or pass one in config.mnist.lambdas`,
    );
  return entry.lambda;
}
