export {
  HardConcreteGate,
  HARD_CONCRETE_DEFAULTS,
  hardConcreteSample,
  hardConcreteEval,
  expectedL0Gates,
  type HardConcreteParameters,
  type HardConcreteGateOptions,
} from './hard-concrete.js';
export { GatedLinear, expectedL0, type GatedLinearOptions, type CompactLinear } from './gated-linear.js';
export { magnitudePrune, PruningMask, GradualPruner, type MagnitudePruneOptions, type GradualPrunerOptions, type ParameterSelector } from './pruning.js';
export { cubicSparsitySchedule, type CubicScheduleOptions, type SparsitySchedule } from './schedule.js';
export { compact } from './compact.js';
export { toCsr, CsrModel, type CsrLayer } from './csr-model.js';
export type { Prox, Regularizer, Penalty, Projection } from './regularizer.js';
export { groupSum, groupNorm, GROUPINGS, type Grouping, type GroupSpec } from './groups.js';
export { l1 } from './l1.js';
export { l2 } from './l2.js';
export { elasticNet, type ElasticNetOptions } from './elastic-net.js';
export { groupLasso, type GroupLassoOptions } from './group-lasso.js';
export { l0 } from './l0.js';
export { l12 } from './l12.js';
export { nonNegative } from './non-negative.js';
export { projectL1Ball } from './l1-ball.js';
export { projectL2Ball, projectMaxNorm, type MaxNormOptions } from './l2-ball.js';
export { projectBox } from './box.js';
export { penaltyLoss, proxGroups, regularizedParameters, type RegularizationRule, type RegularizationSpec, type RegularizedParameter, type ProxGroup } from './apply.js';
export {
  regularizationPath,
  crossValidate,
  bestLambda,
  type Fitted,
  type PathPoint,
  type PathOptions,
  type Split,
  type CrossValidateOptions,
  type CrossValidationRow,
  type BestLambdaOptions,
} from './selection.js';
