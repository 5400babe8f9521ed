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
