/**
 * The groupings of group sparsity and top-k budgets. One implementation lives in
 * `@sparsekit/regularizers` (with the group-lasso prox that uses it); this package re-exports it.
 */
export { GROUPINGS, type Grouping, groupNorm, groupSum } from '@sparsekit/regularizers';
