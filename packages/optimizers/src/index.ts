// The class, the contract, the pure step and state helpers: the `/optimizer` subpath's surface.

export {
  ADADELTA_SPEC,
  Adadelta,
  type AdadeltaOptions,
  type AdadeltaState,
  adadelta,
  scaleByAdadelta,
} from './adadelta.js';
export { ADAGRAD_SPEC, Adagrad, type AdagradOptions, type AdagradState, adagrad, scaleByAdagrad } from './adagrad.js';
export { ADAM_SPEC, Adam, type AdamOptions, type AdamState, adam, scaleByAdam } from './adam.js';
export { ADAMAX_SPEC, Adamax, type AdamaxOptions, type AdamaxState, adamax, scaleByAdamax } from './adamax.js';
export { ADAMW_SPEC, AdamW, type AdamWOptions, adamw } from './adamw.js';
export { type OptimizerOptions, type OptimizerParams, pureForm } from './define.js';
export { FTRL, FTRL_SPEC, type FTRLOptions, type FtrlState, ftrl } from './ftrl.js';
export { GROUPINGS, type Grouping, groupNorm, groupSum } from './groups.js';
export { HSPG, HSPG_SPEC, type HSPGOptions, hspg } from './hspg.js';
export { hardTopK, IHT, IHT_SPEC, type IHTOptions, iht } from './iht.js';
export { OBPROX_SG_SPEC, OBProxSG, type OBProxSGOptions, obproxSg } from './obprox-sg.js';
export * from './optimizer.js';
export { l0Prox, l1Prox, l12Prox, PENALTIES, type Penalty, type Prox, penaltyProx } from './prox.js';
export { PROXIMAL_ADAM_SPEC, ProximalAdam, type ProximalAdamOptions, proximalAdam } from './proximal-adam.js';
export { PROXIMAL_SGD_SPEC, ProximalSGD, type ProximalSGDOptions, proximalSgd } from './proximal-sgd.js';
export { RDA, RDA_SPEC, type RDAOptions, type RdaState, rda } from './rda.js';
export { RMSPROP_SPEC, RMSprop, type RMSpropOptions, type RmsState, rmsprop, scaleByRms } from './rmsprop.js';
export {
  constantSchedule,
  cosineSchedule,
  exponentialSchedule,
  joinSchedules,
  linearWarmup,
  stepSchedule,
} from './schedules.js';
export { SGD, SGD_SPEC, type SGDOptions, sgd } from './sgd.js';
export {
  addL1Subgradient,
  SUBGRADIENT_SGD_SPEC,
  SubgradientSGD,
  type SubgradientSGDOptions,
  subgradientSgd,
} from './subgradient-sgd.js';
export {
  addDecayedWeights,
  applyProx,
  type CountState,
  chain,
  clipByGlobalNorm,
  identity,
  learningRateAt,
  scale,
  scaleByLearningRate,
  trace,
} from './transforms.js';
