export {
  BACKENDS,
  type BackendInfo,
  type BackendName,
  disposeBackend,
  getBackend,
  initBackend,
  type KernelStats,
  kernelStats,
  setBackend,
} from './backend.js';
export {
  arange,
  eye,
  full,
  linspace,
  type NestedData,
  type NumericArray,
  ones,
  permutation,
  type RandomOptions,
  rand,
  randint,
  randn,
  type TensorData,
  tensor,
  zeros,
} from './creation.js';
export { CsrTensor, spmm } from './csr.js';
export {
  abs,
  add,
  clip,
  div,
  equal,
  exp,
  greater,
  greaterEqual,
  hardThreshold,
  leakyRelu,
  less,
  lessEqual,
  log,
  log1p,
  maximum,
  minimum,
  mul,
  neg,
  notEqual,
  pow,
  relu,
  sigmoid,
  sign,
  softplus,
  softThreshold,
  sqrt,
  square,
  sub,
  type TensorLike,
  tanh,
  where,
} from './elementwise.js';
export {
  BackendError,
  checkInteger,
  checkOptions,
  checkRange,
  describeValue,
  formatShape,
  ShapeError,
  SparseKitError,
  sameShape,
  ValueError,
} from './errors.js';
export { concat, gather, oneHot, reshape, shuffle, sliceRows, transpose } from './manipulate.js';
export { type MatmulOptions, matmul } from './matmul.js';
export { keep, type MemoryInfo, memory, tidy, tidyAsync } from './memory.js';
export { type AdamMoments, type AdamMomentsOptions, adamMoments } from './optim.js';
export { Random } from './random.js';
export { materializeAll, materializeAllSync } from './realize.js';
export {
  type AxisArg,
  argmax,
  argmin,
  logSoftmax,
  logSumExp,
  max,
  mean,
  min,
  normL1,
  normL2,
  normLInf,
  type ReduceOptions,
  softmax,
  sum,
} from './reduce.js';
export { columnNorms, normalizeColumns, topKMask } from './sparsity.js';
export { isTensor, type NestedArray, Tensor } from './tensor.js';
