export {
  type ProxGroup,
  penaltyLoss,
  proxGroups,
  type RegularizationRule,
  type RegularizationSpec,
  type RegularizedParameter,
  regularizedParameters,
} from './apply.js';
export { projectBox } from './box.js';
export { compact } from './compact.js';
export { type CsrLayer, CsrModel, toCsr } from './csr-model.js';
export { type ElasticNetOptions, elasticNet } from './elastic-net.js';
export { type CompactLinear, expectedL0, GatedLinear, type GatedLinearOptions } from './gated-linear.js';
export { type GroupLassoOptions, groupLasso } from './group-lasso.js';
export { GROUPINGS, type Grouping, type GroupSpec, groupNorm, groupSum } from './groups.js';
export {
  expectedL0Gates,
  HARD_CONCRETE_DEFAULTS,
  HardConcreteGate,
  type HardConcreteGateOptions,
  type HardConcreteParameters,
  hardConcreteEval,
  hardConcreteSample,
} from './hard-concrete.js';
export { l0 } from './l0.js';
export { l1 } from './l1.js';
export { projectL1Ball } from './l1-ball.js';
export { l2 } from './l2.js';
export { type MaxNormOptions, projectL2Ball, projectMaxNorm } from './l2-ball.js';
export { l12 } from './l12.js';
export { nonNegative } from './non-negative.js';
export {
  GradualPruner,
  type GradualPrunerOptions,
  type MagnitudePruneOptions,
  magnitudePrune,
  type ParameterSelector,
  PruningMask,
} from './pruning.js';
export type { Penalty, Projection, Prox, Regularizer } from './regularizer.js';
export { type CubicScheduleOptions, cubicSparsitySchedule, type SparsitySchedule } from './schedule.js';
export {
  type BestLambdaOptions,
  bestLambda,
  type CrossValidateOptions,
  type CrossValidationRow,
  crossValidate,
  type Fitted,
  type PathOptions,
  type PathPoint,
  regularizationPath,
  type Split,
} from './selection.js';
