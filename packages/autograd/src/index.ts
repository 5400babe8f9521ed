export { Variable, Parameter, variable, noGrad, isGradEnabled, tidy, type Input, type GradientFn } from './variable.js';
export {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  neg,
  abs,
  sign,
  sqrt,
  square,
  exp,
  log,
  log1p,
  relu,
  leakyRelu,
  sigmoid,
  tanh,
  softplus,
  clip,
  where,
  softThreshold,
  hardThreshold,
  matmul,
  sum,
  mean,
  max,
  min,
  normL1,
  normL2,
  normLInf,
  logSumExp,
  softmax,
  logSoftmax,
  reshape,
  transpose,
  sliceRows,
  gather,
  concat,
  columnNorms,
  normalizeColumns,
  softmaxCrossEntropyRows,
} from './ops.js';
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
