export { unbroadcast } from './broadcast.js';
export { type EpochInfo, type FitHistory, type FitOptions, fit, type StepContext } from './fit.js';
export { grad, type ScalarFunction, valueAndGrad } from './grad.js';
export { type GradCheckEntry, type GradCheckOptions, type GradCheckResult, gradCheck } from './gradcheck.js';
export {
  binaryCrossEntropyWithLogits,
  type LossOptions,
  mseLoss,
  type Reduction,
  softmaxCrossEntropy,
} from './losses.js';
export * as nn from './nn/index.js';
export {
  Dropout,
  LeakyReLU,
  Linear,
  type LinearOptions,
  type MlpOptions,
  Module,
  mlp,
  ReLU,
  Sequential,
  Sigmoid,
  Softplus,
  Tanh,
} from './nn/index.js';
// The differentiable ops: ops.ts is their one list (each with its gradient rule from gradients/).
export * from './ops.js';
export {
  decodeParameters,
  encodeParameters,
  loadParameters,
  type ParameterManifest,
  type SavedParameters,
  saveParameters,
  saveParametersSync,
} from './serialize.js';
export {
  type BackwardOptions,
  type GradientFn,
  type Input,
  isGradEnabled,
  noGrad,
  Parameter,
  tidy,
  Variable,
  variable,
} from './variable.js';
