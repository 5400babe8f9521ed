// The class, the contract, the pure step and state helpers: the `/optimizer` subpath's surface.
export * from './optimizer.js';
export { pureForm, type OptimizerParams, type OptimizerOptions } from './define.js';
export {
  chain,
  identity,
  scale,
  scaleByLearningRate,
  learningRateAt,
  addDecayedWeights,
  clipByGlobalNorm,
  trace,
  applyProx,
  type CountState,
} from './transforms.js';
export { constantSchedule, stepSchedule, exponentialSchedule, cosineSchedule, linearWarmup, joinSchedules } from './schedules.js';
export { l1Prox, l0Prox, l12Prox, penaltyProx, PENALTIES, type Prox, type Penalty } from './prox.js';
export { groupSum, groupNorm, GROUPINGS, type Grouping } from './groups.js';
export { SGD, sgd, SGD_SPEC, type SGDOptions } from './sgd.js';
export { Adam, adam, scaleByAdam, ADAM_SPEC, type AdamOptions, type AdamState } from './adam.js';
export { AdamW, adamw, ADAMW_SPEC, type AdamWOptions } from './adamw.js';
export { Adamax, adamax, scaleByAdamax, ADAMAX_SPEC, type AdamaxOptions, type AdamaxState } from './adamax.js';
export { RMSprop, rmsprop, scaleByRms, RMSPROP_SPEC, type RMSpropOptions, type RmsState } from './rmsprop.js';
export { Adagrad, adagrad, scaleByAdagrad, ADAGRAD_SPEC, type AdagradOptions, type AdagradState } from './adagrad.js';
export { Adadelta, adadelta, scaleByAdadelta, ADADELTA_SPEC, type AdadeltaOptions, type AdadeltaState } from './adadelta.js';
export { SubgradientSGD, subgradientSgd, addL1Subgradient, SUBGRADIENT_SGD_SPEC, type SubgradientSGDOptions } from './subgradient-sgd.js';
export { ProximalSGD, proximalSgd, PROXIMAL_SGD_SPEC, type ProximalSGDOptions } from './proximal-sgd.js';
export { ProximalAdam, proximalAdam, PROXIMAL_ADAM_SPEC, type ProximalAdamOptions } from './proximal-adam.js';
export { FTRL, ftrl, FTRL_SPEC, type FTRLOptions, type FtrlState } from './ftrl.js';
export { RDA, rda, RDA_SPEC, type RDAOptions, type RdaState } from './rda.js';
export { OBProxSG, obproxSg, OBPROX_SG_SPEC, type OBProxSGOptions } from './obprox-sg.js';
export { HSPG, hspg, HSPG_SPEC, type HSPGOptions } from './hspg.js';
export { IHT, iht, hardTopK, IHT_SPEC, type IHTOptions } from './iht.js';
