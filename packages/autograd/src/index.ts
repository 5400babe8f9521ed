export { Variable, Parameter, variable, noGrad, isGradEnabled, tidy, type Input, type GradientFn, type BackwardOptions } from './variable.js';
// The differentiable ops: ops.ts is their one list (each with its gradient rule from gradients/).
export * from './ops.js';
export { unbroadcast } from './broadcast.js';
export { grad, valueAndGrad, type ScalarFunction } from './grad.js';
export { gradCheck, type GradCheckOptions, type GradCheckResult, type GradCheckEntry } from './gradcheck.js';
export * as nn from './nn/index.js';
export { Module, Linear, ReLU, LeakyReLU, Sigmoid, Tanh, Softplus, Dropout, Sequential, mlp, type LinearOptions, type MlpOptions } from './nn/index.js';
export { mseLoss, softmaxCrossEntropy, binaryCrossEntropyWithLogits, type Reduction, type LossOptions } from './losses.js';
export {
  saveParameters,
  saveParametersSync,
  loadParameters,
  encodeParameters,
  decodeParameters,
  type SavedParameters,
  type ParameterManifest,
} from './serialize.js';
export { fit, type FitOptions, type FitHistory, type StepContext, type EpochInfo } from './fit.js';
